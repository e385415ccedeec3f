// The config checks of every command that turns a config into a run (`ingest`, `validate`,
// `input`, `schedule create/update`): one function, so that `validate` says exactly what
// `ingest` would say for the same target.
import { readConfigFile, type IngestionConfig } from '../../common/config/index.js';
import type { IngestionRunInput, IngestionRunOptions } from '../../common/run-input.js';
import { currentSecretsKey, newEphemeralSecretsKey, type SecretsKey } from '../../common/sealed-secrets.js';
import { buildRunInput } from '../run-input.js';
import { CliExit, configErrorExit, EXIT_BAD_CONFIG, printWarnings } from './shared.js';

export interface RunConfig {
  input: IngestionRunInput;
  config: IngestionConfig;
  /** The key secrets were sealed with (locally: a key of this process alone). */
  sealingKey?: SecretsKey;
}

/**
 * Reads and checks `file` for a run where `where` says: `local` (this process is the worker:
 * secrets are resolved and sealed here, so a secret's unset variable is an error) or `cluster`
 * (secrets stay `${NAME}` references for the workers, or are sealed with
 * OM_KINESIS_SECRETS_KEY; a literal secret is refused). Prints the warnings, and once the
 * variables the workers must have; exit 2 with every error (`nothingDone` says what was not
 * done) when the config is not fit for that run.
 */
export async function loadRunConfig(
  file: string,
  where: 'local' | 'cluster',
  options: { runOptions?: IngestionRunOptions; nothingDone?: string } = {},
): Promise<RunConfig> {
  const nothingDone = options.nothingDone ?? 'no run was started';
  const read = await readConfigFile(file);
  if (!read.ok) throw new CliExit(EXIT_BAD_CONFIG, `${read.message}; ${nothingDone}`);
  const text = read.text;
  // Locally the worker is this process: without a key of the user's, one of its own seals secrets.
  const sealingKey =
    currentSecretsKey(process.env) ?? (where === 'local' ? newEphemeralSecretsKey() : undefined);
  const built = buildRunInput(text, {
    env: process.env,
    fileName: file,
    local: where === 'local',
    ...(options.runOptions ? { runOptions: options.runOptions } : {}),
    ...(sealingKey ? { sealingKey } : {}),
  });
  printWarnings(built.warnings);
  if (!built.input || !built.config) throw configErrorExit(file, built.errors, nothingDone);
  if (built.workerVariables.length > 0) {
    const names = built.workerVariables.join(', ');
    console.error(
      `note: ${names} ${built.workerVariables.length === 1 ? 'is' : 'are'} not set here, which is fine: secrets are resolved by the workers, and every worker must have ${names} set (a worker without one fails the run at once, naming it)`,
    );
  }
  return { input: built.input, config: built.config, ...(sealingKey ? { sealingKey } : {}) };
}
