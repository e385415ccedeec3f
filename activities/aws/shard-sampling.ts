import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { toSampleMessage } from '../sample-messages.js';
import { classifyAwsError } from './aws-errors.js';
import { isOpenShard, listAllShards } from './kinesis-listing.js';

export interface SamplingLimits {
  /** Messages wanted in all. */
  maxMessages: number;
  /** Shards visited at most (a stream may have thousands). */
  maxShards?: number;
  /** GetRecords calls per shard at most: pages can be empty while data lies further on. */
  maxCallsPerShard?: number;
  /** Pause between two GetRecords on one shard: AWS allows 5 per second per shard. */
  perShardIntervalMs?: number;
  shardPageSize?: number;
}

/**
 * Reads up to `maxMessages` records from the start of the stream's retained data: closed
 * shards (parents of splits and merges, oldest data) first, then open ones, following
 * NextShardIterator until enough records, the shard's end, or the caught-up point.
 * `onProgress` is called between calls (activities heartbeat there).
 */
export async function sampleStreamMessages(
  kinesis: KinesisClient,
  streamName: string,
  limits: SamplingLimits,
  onProgress: () => void = () => {},
): Promise<string[]> {
  const messages: string[] = [];
  if (limits.maxMessages <= 0) return messages;
  const shards = orderForSampling(
    await listAllShards(kinesis, streamName, limits.shardPageSize),
    limits.maxShards ?? 50,
  );
  for (const shard of shards) {
    if (messages.length >= limits.maxMessages) break;
    onProgress();
    await readShard(kinesis, streamName, shard, messages, limits, onProgress);
  }
  return messages;
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
  messages: string[],
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
  for (let call = 0; iterator && call < maxCalls && messages.length < limits.maxMessages; call++) {
    if (call > 0) await sleep(interval);
    let page;
    try {
      page = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: limits.maxMessages - messages.length }),
      );
    } catch (error) {
      throw classifyAwsError(error, 'kinesis:GetRecords', `${streamName}/${shardId}`);
    }
    for (const record of page.Records ?? []) {
      if (messages.length >= limits.maxMessages) break;
      messages.push(toSampleMessage(record.Data ?? new Uint8Array()));
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
