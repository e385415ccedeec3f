import type { ServiceUpsertResult } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import { quoteFqnPart } from '../../common/topic-mapping.js';
import { toCreateMessagingServiceRequest } from '../openmetadata/service-request.js';
import type { RunResources } from '../run-resources.js';

export function createServiceActivities({
  openMetadata,
  boundary,
}: Pick<RunResources, 'openMetadata' | 'boundary'>) {
  return {
    async upsertMessagingService(ctx: RunContext): Promise<ServiceUpsertResult> {
      return boundary(ctx, async () => {
        const serviceFqn = quoteFqnPart(ctx.config.serviceName);
        const client = openMetadata(ctx);
        if (ctx.options.dryRun) {
          const existing = await client.messagingServiceByName(serviceFqn);
          return { serviceFqn, outcome: existing ? 'unchanged' : 'created' };
        }
        const { entity, change } = await client.putMessagingService(
          toCreateMessagingServiceRequest(ctx.config),
        );
        return {
          serviceFqn: entity.fullyQualifiedName,
          outcome:
            change === 'entityCreated' ? 'created' : change === 'entityUpdated' ? 'updated' : 'unchanged',
        };
      });
    },
  };
}
