import { SECRETS_KEY_ENV, secretsKeyFrom } from '../../common/sealed-secrets.js';
import type { IngestionRunOptions } from '../../common/run-input.js';
import { buildRunInput } from '../run-input.js';
import { configErrorExit, printWarnings, readConfigText } from './shared.js';

export interface InputCommandOptions {
  config: string;
  dryRun?: boolean;
  sampleSize?: number;
  streamTags?: boolean;
  ownerTagKey?: string;
}

/**
 * `om-kinesis input -c FILE`: prints the workflow input `ingest` would send, for
 * `temporal workflow start --input-file` or a Temporal Schedule. Secrets stay environment
 * references or are sealed with OM_KINESIS_SECRETS_KEY, exactly as `ingest` does.
 */
export async function inputCommand(options: InputCommandOptions): Promise<void> {
  const text = await readConfigText(options.config);
  const passphrase = process.env[SECRETS_KEY_ENV];
  const runOptions: IngestionRunOptions = {};
  if (options.dryRun) runOptions.dryRun = true;
  if (options.sampleSize !== undefined) runOptions.sampleSize = options.sampleSize;
  if (options.streamTags) runOptions.streamTags = true;
  if (options.ownerTagKey !== undefined) runOptions.ownerTagKey = options.ownerTagKey;
  const built = buildRunInput(text, {
    env: process.env,
    fileName: options.config,
    ...(Object.keys(runOptions).length > 0 ? { runOptions } : {}),
    ...(passphrase ? { sealingKey: secretsKeyFrom(passphrase) } : {}),
  });
  printWarnings(built.warnings);
  if (!built.input) throw configErrorExit(options.config, built.errors);
  console.log(JSON.stringify(built.input, null, 2));
}
