import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { classifyAwsError } from './aws-errors.js';
import { isOpenShard, listAllShards } from './kinesis-listing.js';

/** Where the records read go: it says how many messages it still wants (none: reading stops). */
export interface RecordSink {
  readonly wanted: number;
  add(data: Uint8Array): Promise<void>;
}

export interface SamplingLimits {
  /** Shards visited at most (a stream may have thousands). */
  maxShards?: number;
  /** GetRecords calls per shard at most: pages can be empty while data lies further on. */
  maxCallsPerShard?: number;
  /** Pause between two GetRecords on one shard: AWS allows 5 per second per shard. */
  perShardIntervalMs?: number;
  shardPageSize?: number;
}

/**
 * Reads records from the start of the stream's retained data into `sink` until it wants no
 * more: closed shards (parents of splits and merges, oldest data) first, then open ones,
 * following NextShardIterator until the sink is full, the shard's end, or the caught-up point.
 * `onProgress` is called between calls (activities heartbeat there).
 */
export async function sampleStreamRecords(
  kinesis: KinesisClient,
  streamName: string,
  sink: RecordSink,
  limits: SamplingLimits = {},
  onProgress: () => void = () => {},
): Promise<void> {
  if (sink.wanted <= 0) return;
  const shards = orderForSampling(
    await listAllShards(kinesis, streamName, limits.shardPageSize),
    limits.maxShards ?? 50,
  );
  for (const shard of shards) {
    if (sink.wanted <= 0) break;
    onProgress();
    await readShard(kinesis, streamName, shard, sink, limits, onProgress);
  }
}

/**
 * Closed shards first (they hold the oldest data), then open ones; each kind gets at most half
 * of `maxShards`, so that a stream resharded many times is still sampled from its open shards.
 */
function orderForSampling(shards: Shard[], maxShards: number): Shard[] {
  const half = Math.max(1, Math.floor(maxShards / 2));
  const closed = shards.filter((s) => !isOpenShard(s));
  const open = shards.filter(isOpenShard);
  const closedTaken = closed.slice(-Math.max(half, maxShards - open.length));
  return [...closedTaken, ...open].slice(0, maxShards);
}

async function readShard(
  kinesis: KinesisClient,
  streamName: string,
  shard: Shard,
  sink: RecordSink,
  limits: SamplingLimits,
  onProgress: () => void,
): Promise<void> {
  const shardId = shard.ShardId ?? '';
  let iterator: string | undefined;
  try {
    iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
  } catch (error) {
    throw classifyAwsError(error, 'kinesis:GetShardIterator', `${streamName}/${shardId}`);
  }
  const maxCalls = limits.maxCallsPerShard ?? 20;
  const interval = limits.perShardIntervalMs ?? 200;
  for (let call = 0; iterator && call < maxCalls && sink.wanted > 0; call++) {
    if (call > 0) await sleep(interval);
    let page;
    try {
      page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: sink.wanted }));
    } catch (error) {
      throw classifyAwsError(error, 'kinesis:GetRecords', `${streamName}/${shardId}`);
    }
    for (const record of page.Records ?? []) {
      if (sink.wanted <= 0) break;
      await sink.add(record.Data ?? new Uint8Array());
    }
    onProgress();
    // Caught up with the shard's tip: further pages stay empty until new data arrives. (An
    // empty page with MillisBehindLatest > 0 is normal at TRIM_HORIZON and is followed.)
    if (page.MillisBehindLatest === 0) break;
    iterator = page.NextShardIterator;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
