import type { TopicUpsertResult } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import type { StreamFacts } from '../../common/stream-facts.js';
import { changedTopicFields, topicFqn, UnmappableStreamError } from '../../common/topic-mapping.js';
import { storedSampleDigest, topicRequestOf } from '../openmetadata/topic-request.js';
import type { RunResources } from '../run-resources.js';

export function createTopicActivities({
  openMetadata,
  storedTopics,
  boundary,
}: Pick<RunResources, 'openMetadata' | 'storedTopics' | 'boundary'>) {
  return {
    /**
     * Writes the stream's topic only when a field this product owns changed (or the topic is
     * new, or was soft-deleted and its stream is back); fields users own are never sent. The
     * stored topic comes from the run's index of the service's topics (pages of ~100), so an
     * unchanged topic costs no request of its own: same sourceHash, or same fields, no write.
     */
    async upsertTopic(ctx: RunContext, serviceFqn: string, facts: StreamFacts): Promise<TopicUpsertResult> {
      return boundary(ctx, async () => {
        const client = openMetadata(ctx);
        let stored;
        let request;
        try {
          const fqn = topicFqn(ctx.config.serviceName, facts.name);
          stored = await storedTopics.stateOf(client, ctx.runId, serviceFqn, facts.name, fqn);
          request = topicRequestOf(facts, serviceFqn, ctx.config.aws.awsRegion, storedSampleDigest(stored));
        } catch (error) {
          if (error instanceof UnmappableStreamError)
            return { outcome: 'skipped', changedFields: [], reason: error.message };
          throw error;
        }
        const sampleDigest = storedSampleDigest(stored);
        const unchanged = (fields: string[]) =>
          stored !== undefined && (stored.sourceHash === request.sourceHash || fields.length === 0);
        const changedFields = stored ? changedTopicFields(request, stored.fields) : [];
        if (ctx.options.dryRun) {
          if (!stored) return { outcome: 'created', changedFields: [] };
          const outcome = !unchanged(changedFields) || stored.deleted ? 'updated' : 'unchanged';
          return { topicId: stored.id, outcome, changedFields, ...(sampleDigest ? { sampleDigest } : {}) };
        }
        let restored = false;
        if (stored?.deleted) {
          // The stream is back (or filtered in again): its topic returns with its history.
          await client.restoreTopic(stored.id);
          restored = true;
        }
        if (stored && unchanged(changedFields)) {
          return {
            topicId: stored.id,
            outcome: restored ? 'updated' : 'unchanged',
            changedFields: restored ? ['deleted'] : [],
            ...(sampleDigest ? { sampleDigest } : {}),
          };
        }
        const { entity, change } = await client.putTopic(request);
        const outcome =
          change === 'entityCreated'
            ? 'created'
            : change === 'entityNoChange' && !restored
              ? 'unchanged'
              : 'updated';
        return { topicId: entity.id, outcome, changedFields, ...(sampleDigest ? { sampleDigest } : {}) };
      });
    },
  };
}
