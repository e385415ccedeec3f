import type { IngestionRunOptions } from '../../common/run-input.js';
import { loadRunConfig } from './run-config.js';

export interface InputCommandOptions {
  config: string;
  dryRun?: boolean;
  sampleSize?: number;
  streamTags?: boolean;
  ownerTagKey?: string;
}

/**
 * `om-kinesis input -c FILE`: prints the workflow input `ingest` would send to a cluster, for
 * `temporal workflow start --input-file` or a Temporal Schedule. Secrets stay environment
 * references or are sealed with OM_KINESIS_SECRETS_KEY, exactly as `ingest` does.
 */
export async function inputCommand(options: InputCommandOptions): Promise<void> {
  const runOptions: IngestionRunOptions = {};
  if (options.dryRun) runOptions.dryRun = true;
  if (options.sampleSize !== undefined) runOptions.sampleSize = options.sampleSize;
  if (options.streamTags) runOptions.streamTags = true;
  if (options.ownerTagKey !== undefined) runOptions.ownerTagKey = options.ownerTagKey;
  const { input } = await loadRunConfig(options.config, 'cluster', {
    ...(Object.keys(runOptions).length > 0 ? { runOptions } : {}),
    nothingDone: 'no input was printed',
  });
  console.log(JSON.stringify(input, null, 2));
}
