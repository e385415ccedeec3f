import type { ServiceUpsertResult } from '../../common/activity-results.js';
import { FailureType } from '../../common/failure-types.js';
import type { RunContext } from '../../common/run-context.js';
import { quoteFqnPart } from '../../common/topic-mapping.js';
import { IngestionActivityError } from '../errors.js';
import { dialectFor } from '../openmetadata/dialect.js';
import { OpenMetadataHttpError } from '../openmetadata/openmetadata-client.js';
import {
  connectionKeysOf,
  toCreateMessagingServiceRequest,
  type ResolvedAwsSecrets,
} from '../openmetadata/service-request.js';
import type { RunResources } from '../run-resources.js';
import { resolveSecretField, secretFieldsOf } from '../secrets.js';

export function createServiceActivities({
  openMetadata,
  secrets,
  boundary,
}: Pick<RunResources, 'openMetadata' | 'secrets' | 'boundary'>) {
  return {
    /**
     * Creates the run's messaging service when it does not exist, as OpenMetadata's own
     * clients do, and never writes an existing one: its connection (and the credentials an
     * admin stored in it), description, owners and tags stay as they are. A soft-deleted one is
     * restored as it was. (The name is the step's historical one: it no longer updates.)
     */
    async upsertMessagingService(ctx: RunContext): Promise<ServiceUpsertResult> {
      return boundary(ctx, async () => {
        const serviceFqn = quoteFqnPart(ctx.config.serviceName);
        const client = openMetadata(ctx);
        const existing = await client.messagingServiceByName(serviceFqn, { include: 'all' });
        if (existing) {
          if (existing.serviceType !== 'Kinesis') {
            throw new IngestionActivityError(
              FailureType.OpenMetadataRequestRejected,
              `OpenMetadata already has a messaging service named ${ctx.config.serviceName} of type ${String(existing.serviceType)}: give source.serviceName the name of a Kinesis service, or a new name`,
              false,
            );
          }
          if (!existing.deleted) return { serviceFqn: existing.fullyQualifiedName, outcome: 'unchanged' };
          if (!ctx.options.dryRun) await client.restoreMessagingService(existing.id);
          return { serviceFqn: existing.fullyQualifiedName, outcome: 'restored' };
        }
        const request = toCreateMessagingServiceRequest(
          ctx.config,
          resolvedAwsSecrets(ctx),
          dialectFor(ctx.openMetadataVersion),
        );
        const connectionKeys = connectionKeysOf(request.connection?.config);
        if (ctx.options.dryRun) return { serviceFqn, outcome: 'created', connectionKeys };
        try {
          const created = await client.createMessagingService(request);
          return { serviceFqn: created.fullyQualifiedName, outcome: 'created', connectionKeys };
        } catch (error) {
          // Created meanwhile by someone else (409): theirs stands, untouched.
          if (!(error instanceof OpenMetadataHttpError && error.status === 409)) throw error;
          return { serviceFqn, outcome: 'unchanged' };
        }
      });
    },
  };

  function resolvedAwsSecrets(ctx: RunContext): ResolvedAwsSecrets {
    const resolved: ResolvedAwsSecrets = {};
    for (const secret of secretFieldsOf(ctx.config)) {
      if (secret.kind !== 'aws') continue;
      const key = secret.field.slice(secret.field.lastIndexOf('.') + 1) as keyof ResolvedAwsSecrets;
      resolved[key] = resolveSecretField(secret, ctx.config, secrets);
    }
    return resolved;
  }
}
