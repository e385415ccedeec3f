import type { SampleDataResult } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import { sampleStreamMessages } from '../aws/shard-sampling.js';
import { heartbeatAtMostEvery } from '../heartbeats.js';
import type { RunResources } from '../run-resources.js';
import { requireStreamName } from './describe.js';

export function createSampleActivities({
  aws,
  openMetadata,
  pageSizes,
  boundary,
}: Pick<RunResources, 'aws' | 'openMetadata' | 'pageSizes' | 'boundary'>) {
  return {
    /** Samples the stream and stores the messages as the topic's sample data (only if they changed). */
    async ingestSampleData(
      ctx: RunContext,
      streamName: string,
      topicId: string | undefined,
      /** The topic was created by this run's upsert: it has no sample data to compare with yet. */
      topicIsNew = false,
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
        const client = openMetadata(ctx);
        const stored = topicId && !topicIsNew ? await client.sampleData(topicId) : undefined;
        if (stored && sameMessages(stored, messages)) return { messages: messages.length, written: false };
        // In a dry run, `written` says that it would be written.
        if (ctx.options.dryRun || !topicId) return { messages: messages.length, written: ctx.options.dryRun };
        await client.putSampleData(topicId, messages);
        return { messages: messages.length, written: true };
      });
    },
  };
}

function sameMessages(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((message, i) => message === b[i]);
}
