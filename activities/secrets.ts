import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IngestionConfig } from '../common/config/index.js';
import {
  isSealed,
  openSealedSecret,
  SealedSecretError,
  secretBinding,
  SECRETS_KEY_ENV,
} from '../common/sealed-secrets.js';
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
export function resolveSecret(value: string, field: string, sources: SecretSources, boundTo = field): string {
  const variable = environmentReference(value);
  if (variable === SECRETS_KEY_ENV) {
    throw new SecretUnavailableError(`${field} refers to ${SECRETS_KEY_ENV}, which workers never hand out`);
  }
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
      return openSealedSecret(value, sources.sealingKey, boundTo);
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
export function resolveJwtToken(
  value: string,
  field: string,
  sources: SecretSources,
  boundTo: string,
): string {
  const resolved = resolveSecret(value, field, sources, boundTo);
  if (resolved.length < 4096 && existsSync(resolved) && statSync(resolved).isFile()) {
    return readFileSync(resolved, 'utf8').trim();
  }
  return resolved;
}

/** One secret-bearing value of a run config, with where it may be used. */
export interface SecretField {
  value: string;
  /** YAML path, named in errors. */
  field: string;
  /** What a sealed value must have been bound to (see common/sealed-secrets.ts). */
  boundTo: string;
  kind: 'aws' | 'token' | 'header';
  /** For headers: the header name. */
  header?: string;
}

const AWS_FIELDS = ['awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken'] as const;

/** Every value of the config that may be a secret reference or a sealed value. */
export function secretFieldsOf(config: IngestionConfig): SecretField[] {
  const fields: SecretField[] = [];
  for (const name of AWS_FIELDS) {
    const value = config.aws[name];
    const field = `source.serviceConnection.config.awsConfig.${name}`;
    if (value) fields.push({ value, field, boundTo: field, kind: 'aws' });
  }
  const om = config.openMetadata;
  if (om.jwtToken && om.authProvider !== 'no-auth') {
    const field = 'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken';
    fields.push({ value: om.jwtToken, field, boundTo: secretBinding(field, om.hostPort), kind: 'token' });
  }
  for (const [header, value] of Object.entries(om.extraHeaders)) {
    const field = `workflowConfig.openMetadataServerConfig.extraHeaders.${header}`;
    fields.push({ value, field, boundTo: secretBinding(field, om.hostPort), kind: 'header', header });
  }
  return fields;
}

/** The value of one secret field on this worker (a token file is read). */
export function resolveSecretField(secret: SecretField, sources: SecretSources): string {
  return secret.kind === 'token'
    ? resolveJwtToken(secret.value, secret.field, sources, secret.boundTo)
    : resolveSecret(secret.value, secret.field, sources, secret.boundTo);
}
