import type { AwsConfig, IngestionConfig } from './config/index.js';
import { originOf } from './origins.js';

// Which values of a config are secrets, and what each one is sent with. The CLI seals or
// refuses them so that none reaches Temporal history in plaintext; the worker opens a sealed
// value only for what it was sealed for.

export const AWS_CONFIG_FIELD = 'source.serviceConnection.config.awsConfig';
export const SERVER_CONFIG_FIELD = 'workflowConfig.openMetadataServerConfig';

/** What the CLI does with a secret written literally (neither `${NAME}` nor sealed) without a key. */
export type LiteralSecret =
  /** An error: the secret would be stored in history. */
  | 'refuse'
  /** Kept when it is an absolute path (of a file on the workers), refused otherwise. */
  | 'refuse-unless-path'
  /** Kept, with a warning (header values that are not credentials by their name). */
  | 'keep';

export interface SecretPath {
  path: string[];
  literal: LiteralSecret;
}

// Keys that name a credential, in the free-form parts of a config (sink.config, ...) and in
// header names: their values are treated as secrets.
const CREDENTIAL_NAME = /pass|secret|token|credential|private|key|auth|cookie|session|signature/i;

/** Free-form parts of the document (this tool ignores them) that may hold credentials. */
const FREE_FORM_PARTS: readonly string[][] = [
  ['sink', 'config'],
  ['workflowConfig', 'config'],
  ['processor', 'config'],
  ['stage', 'config'],
  ['bulkSink', 'config'],
  ['workflowConfig', 'openMetadataServerConfig', 'secretsManagerCredentials'],
  ['workflowConfig', 'openMetadataServerConfig', 'elasticsSearch', 'config'],
];

const AWS = ['source', 'serviceConnection', 'config', 'awsConfig'];
const SERVER = ['workflowConfig', 'openMetadataServerConfig'];

/** Every path of the document (as parsed from YAML) that holds a secret string. */
export function secretPathsIn(document: unknown): SecretPath[] {
  const fixed: SecretPath[] = [
    { path: [...AWS, 'awsSecretAccessKey'], literal: 'refuse' },
    { path: [...AWS, 'awsSessionToken'], literal: 'refuse' },
    // OpenMetadata's jwtToken is "the token, or a path to a file holding it".
    { path: [...SERVER, 'securityConfig', 'jwtToken'], literal: 'refuse-unless-path' },
    { path: [...SERVER, 'sslConfig', 'sslKey'], literal: 'refuse-unless-path' },
  ];
  const found = fixed.filter(({ path }) => typeof valueAt(document, path) === 'string');
  const headers = valueAt(document, [...SERVER, 'extraHeaders']);
  if (isRecord(headers)) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') continue;
      found.push({
        path: [...SERVER, 'extraHeaders', name],
        literal: CREDENTIAL_NAME.test(name) ? 'refuse' : 'keep',
      });
    }
  }
  for (const part of FREE_FORM_PARTS) found.push(...credentialLeaves(valueAt(document, part), part));
  return found;
}

/** String values under keys that name credentials, at any depth (YAML anchors may loop). */
function credentialLeaves(value: unknown, path: string[], seen = new WeakSet<object>()): SecretPath[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  return entries.flatMap(([key, item]) => {
    const itemPath = [...path, key];
    if (typeof item === 'string') {
      const named = CREDENTIAL_NAME.test(Array.isArray(value) ? (path[path.length - 1] ?? '') : key);
      return named ? [{ path: itemPath, literal: 'refuse' as const }] : [];
    }
    return credentialLeaves(item, itemPath, seen);
  });
}

const SEALED_VERSION = 'om-kinesis sealed secret v2';

/**
 * What a sealed value of `field` is bound to, as authenticated data: the field, and what the
 * secret is sent with. For AWS credentials the endpoint (or AWS's regional one), the region
 * and the role; for OpenMetadata secrets the server's origin and the TLS settings. Copied into
 * another field, or into a run input that sends it elsewhere or with weaker TLS, it does not open.
 */
export function sealingContext(field: string, config: Pick<IngestionConfig, 'aws' | 'openMetadata'>): string {
  if (field.startsWith(`${AWS_CONFIG_FIELD}.`)) return awsSealingContext(field, config.aws);
  if (field.startsWith(`${SERVER_CONFIG_FIELD}.`)) {
    const om = config.openMetadata;
    const server = originOf(om.hostPort) ?? om.hostPort;
    return JSON.stringify([SEALED_VERSION, field, server, om.verifySSL, om.caCertificate ?? '']);
  }
  return JSON.stringify([SEALED_VERSION, field]);
}

export function awsSealingContext(field: string, aws: AwsConfig): string {
  const endpoint = aws.endPointURL ? (originOf(aws.endPointURL) ?? aws.endPointURL) : 'aws';
  return JSON.stringify([SEALED_VERSION, field, endpoint, aws.awsRegion, aws.assumeRoleArn ?? '']);
}

export function valueAt(document: unknown, path: readonly string[]): unknown {
  let current = document;
  for (const key of path) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
