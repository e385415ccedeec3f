import type { RunContext } from '../../common/run-context.js';
import type { StreamFacts } from '../../common/stream-facts.js';
import { isKinesisStreamName, shownStreamName, STREAM_NAME_RULES } from '../../common/stream-names.js';
import { describeStreamFacts } from '../aws/kinesis-listing.js';
import { InvalidRunInputError } from '../errors.js';
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
      return boundary(ctx, () => {
        requireStreamName(streamName);
        return describeStreamFacts(aws(ctx).kinesis, streamName, pageSizes.shards, heartbeatAtMostEvery());
      });
    },
  };
}

/** Stream names reach this step from workflow input, which anyone who may start workflows writes. */
export function requireStreamName(name: unknown): asserts name is string {
  if (!isKinesisStreamName(name)) {
    throw new InvalidRunInputError(
      `${shownStreamName(name)} is not a Kinesis stream name (${STREAM_NAME_RULES})`,
    );
  }
}
