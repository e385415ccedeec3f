import { isAbsolute } from 'node:path';
import type { AwsConfig, IngestionConfig } from '../common/config/index.js';
import {
  isSealed,
  openSealedSecret,
  SealedSecretError,
  type SecretsKeyring,
} from '../common/sealed-secrets.js';
import {
  AWS_CONFIG_FIELD,
  awsSealingContext,
  sealingContext,
  SERVER_CONFIG_FIELD,
} from '../common/secret-fields.js';
import { environmentReference, isSecretsKeyVariable } from '../common/secret-references.js';
import { SecretUnavailableError } from './errors.js';
import { readAllowedFile } from './policy/allowed-files.js';
import { DENY_ALL_POLICY, type RunPolicy } from './policy/run-policy.js';

/** Where the worker finds the values of secret references. */
export interface SecretSources {
  env: Record<string, string | undefined>;
  /** Keys that open sealed values; none when the worker has no OM_KINESIS_SECRETS_KEY. */
  keyring?: SecretsKeyring;
  /** What runs may reach: here, the directories token files may be read from (none by default). */
  policy?: RunPolicy;
}

/**
 * Resolves one secret value of the run config on the worker: an environment variable
 * reference, a sealed value (opened only for `context`, what it was sealed for), or
 * (discouraged, it is then in history) a literal. `field` is the YAML path, named in errors;
 * the value itself never is.
 */
export function resolveSecret(value: string, field: string, sources: SecretSources, context: string): string {
  const variable = environmentReference(value);
  if (variable !== undefined && isSecretsKeyVariable(variable)) {
    throw new SecretUnavailableError(`${field} refers to ${variable}, which workers never hand out`);
  }
  if (variable !== undefined) {
    // hasOwn: `${constructor}` must not resolve to something inherited.
    const resolved = Object.hasOwn(sources.env, variable) ? sources.env[variable] : undefined;
    if (typeof resolved !== 'string' || resolved === '') {
      throw new SecretUnavailableError(
        `${field} refers to the environment variable ${variable}, which is not set on this worker: set it in the environment of every worker`,
      );
    }
    return resolved;
  }
  if (isSealed(value)) {
    try {
      return openSealedSecret(value, sources.keyring ?? { previous: [] }, context);
    } catch (error) {
      if (error instanceof SealedSecretError) throw new SecretUnavailableError(`${field}: ${error.message}`);
      throw error;
    }
  }
  return value;
}

/**
 * OpenMetadata's jwtToken is "the token, or a path to a file holding it". An absolute path
 * is read (trimmed) from the directories the worker's policy allows; anything else is the token
 * (no token starts with `/`). Nothing is looked up for a value that is not such a path, so no
 * run learns which files exist on the worker.
 */
function resolveJwtToken(value: string, field: string, sources: SecretSources, context: string): string {
  const resolved = resolveSecret(value, field, sources, context);
  if (!isAbsolute(resolved)) return resolved;
  // A path read from the worker's environment is the worker's business: not repeated.
  const fromInput = environmentReference(value) === undefined;
  return readAllowedFile(resolved, sources.policy ?? DENY_ALL_POLICY, field, fromInput)
    .toString('utf8')
    .trim();
}

/** One secret-bearing value of a run config. */
export interface SecretField {
  value: string;
  /** YAML path, named in errors. */
  field: string;
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
    if (typeof value === 'string' && value)
      fields.push({ value, field: `${AWS_CONFIG_FIELD}.${name}`, kind: 'aws' });
  }
  const om = config.openMetadata;
  if (typeof om.jwtToken === 'string' && om.jwtToken && om.authProvider !== 'no-auth') {
    fields.push({
      value: om.jwtToken,
      field: `${SERVER_CONFIG_FIELD}.securityConfig.jwtToken`,
      kind: 'token',
    });
  }
  for (const [header, value] of Object.entries(om.extraHeaders ?? {})) {
    if (typeof value !== 'string') continue;
    fields.push({ value, field: `${SERVER_CONFIG_FIELD}.extraHeaders.${header}`, kind: 'header', header });
  }
  return fields;
}

/** The value of one secret field on this worker (a token file is read). */
export function resolveSecretField(
  secret: SecretField,
  config: IngestionConfig,
  sources: SecretSources,
): string {
  const context = sealingContext(secret.field, config);
  return secret.kind === 'token'
    ? resolveJwtToken(secret.value, secret.field, sources, context)
    : resolveSecret(secret.value, secret.field, sources, context);
}

/** The AWS credentials the config gives, resolved on this worker (none: the worker's own chain). */
export function resolveAwsCredentials(
  aws: AwsConfig,
  sources: SecretSources,
): { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } {
  const resolve = (name: (typeof AWS_FIELDS)[number]) => {
    const value = aws[name];
    if (!value) return undefined;
    const field = `${AWS_CONFIG_FIELD}.${name}`;
    return resolveSecret(value, field, sources, awsSealingContext(field, aws));
  };
  const accessKeyId = resolve('awsAccessKeyId');
  const secretAccessKey = resolve('awsSecretAccessKey');
  const sessionToken = resolve('awsSessionToken');
  return {
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(secretAccessKey ? { secretAccessKey } : {}),
    ...(sessionToken ? { sessionToken } : {}),
  };
}
