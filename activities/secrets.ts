import { existsSync, readFileSync, statSync } from 'node:fs';
import { isSealed, openSealedSecret, SealedSecretError } from '../common/sealed-secrets.js';
import { environmentReference } from '../common/secret-references.js';
import { SecretUnavailableError } from './errors.js';

/** Where the worker finds the values of secret references. */
export interface SecretSources {
  env: Record<string, string | undefined>;
  /** Key that opens `sealed:v1:` values; undefined when the worker has none. */
  sealingKey?: Buffer;
}

/**
 * Resolves one secret value of the run config on the worker: an environment variable
 * reference, a sealed value, or (discouraged, it is then in history) a literal.
 * `field` is the YAML path, named in errors; the value itself never is.
 */
export function resolveSecret(value: string, field: string, sources: SecretSources): string {
  const variable = environmentReference(value);
  if (variable !== undefined) {
    const resolved = sources.env[variable];
    if (resolved === undefined || resolved === '') {
      throw new SecretUnavailableError(
        `${field} refers to the environment variable ${variable}, which is not set on this worker: set it in the environment of every worker`,
      );
    }
    return resolved;
  }
  if (isSealed(value)) {
    try {
      return openSealedSecret(value, sources.sealingKey);
    } catch (error) {
      if (error instanceof SealedSecretError) throw new SecretUnavailableError(`${field}: ${error.message}`);
      throw error;
    }
  }
  return value;
}

/**
 * OpenMetadata's jwtToken is "the token, or a path to a file holding it": a value that names
 * an existing file on the worker is read from it (trimmed).
 */
export function resolveJwtToken(value: string, field: string, sources: SecretSources): string {
  const resolved = resolveSecret(value, field, sources);
  if (resolved.length < 4096 && existsSync(resolved) && statSync(resolved).isFile()) {
    return readFileSync(resolved, 'utf8').trim();
  }
  return resolved;
}
