const ENV_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/**
 * The environment variable a config value refers to when it is exactly `$NAME` or `${NAME}`.
 * Such a secret travels through Temporal as the reference and is resolved on the worker.
 */
export function environmentReference(value: string): string | undefined {
  const match = ENV_REFERENCE.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}
