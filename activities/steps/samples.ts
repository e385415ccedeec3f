import type { SampleDataResult, SampleTarget } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import { sampleStreamMessages } from '../aws/shard-sampling.js';
import { heartbeatAtMostEvery } from '../heartbeats.js';
import { sampleDigestOf, topicRequestOf } from '../openmetadata/topic-request.js';
import type { RunResources } from '../run-resources.js';
import { requireStreamName } from './describe.js';

export function createSampleActivities({
  aws,
  openMetadata,
  pageSizes,
  boundary,
}: Pick<RunResources, 'aws' | 'openMetadata' | 'pageSizes' | 'boundary'>) {
  return {
    /**
     * Samples the stream and stores the messages as the topic's sample data, only if they
     * changed. With `target`, what is stored is known from the digest the topic carries in its
     * topicConfig (read with the topic, in the pages of the service's topics): an unchanged
     * sample costs no request at all, and a changed one is written with its topic's new digest.
     * Without it (a run started before digests), the stored sample is read back to compare.
     */
    async ingestSampleData(
      ctx: RunContext,
      streamName: string,
      topicId: string | undefined,
      /** The topic was created by this run's upsert: it has no sample data to compare with yet. */
      topicIsNew = false,
      target?: SampleTarget,
    ): Promise<SampleDataResult> {
      return boundary(ctx, async () => {
        requireStreamName(streamName);
        const limits = {
          maxMessages: ctx.options.sampleSize,
          ...(pageSizes.shards ? { shardPageSize: pageSizes.shards } : {}),
        };
        const messages = await sampleStreamMessages(
          aws(ctx).kinesis,
          streamName,
          limits,
          heartbeatAtMostEvery(),
        );
        if (messages.length === 0) return { messages: 0, written: false };
        const digest = sampleDigestOf(messages);
        const client = openMetadata(ctx);
        if (target) {
          if (!topicIsNew && target.storedDigest === digest)
            return { messages: messages.length, written: false };
        } else {
          const stored = topicId && !topicIsNew ? await client.sampleData(topicId) : undefined;
          if (stored && sampleDigestOf(stored) === digest)
            return { messages: messages.length, written: false };
        }
        // In a dry run, `written` says that it would be written.
        if (ctx.options.dryRun || !topicId) return { messages: messages.length, written: ctx.options.dryRun };
        await client.putSampleData(topicId, messages);
        if (target) {
          // The digest goes with the topic, where the next run reads it in the service's pages.
          await client.putTopic(
            topicRequestOf(target.facts, target.serviceFqn, ctx.config.aws.awsRegion, digest),
          );
        }
        return { messages: messages.length, written: true };
      });
    },
  };
}
