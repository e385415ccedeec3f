const ENV_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** The key the CLI and the workers seal secrets with. */
export const SECRETS_KEY_ENV = 'OM_KINESIS_SECRETS_KEY';
/** Earlier keys, comma-separated, that still open sealed values while keys rotate. */
export const PREVIOUS_SECRETS_KEYS_ENV = 'OM_KINESIS_SECRETS_PREVIOUS_KEYS';

/**
 * The variables that hold sealing keys: never expanded into a config, never handed to a run,
 * whatever a worker allows.
 */
export function isSecretsKeyVariable(name: string): boolean {
  return name === SECRETS_KEY_ENV || name === PREVIOUS_SECRETS_KEYS_ENV;
}

/**
 * The environment variable a config value refers to when it is exactly `$NAME` or `${NAME}`.
 * Such a secret travels through Temporal as the reference and is resolved on the worker.
 */
export function environmentReference(value: string): string | undefined {
  const match = ENV_REFERENCE.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}
