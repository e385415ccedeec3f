import type { IngestionConfig } from '../../common/config/index.js';

/**
 * CreateMessagingService for the run's service. The connection carries the AWS settings
 * without secret values: OpenMetadata stores connections for later runs from its UI, but this
 * product resolves secrets on its workers, so there is nothing secret to store there.
 */
export function toCreateMessagingServiceRequest(config: IngestionConfig): object {
  const aws = config.aws;
  const awsConfig: Record<string, string> = { awsRegion: aws.awsRegion };
  if (aws.endPointURL) awsConfig.endPointURL = aws.endPointURL;
  if (aws.profileName) awsConfig.profileName = aws.profileName;
  if (aws.assumeRoleArn) {
    awsConfig.assumeRoleArn = aws.assumeRoleArn;
    awsConfig.assumeRoleSessionName = aws.assumeRoleSessionName;
    if (aws.assumeRoleSourceIdentity) awsConfig.assumeRoleSourceIdentity = aws.assumeRoleSourceIdentity;
  }
  return {
    name: config.serviceName,
    serviceType: 'Kinesis',
    connection: { config: { type: 'Kinesis', awsConfig } },
  };
}
