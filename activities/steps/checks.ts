import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsIdentity, OpenMetadataCheck } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import { classifyAwsError } from '../aws/aws-errors.js';
import { FailureType } from '../../common/failure-types.js';
import { IngestionActivityError, OpenMetadataVersionMismatchError } from '../errors.js';
import {
  dialectFor,
  isSupportedServerVersion,
  parseServerVersion,
  SUPPORTED_RANGE_TEXT,
} from '../openmetadata/dialect.js';
import type { RunResources } from '../run-resources.js';

/** The checks a run makes before it writes anything: each names what to fix when it fails. */
export function createCheckActivities({
  aws,
  openMetadata,
  boundary,
}: Pick<RunResources, 'aws' | 'openMetadata' | 'boundary'>) {
  return {
    async verifyAwsIdentity(ctx: RunContext): Promise<AwsIdentity> {
      return boundary(ctx, async () => {
        if (!ctx.config.aws.assumeRoleArn) return { assumedRole: false };
        const { sts } = aws(ctx);
        try {
          const identity = await sts.send(new GetCallerIdentityCommand({}));
          return { assumedRole: true, account: identity.Account ?? '', arn: identity.Arn ?? '' };
        } catch (error) {
          throw classifyAwsError(error, 'sts:AssumeRole', ctx.config.aws.assumeRoleArn);
        }
      });
    },

    /**
     * Reads the server's version (which decides the dialect the run speaks) and proves the
     * token works. A version outside 1.3 to 2.0 fails the run, or with
     * enableVersionValidation: false is a warning and the nearest version's dialect is spoken.
     */
    async checkOpenMetadata(ctx: RunContext): Promise<OpenMetadataCheck> {
      return boundary(ctx, async () => {
        const client = openMetadata(ctx);
        const version = await client.serverVersion();
        const warnings: string[] = [];
        const parsed = parseServerVersion(version);
        if (!parsed || !isSupportedServerVersion(parsed)) {
          if (ctx.config.openMetadata.enableVersionValidation) {
            throw new OpenMetadataVersionMismatchError(
              `OpenMetadata server version ${version} is not supported (this tool supports ${SUPPORTED_RANGE_TEXT}): upgrade the server, or set workflowConfig.openMetadataServerConfig.enableVersionValidation: false to try anyway`,
            );
          }
          warnings.push(
            `OpenMetadata server version ${version} is outside the supported ${SUPPORTED_RANGE_TEXT}; enableVersionValidation is false, so the run goes on speaking ${dialectFor(version).version}'s API`,
          );
        }
        // The version endpoint needs no token: an authenticated read proves the token works.
        await client.messagingServiceByName(ctx.config.serviceName);
        if (client.tokenIsPersons)
          warnings.push(
            "the OpenMetadata token is a person's, not a bot's (its isBot claim is false): OpenMetadata keeps what users wrote on a topic only against a bot's writes; om-kinesis sends back descriptions, display names and message schemas, but a topic's custom properties would be lost on each write. Use a bot's token (Settings > Bots, e.g. ingestion-bot)",
          );
        return { version, warnings };
      });
    },

    async checkKinesisConnection(ctx: RunContext): Promise<void> {
      return boundary(ctx, async () => {
        try {
          await aws(ctx).kinesis.send(new ListStreamsCommand({ Limit: 1 }));
        } catch (error) {
          const failure = classifyAwsError(error, 'kinesis:ListStreams');
          if (failure.type !== FailureType.AwsUnavailable) throw failure;
          // Kinesis could not be reached at all: name the setting that says where it is.
          const { endPointURL, awsRegion } = ctx.config.aws;
          const hint = endPointURL
            ? `Check source.serviceConnection.config.awsConfig.endPointURL (${endPointURL})`
            : `Check source.serviceConnection.config.awsConfig.awsRegion (${awsRegion}) and that this worker reaches Kinesis there`;
          throw new IngestionActivityError(failure.type, `${failure.message}. ${hint}`, failure.retryable, {
            cause: error,
          });
        }
      });
    },
  };
}
