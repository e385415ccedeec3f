import type { TopicUpsertResult } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import type { StreamFacts } from '../../common/stream-facts.js';
import {
  changedTopicFields,
  toCreateTopicRequest,
  topicFqn,
  UnmappableStreamError,
} from '../../common/topic-mapping.js';
import type { RunResources } from '../run-resources.js';

export function createTopicActivities({
  openMetadata,
  boundary,
}: Pick<RunResources, 'openMetadata' | 'boundary'>) {
  return {
    /**
     * Writes the stream's topic only when a field this product owns changed (or the topic is
     * new, or was soft-deleted and its stream is back); fields users own are never sent.
     */
    async upsertTopic(ctx: RunContext, serviceFqn: string, facts: StreamFacts): Promise<TopicUpsertResult> {
      return boundary(ctx, async () => {
        let request;
        try {
          request = toCreateTopicRequest(facts, serviceFqn, ctx.config.aws.awsRegion);
        } catch (error) {
          if (error instanceof UnmappableStreamError)
            return { outcome: 'skipped', changedFields: [], reason: error.message };
          throw error;
        }
        const client = openMetadata(ctx);
        const fqn = topicFqn(ctx.config.serviceName, facts.name);
        let stored = await client.topicByFqn(fqn, { include: 'all' });
        if (ctx.options.dryRun) {
          if (!stored) return { outcome: 'created', changedFields: [] };
          const changedFields = changedTopicFields(request, stored);
          const outcome = changedFields.length > 0 || stored.deleted ? 'updated' : 'unchanged';
          return { topicId: stored.id, outcome, changedFields };
        }
        let restored = false;
        if (stored?.deleted) {
          // The stream is back (or filtered in again): its topic returns with its history.
          stored = await client.restoreTopic(stored.id);
          restored = true;
        }
        const changedFields = stored ? changedTopicFields(request, stored) : [];
        if (stored && changedFields.length === 0) {
          return {
            topicId: stored.id,
            outcome: restored ? 'updated' : 'unchanged',
            changedFields: restored ? ['deleted'] : [],
          };
        }
        const { entity, change } = await client.putTopic(request);
        const outcome =
          change === 'entityCreated'
            ? 'created'
            : change === 'entityNoChange' && !restored
              ? 'unchanged'
              : 'updated';
        return { topicId: entity.id, outcome, changedFields };
      });
    },
  };
}
