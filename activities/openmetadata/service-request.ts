import type { IngestionConfig } from '../../common/config/index.js';
import type { OpenMetadataDialect } from './dialect.js';

/** The awsConfig secrets, resolved on the worker, by YAML key. */
export type ResolvedAwsSecrets = Partial<
  Record<'awsAccessKeyId' | 'awsSecretAccessKey' | 'awsSessionToken', string>
>;

/**
 * CreateMessagingService for the run's service, with the connection as OpenMetadata's
 * `storeServiceConnection` says: by default the connection as configured, secrets included
 * (OpenMetadata encrypts them; its UI's test connection and its own runs use them), and with
 * `storeServiceConnection: false` none at all. Keys newer than the server are left out.
 */
export function toCreateMessagingServiceRequest(
  config: IngestionConfig,
  secrets: ResolvedAwsSecrets,
  dialect: OpenMetadataDialect,
): { name: string; serviceType: 'Kinesis'; connection?: { config: Record<string, unknown> } } {
  const request = { name: config.serviceName, serviceType: 'Kinesis' as const };
  if (!config.openMetadata.storeServiceConnection) return request;
  return { ...request, connection: { config: kinesisConnectionOf(config, secrets, dialect) } };
}

function kinesisConnectionOf(
  config: IngestionConfig,
  secrets: ResolvedAwsSecrets,
  dialect: OpenMetadataDialect,
): Record<string, unknown> {
  const aws = config.aws;
  const awsConfig: Record<string, unknown> = { ...secrets, awsRegion: aws.awsRegion };
  if (aws.endPointURL) awsConfig.endPointURL = aws.endPointURL;
  if (aws.profileName) awsConfig.profileName = aws.profileName;
  if (aws.assumeRoleArn) {
    awsConfig.assumeRoleArn = aws.assumeRoleArn;
    awsConfig.assumeRoleSessionName = aws.assumeRoleSessionName;
    if (aws.assumeRoleSourceIdentity) awsConfig.assumeRoleSourceIdentity = aws.assumeRoleSourceIdentity;
  }
  if (aws.enabled !== undefined && dialect.connectionKeys.awsConfigEnabled) awsConfig.enabled = aws.enabled;
  const connection: Record<string, unknown> = { type: 'Kinesis', awsConfig };
  const extras = config.connectionExtras;
  if (extras.topicFilterPattern && dialect.connectionKeys.topicFilterPattern)
    connection.topicFilterPattern = extras.topicFilterPattern;
  if (extras.supportsProfiler !== undefined && dialect.connectionKeys.supportsProfiler)
    connection.supportsProfiler = extras.supportsProfiler;
  if (extras.supportsMetadataExtraction !== undefined)
    connection.supportsMetadataExtraction = extras.supportsMetadataExtraction;
  return connection;
}

/** The connection's keys as `awsConfig.awsRegion`-style paths: what a dry run says it would store. */
export function connectionKeysOf(connection: Record<string, unknown> | undefined): string[] {
  if (!connection) return [];
  const keys: string[] = [];
  for (const [key, value] of Object.entries(connection)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      keys.push(...Object.keys(value).map((inner) => `${key}.${inner}`));
    else keys.push(key);
  }
  return keys;
}
