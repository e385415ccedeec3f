import { effectiveAuthProvider } from './rules.js';
import type { WorkflowDocument } from './schema.js';
import type {
  AwsConfig,
  FilterPattern,
  IngestionConfig,
  OpenMetadataServerConfig,
  SupportedAuthProvider,
} from './types.js';

// The official defaults, applied in this one place (the schema only checks shapes).
export const DEFAULTS = {
  assumeRoleSessionName: 'OpenMetadataSession',
  generateSampleData: false,
  markDeletedTopics: true,
  verifySSL: 'no-ssl',
  enableVersionValidation: true,
  loggerLevel: 'INFO',
  successThreshold: 90,
  raiseOnError: true,
  storeServiceConnection: true,
} as const;

/** Turns a document that passed the schema and the cross-field rules into the product's config. */
export function normalizeIngestionConfig(document: WorkflowDocument): IngestionConfig {
  const { source, workflowConfig } = document;
  const pipeline = source.sourceConfig.config;
  const filter = pipeline?.topicFilterPattern;
  const connection = source.serviceConnection.config;
  const pipelineFqn = text(document.ingestionPipelineFQN);
  const runId = text(document.pipelineRunId);
  return withoutUndefined({
    serviceName: source.serviceName,
    sourceType: 'kinesis',
    aws: normalizeAws(connection.awsConfig),
    connectionExtras: withoutUndefined({
      topicFilterPattern: connection.topicFilterPattern
        ? normalizeFilter(connection.topicFilterPattern)
        : undefined,
      supportsProfiler: connection.supportsProfiler ?? undefined,
      supportsMetadataExtraction: connection.supportsMetadataExtraction ?? undefined,
    }),
    filter: filter == null ? undefined : normalizeFilter(filter),
    generateSampleData: pipeline?.generateSampleData ?? DEFAULTS.generateSampleData,
    markDeletedTopics: pipeline?.markDeletedTopics ?? DEFAULTS.markDeletedTopics,
    openMetadata: normalizeServer(workflowConfig.openMetadataServerConfig),
    loggerLevel: workflowConfig.loggerLevel ?? DEFAULTS.loggerLevel,
    successThreshold: workflowConfig.successThreshold ?? DEFAULTS.successThreshold,
    raiseOnError: workflowConfig.raiseOnError ?? DEFAULTS.raiseOnError,
    pipeline: pipelineFqn === undefined ? undefined : withoutUndefined({ fqn: pipelineFqn, runId }),
  });
}

type AwsDocument = WorkflowDocument['source']['serviceConnection']['config']['awsConfig'];
type ServerDocument = WorkflowDocument['workflowConfig']['openMetadataServerConfig'];
type FilterDocument = NonNullable<
  NonNullable<WorkflowDocument['source']['sourceConfig']['config']>['topicFilterPattern']
>;

function normalizeAws(aws: AwsDocument): AwsConfig {
  return withoutUndefined({
    awsAccessKeyId: text(aws.awsAccessKeyId),
    awsSecretAccessKey: text(aws.awsSecretAccessKey),
    awsSessionToken: text(aws.awsSessionToken),
    awsRegion: aws.awsRegion,
    endPointURL: text(aws.endPointURL),
    profileName: text(aws.profileName),
    assumeRoleArn: text(aws.assumeRoleArn),
    assumeRoleSessionName: text(aws.assumeRoleSessionName) ?? DEFAULTS.assumeRoleSessionName,
    assumeRoleSourceIdentity: text(aws.assumeRoleSourceIdentity),
    enabled: aws.enabled ?? undefined,
  });
}

function normalizeServer(server: ServerDocument): OpenMetadataServerConfig {
  return withoutUndefined({
    // The client appends '/v1/...'; a trailing slash would double it.
    hostPort: server.hostPort.replace(/\/+$/, ''),
    // The schema has rejected every other provider by now.
    authProvider: effectiveAuthProvider(server) as SupportedAuthProvider,
    jwtToken: text(server.securityConfig?.jwtToken),
    verifySSL: server.verifySSL ?? DEFAULTS.verifySSL,
    caCertificate: text(server.sslConfig?.caCertificate) ?? text(server.sslConfig?.certificatePath),
    extraHeaders: { ...(server.extraHeaders ?? {}) },
    enableVersionValidation: server.enableVersionValidation ?? DEFAULTS.enableVersionValidation,
    storeServiceConnection: server.storeServiceConnection ?? DEFAULTS.storeServiceConnection,
  });
}

function normalizeFilter(filter: FilterDocument): FilterPattern {
  return { includes: [...(filter.includes ?? [])], excludes: [...(filter.excludes ?? [])] };
}

/** Optional strings: null (an empty YAML value) and '' (an empty environment variable) mean absent. */
function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** Leaves absent optional keys out, so configs compare and serialize cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
