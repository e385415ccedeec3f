import type { RunContext } from '../../common/run-context.js';
import type { StreamFacts } from '../../common/stream-facts.js';
import { describeStreamFacts } from '../aws/kinesis-listing.js';
import { heartbeatAtMostEvery } from '../heartbeats.js';
import type { RunResources } from '../run-resources.js';

/** The describe step runs on its own rate-limited task queue (see worker/create-worker.ts). */
export function createDescribeActivities({
  aws,
  pageSizes,
  boundary,
}: Pick<RunResources, 'aws' | 'pageSizes' | 'boundary'>) {
  return {
    async describeStream(ctx: RunContext, streamName: string): Promise<StreamFacts> {
      return boundary(ctx, () =>
        describeStreamFacts(aws(ctx).kinesis, streamName, pageSizes.shards, heartbeatAtMostEvery()),
      );
    },
  };
}
