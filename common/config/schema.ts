import { z } from 'zod';

import { filterEntryProblem } from './filter-pattern.js';
import type { AuthProvider, LoggerLevel, SupportedAuthProvider, VerifySSL } from './types.js';

// The shape of the workflow YAML for a Kinesis metadata ingestion, as the official JSON schemas of
// the 1.x line define it (metadataIngestion/workflow.json and what it references). Objects the
// official schemas close (`additionalProperties: false`) are strict here too; every key they accept
// is accepted, including the ones this product ignores. Optional keys may be null (an empty YAML
// value), as the official pydantic models allow. Defaults are applied later, in normalize.ts.
//
// Messages of custom checks are final texts; the other issues are worded in issues.ts.

export const LOGGER_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LoggerLevel[];
export const VERIFY_SSL_VALUES = ['no-ssl', 'ignore', 'validate'] as const satisfies readonly VerifySSL[];
export const AUTH_PROVIDERS = [
  'no-auth',
  'basic',
  'azure',
  'google',
  'okta',
  'auth0',
  'aws-cognito',
  'custom-oidc',
  'ldap',
  'saml',
  'openmetadata',
] as const satisfies readonly AuthProvider[];
export const SUPPORTED_AUTH_PROVIDERS: readonly SupportedAuthProvider[] = ['openmetadata', 'no-auth'];

/** The placeholder the official documentation puts where the bot token goes. */
export const DOCUMENTATION_JWT_PLACEHOLDER = '{bot_jwt_token}';

const MAX_ENTITY_NAME_LENGTH = 256;
// AWS STS limits for RoleSessionName and SourceIdentity.
const STS_NAME = /^[\w+=,.@-]{2,64}$/;

/** A string check: returns the problem, or undefined when the value is fine. */
type StringCheck = (value: string) => string | undefined;

function checkedString(check: StringCheck) {
  return z.string().superRefine((value, context) => {
    const problem = check(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
}

const nonEmpty: StringCheck = (value) => (value === '' ? 'Must not be empty' : undefined);

function httpUrl(example: string): StringCheck {
  return (value) => {
    if (value === '') return 'Must not be empty';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `Expected an http(s) URL such as ${example}`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `Expected an http(s) URL such as ${example}`;
    // Never the URL itself in the message: the password would be repeated.
    return url.username || url.password
      ? 'Must not hold a user name or password (user:password@): they would be stored in Temporal history and sent with every request; use the credential fields of the config'
      : undefined;
  };
}

// Optional AWS strings may be empty (an environment variable set to ''); they then count as absent.
const optionalText = (check?: StringCheck) =>
  (check === undefined
    ? z.string()
    : checkedString((value) => (value === '' ? undefined : check(value)))
  ).nullish();

const entityName: StringCheck = (value) => {
  if (value === '') return 'Must not be empty';
  if (value.length > MAX_ENTITY_NAME_LENGTH) return `Must be at most ${MAX_ENTITY_NAME_LENGTH} characters`;
  if (value.includes('::')) return "Must not contain '::'";
  if (value.includes('"')) return "Must not contain '\"'";
  return undefined;
};

const stsName: StringCheck = (value) =>
  STS_NAME.test(value) ? undefined : 'Must be 2 to 64 characters: letters, digits and any of _+=,.@-';

const roleArn: StringCheck = (value) =>
  value.startsWith('arn:') ? undefined : 'Expected a role ARN such as arn:aws:iam::123456789012:role/name';

const filterEntry = checkedString((pattern) => {
  const problem = filterEntryProblem(pattern);
  return problem === undefined ? undefined : `Invalid regular expression: ${problem}`;
});

/** type/filterPattern.json#/definitions/filterPattern */
export const filterPatternSchema = z.strictObject({
  includes: z.array(filterEntry).nullish(),
  excludes: z.array(filterEntry).nullish(),
});

/** basic.json#/definitions/componentConfig: free-form. */
const componentConfigSchema = z.record(z.string(), z.unknown()).nullish();

/** security/credentials/awsCredentials.json (`enabled`: 1.13 and later). */
const awsCredentialsSchema = z.strictObject({
  awsAccessKeyId: optionalText(),
  awsSecretAccessKey: optionalText(),
  awsRegion: checkedString(nonEmpty),
  awsSessionToken: optionalText(),
  endPointURL: optionalText(httpUrl('https://kinesis.us-east-2.amazonaws.com')),
  profileName: optionalText(),
  assumeRoleArn: optionalText(roleArn),
  assumeRoleSessionName: optionalText(stsName),
  assumeRoleSourceIdentity: optionalText(stsName),
  enabled: z.boolean().nullish(),
});

/**
 * entity/services/connections/messaging/kinesisConnection.json (`topicFilterPattern`: 1.9 and
 * later, never read by the official connector; `supportsProfiler`: 2.0).
 */
const kinesisConnectionSchema = z.strictObject({
  // Absent means the schema default, Kinesis.
  type: z.literal('Kinesis').nullish(),
  awsConfig: awsCredentialsSchema,
  supportsMetadataExtraction: z.boolean().nullish(),
  topicFilterPattern: filterPatternSchema.nullish(),
  supportsProfiler: z.boolean().nullish(),
});

/** metadataIngestion/messagingServiceMetadataPipeline.json (`overrideMetadata`: 1.5 and later). */
const messagingMetadataPipelineSchema = z.strictObject({
  // Absent means the schema default, MessagingMetadata.
  type: z.literal('MessagingMetadata').nullish(),
  topicFilterPattern: filterPatternSchema.nullish(),
  generateSampleData: z.boolean().nullish(),
  markDeletedTopics: z.boolean().nullish(),
  overrideMetadata: z.boolean().nullish(),
});

/** workflow.json#/definitions/source, narrowed to Kinesis. */
const sourceSchema = z.strictObject({
  // The official loader lower-cases the source type before looking the connector up.
  type: checkedString((value) =>
    value.toLowerCase() === 'kinesis'
      ? undefined
      : `Expected 'kinesis', received '${value}' (this tool ingests Kinesis only)`,
  ),
  serviceName: checkedString(entityName),
  // Optional in the official schema (the connection is then read from the server); required here.
  serviceConnection: z.strictObject({ config: kinesisConnectionSchema }),
  sourceConfig: z.strictObject({ config: messagingMetadataPipelineSchema.nullish() }),
});

/** workflow.json#/definitions/{processor,stage,bulkSink}: accepted, unused by a metadata ingestion. */
const componentSchema = z.strictObject({ type: z.string(), config: componentConfigSchema });

const sinkSchema = z.strictObject({ type: z.literal('metadata-rest'), config: componentConfigSchema });

const authProviderSchema = z.enum(AUTH_PROVIDERS).superRefine((provider, context) => {
  if (!(SUPPORTED_AUTH_PROVIDERS as readonly string[]).includes(provider)) {
    context.addIssue({
      code: 'custom',
      message: `'${provider}' is not supported by this tool: use 'openmetadata' with a bot JWT token (securityConfig.jwtToken), or 'no-auth'`,
    });
  }
});

const optionalBoolean = z.boolean().nullish();

/** entity/services/connections/metadata/openMetadataConnection.json (keys of every 1.x release). */
const openMetadataConnectionSchema = z.strictObject({
  clusterName: z.string().nullish(),
  type: z.literal('OpenMetadata').nullish(),
  hostPort: checkedString(httpUrl('http://localhost:8585/api')),
  authProvider: authProviderSchema.nullish(),
  verifySSL: z.enum(VERIFY_SSL_VALUES).nullish(),
  // security/ssl/validateSSLClientConfig.json; certificatePath is the name releases before 1.2 used.
  sslConfig: z
    .strictObject({
      caCertificate: optionalText(),
      sslCertificate: optionalText(),
      sslKey: optionalText(),
      certificatePath: optionalText(),
    })
    .nullish(),
  // security/client/openMetadataJWTClientConfig.json
  securityConfig: z.strictObject({ jwtToken: checkedString(nonEmpty) }).nullish(),
  secretsManagerProvider: z.string().nullish(),
  secretsManagerLoader: z.string().nullish(),
  secretsManagerCredentials: z.record(z.string(), z.unknown()).nullish(),
  apiVersion: z.string().nullish(),
  includeTopics: optionalBoolean,
  includeTables: optionalBoolean,
  includeDashboards: optionalBoolean,
  includePipelines: optionalBoolean,
  includeMlModels: optionalBoolean,
  includeUsers: optionalBoolean,
  includeTeams: optionalBoolean,
  includeGlossaryTerms: optionalBoolean,
  includeTags: optionalBoolean,
  includePolicy: optionalBoolean,
  includeMessagingServices: optionalBoolean,
  enableVersionValidation: optionalBoolean,
  includeDatabaseServices: optionalBoolean,
  includePipelineServices: optionalBoolean,
  limitRecords: z.number().int().nullish(),
  forceEntityOverwriting: optionalBoolean,
  storeServiceConnection: optionalBoolean,
  elasticsSearch: componentSchema.nullish(),
  schemaFilterPattern: filterPatternSchema.nullish(),
  tableFilterPattern: filterPatternSchema.nullish(),
  databaseFilterPattern: filterPatternSchema.nullish(),
  supportsDataInsightExtraction: optionalBoolean,
  supportsElasticSearchReindexingExtraction: optionalBoolean,
  // Header names are checked in rules.ts, so that they are reported even when a value is wrong.
  extraHeaders: z.record(z.string(), z.string()).nullish(),
});

const percentage = z
  .number()
  .int()
  .superRefine((value, context) => {
    if (value < 0 || value > 100) {
      context.addIssue({ code: 'custom', message: `Expected an integer from 0 to 100, received ${value}` });
    }
  });

/** workflow.json#/definitions/workflowConfig */
const workflowConfigSchema = z.strictObject({
  loggerLevel: z.enum(LOGGER_LEVELS).nullish(),
  successThreshold: percentage.nullish(),
  raiseOnError: optionalBoolean,
  openMetadataServerConfig: openMetadataConnectionSchema,
  config: componentConfigSchema,
});

/** workflow.json#/properties/openMetadataWorkflowConfig: the document a YAML config file holds. */
export const workflowDocumentSchema = z.strictObject({
  source: sourceSchema,
  processor: componentSchema.nullish(),
  // Optional in the schema, but the official metadata workflow cannot run without one.
  sink: sinkSchema,
  stage: componentSchema.nullish(),
  bulkSink: componentSchema.nullish(),
  workflowConfig: workflowConfigSchema,
  ingestionPipelineFQN: z.string().nullish(),
  pipelineRunId: z.string().nullish(),
  // 1.13 and later.
  enableStreamableLogs: z.boolean().nullish(),
  ingestionRunnerName: z.string().nullish(),
});

export type WorkflowDocument = z.output<typeof workflowDocumentSchema>;
