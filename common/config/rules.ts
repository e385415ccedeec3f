import { issueAt } from './issues.js';
import type { IssuePath } from './issues.js';
import { DOCUMENTATION_JWT_PLACEHOLDER } from './schema.js';
import type { ConfigIssue } from './types.js';

// Rules that span several keys, and warnings about what is accepted but unused. They read the raw
// document defensively (any value may have the wrong type: the schema reports that), so they run
// even when the schema found errors, and a file gets all its errors in one go.

export const AWS_CONFIG_PATH = ['source', 'serviceConnection', 'config', 'awsConfig'] as const;
export const SERVER_CONFIG_PATH = ['workflowConfig', 'openMetadataServerConfig'] as const;
const PIPELINE_CONFIG_PATH = ['source', 'sourceConfig', 'config'] as const;
const FILTER_PATH = [...PIPELINE_CONFIG_PATH, 'topicFilterPattern'] as const;
const CONNECTION_PATH = ['source', 'serviceConnection', 'config'] as const;

// A header name the HTTP client will accept (an RFC 9110 token).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const IGNORED = 'Ignored by this tool';
const IGNORED_SECRETS_MANAGER =
  'Ignored: this tool reads secrets from this file (and environment variables) only, not from a secrets manager';

export interface RuleFindings {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export function checkCrossFieldRules(document: unknown): RuleFindings {
  const findings: RuleFindings = { errors: [], warnings: [] };
  checkAwsCredentials(document, findings);
  checkOpenMetadataServer(document, findings);
  checkFilter(document, findings);
  checkIgnoredParts(document, findings);
  checkNewerKeys(document, findings);
  return findings;
}

/**
 * The provider the product will use: the one written, or, when the key is absent, 'openmetadata'
 * if a token is given and 'no-auth' otherwise (the official schemas give no usable default).
 */
export function effectiveAuthProvider(serverConfig: unknown): string {
  const written = fieldOf(serverConfig, 'authProvider');
  if (typeof written === 'string') return written;
  return isSet(fieldOf(fieldOf(serverConfig, 'securityConfig'), 'jwtToken')) ? 'openmetadata' : 'no-auth';
}

function checkAwsCredentials(document: unknown, { errors, warnings }: RuleFindings): void {
  const aws = recordAt(document, AWS_CONFIG_PATH);
  if (aws === undefined) return;
  const at = (key: string) => [...AWS_CONFIG_PATH, key];
  const keyId = isSet(aws.awsAccessKeyId);
  const secret = isSet(aws.awsSecretAccessKey);
  if (secret && !keyId) errors.push(issueAt(at('awsAccessKeyId'), 'Required when awsSecretAccessKey is set'));
  if (keyId && !secret) errors.push(issueAt(at('awsSecretAccessKey'), 'Required when awsAccessKeyId is set'));
  if (isSet(aws.awsSessionToken) && !(keyId && secret)) {
    errors.push(issueAt(at('awsSessionToken'), 'Needs awsAccessKeyId and awsSecretAccessKey as well'));
  }
  if (!isSet(aws.assumeRoleArn)) {
    for (const key of ['assumeRoleSessionName', 'assumeRoleSourceIdentity']) {
      if (isSet(aws[key])) warnings.push(issueAt(at(key), 'Ignored without assumeRoleArn'));
    }
  }
}

function checkOpenMetadataServer(document: unknown, { errors, warnings }: RuleFindings): void {
  const server = recordAt(document, SERVER_CONFIG_PATH);
  if (server === undefined) return;
  const at = (...keys: string[]) => [...SERVER_CONFIG_PATH, ...keys];

  const provider = effectiveAuthProvider(server);
  const security = server.securityConfig;
  if (provider === 'openmetadata' && !isSet(security)) {
    errors.push(issueAt(at('securityConfig', 'jwtToken'), "Required when authProvider is 'openmetadata'"));
  }
  if (provider === 'no-auth' && isSet(security)) {
    warnings.push(issueAt(at('securityConfig'), "Ignored because authProvider is 'no-auth'"));
  }
  if (fieldOf(security, 'jwtToken') === DOCUMENTATION_JWT_PLACEHOLDER) {
    warnings.push(
      issueAt(
        at('securityConfig', 'jwtToken'),
        `${DOCUMENTATION_JWT_PLACEHOLDER} is the documentation's placeholder: put the bot's JWT token (or the path of a file holding it) here`,
      ),
    );
  }

  const ssl = server.sslConfig;
  if (isSet(ssl)) {
    const verifySSL = server.verifySSL ?? 'no-ssl';
    if (verifySSL !== 'validate')
      warnings.push(issueAt(at('sslConfig'), "Used only when verifySSL is 'validate'"));
    for (const key of ['sslCertificate', 'sslKey']) {
      if (isSet(fieldOf(ssl, key))) {
        warnings.push(
          issueAt(at('sslConfig', key), 'Ignored: this tool does not present client certificates'),
        );
      }
    }
    const legacy = fieldOf(ssl, 'certificatePath');
    const current = fieldOf(ssl, 'caCertificate');
    if (isSet(legacy) && isSet(current) && legacy !== current) {
      errors.push(
        issueAt(
          at('sslConfig', 'certificatePath'),
          'Conflicts with caCertificate (its newer name): keep only one',
        ),
      );
    }
  }

  const hostPort = server.hostPort;
  const url = typeof hostPort === 'string' ? parseUrl(hostPort) : undefined;
  if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) {
    if (!url.pathname.replace(/\/+$/, '').endsWith('/api')) {
      warnings.push(
        issueAt(
          at('hostPort'),
          'Usually ends with /api (e.g. http://localhost:8585/api): API calls go to <hostPort>/v1/...',
        ),
      );
    }
  }
  for (const name of Object.keys(isRecord(server.extraHeaders) ? server.extraHeaders : {})) {
    if (!HEADER_NAME.test(name)) errors.push(issueAt(at('extraHeaders', name), 'Invalid HTTP header name'));
  }
  const secretsProvider = server.secretsManagerProvider;
  if (isSet(secretsProvider) && secretsProvider !== 'noop' && secretsProvider !== 'db') {
    warnings.push(issueAt(at('secretsManagerProvider'), IGNORED_SECRETS_MANAGER));
  }
  if (isSet(server.secretsManagerLoader) && server.secretsManagerLoader !== 'noop') {
    warnings.push(issueAt(at('secretsManagerLoader'), IGNORED_SECRETS_MANAGER));
  }
  if (isSet(server.secretsManagerCredentials)) {
    warnings.push(issueAt(at('secretsManagerCredentials'), IGNORED_SECRETS_MANAGER));
  }
  if (isSet(server.apiVersion) && server.apiVersion !== 'v1') {
    warnings.push(issueAt(at('apiVersion'), 'Ignored: this tool uses the v1 API'));
  }
}

function checkFilter(document: unknown, { warnings }: RuleFindings): void {
  const filter = recordAt(document, FILTER_PATH);
  if (filter === undefined) return;
  if (nonEmptyArray(filter.includes) && nonEmptyArray(filter.excludes)) {
    warnings.push(
      issueAt(
        [...FILTER_PATH, 'excludes'],
        'Ignored by OpenMetadata up to 1.4 because includes is set (includes take precedence); from 1.5 a name must also match no exclude. This tool follows the server',
      ),
    );
  }
}

function checkIgnoredParts(document: unknown, { warnings }: RuleFindings): void {
  for (const path of [
    ['sink', 'config'],
    ['workflowConfig', 'config'],
  ]) {
    const config = recordAt(document, path);
    for (const key of Object.keys(config ?? {})) warnings.push(issueAt([...path, key], IGNORED));
  }
  for (const key of ['processor', 'stage', 'bulkSink']) {
    if (isSet(fieldOf(document, key))) warnings.push(issueAt([key], IGNORED));
  }
  if (isSet(fieldOf(document, 'pipelineRunId')) && !isSet(fieldOf(document, 'ingestionPipelineFQN'))) {
    warnings.push(issueAt(['pipelineRunId'], 'Ignored without ingestionPipelineFQN'));
  }
  if (fieldOf(recordAt(document, SERVER_CONFIG_PATH), 'forceEntityOverwriting') === true) {
    warnings.push(
      issueAt(
        [...SERVER_CONFIG_PATH, 'forceEntityOverwriting'],
        'Ignored: an existing messaging service is never rewritten (the connection, description, owners and tags stored in OpenMetadata stay as they are)',
      ),
    );
  }
}

/** Keys that later OpenMetadata versions added and that do not apply to this tool: accepted, with a note. */
function checkNewerKeys(document: unknown, { warnings }: RuleFindings): void {
  const storedOnly = (version: string) =>
    `Stored with the connection of a service this tool creates, on OpenMetadata ${version} or later`;
  const notes: Array<[IssuePath, string]> = [
    [[...AWS_CONFIG_PATH, 'enabled'], `Not used by this tool. ${storedOnly('1.13')}`],
    [
      [...CONNECTION_PATH, 'topicFilterPattern'],
      `Not used: streams are filtered by ${FILTER_PATH.join('.')}, as by the official connector. ${storedOnly('1.9')}`,
    ],
    [
      [...CONNECTION_PATH, 'supportsProfiler'],
      `Not used: Kinesis topics have no profiler. ${storedOnly('2.0')}`,
    ],
    [
      [...PIPELINE_CONFIG_PATH, 'overrideMetadata'],
      'Not needed: this tool writes only the fields it owns (partitions, retention, sizes, sourceUrl, topicConfig), never descriptions, tags or owners',
    ],
    [['enableStreamableLogs'], "Ignored: run logs stay in the workers' logs and in Temporal"],
    [
      ['ingestionRunnerName'],
      "Ignored: this tool's workers run the ingestion, on their Temporal task queue, not an OpenMetadata ingestion runner",
    ],
  ];
  for (const [path, note] of notes) {
    const parent = path.length === 1 ? document : recordAt(document, path.slice(0, -1));
    if (isSet(fieldOf(parent, String(path[path.length - 1])))) warnings.push(issueAt(path, note));
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function fieldOf(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function recordAt(document: unknown, path: IssuePath): Record<string, unknown> | undefined {
  let current = document;
  for (const key of path) current = fieldOf(current, String(key));
  return isRecord(current) ? current : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
