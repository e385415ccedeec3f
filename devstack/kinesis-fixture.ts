// Test fixtures on a Kinesis emulator: create streams, fill them, reshard them, clean up.
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  AddTagsToStreamCommand,
  ListStreamsCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  ResourceNotFoundException,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import type { PutRecordsRequestEntry, Shard, StreamStatus } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface KinesisEndpointOptions {
  endpoint: string;
  region: string;
  /**
   * Default `test`. On kinesis-local a 12-digit value selects that AWS account, which isolates
   * the streams seen through this client (see kinesis-local.ts).
   */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface KinesisClientOptions extends KinesisEndpointOptions {
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

export interface PutRecordResult {
  shardId: string;
  sequenceNumber: string;
}

export interface SplitShardResult {
  parentShardId: string;
  childShardIds: string[];
}

/** Thrown when a stream does not reach the expected state in time. */
export class StreamStateTimeoutError extends Error {
  readonly code = 'STREAM_STATE_TIMEOUT';
  constructor(stream: string, expected: string, last: string, timeoutMs: number) {
    super(`Stream ${stream} was not ${expected} after ${timeoutMs} ms (last status: ${last}).`);
    this.name = 'StreamStateTimeoutError';
  }
}

/** Thrown when PutRecords keeps rejecting some records after retries. */
export class PutRecordsFailedError extends Error {
  readonly code = 'PUT_RECORDS_FAILED';
  constructor(stream: string, failed: number, firstError: string) {
    super(
      `PutRecords to ${stream}: ${failed} record(s) still failed after retries (first error: ${firstError}).`,
    );
    this.name = 'PutRecordsFailedError';
  }
}

const MAX_RECORDS_PER_PUT = 500;
const MAX_BYTES_PER_PUT = 5 * 1024 * 1024;
const PUT_ATTEMPTS = 5;
const STATE_TIMEOUT_MS = 30_000;
const DEFAULT_CONCURRENCY = 8;

/**
 * A Kinesis client for a local emulator: an explicit endpoint, static fake credentials, and the
 * HTTP/1.1 handler (the SDK's default HTTP/2 handler fails against HTTP/1.1-only emulators).
 */
export function createKinesisClient(options: KinesisClientOptions): KinesisClient {
  return new KinesisClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: {
      accessKeyId: options.accessKeyId ?? 'test',
      secretAccessKey: options.secretAccessKey ?? 'test',
    },
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // Without it a request past its timeout only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    }),
    maxAttempts: options.maxAttempts ?? 3,
  });
}

export class KinesisFixture {
  readonly client: KinesisClient;

  constructor(options: KinesisEndpointOptions) {
    this.client = createKinesisClient(options);
  }

  /** Creates the streams (at most `concurrency` calls in flight) and waits until all are ACTIVE. */
  async createStreams(
    names: readonly string[],
    shards: number,
    options: { mode?: 'PROVISIONED' | 'ON_DEMAND'; concurrency?: number; maxRecordSizeInKiB?: number } = {},
  ): Promise<void> {
    const mode = options.mode ?? 'PROVISIONED';
    const recordSize = options.maxRecordSizeInKiB ? { MaxRecordSizeInKiB: options.maxRecordSizeInKiB } : {};
    await forEachLimited(names, options.concurrency ?? DEFAULT_CONCURRENCY, async (name) => {
      await this.client.send(
        new CreateStreamCommand(
          mode === 'ON_DEMAND'
            ? { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, ...recordSize }
            : {
                StreamName: name,
                ShardCount: shards,
                StreamModeDetails: { StreamMode: 'PROVISIONED' },
                ...recordSize,
              },
        ),
      );
      await this.waitForStatus(name, 'ACTIVE');
    });
  }

  /**
   * Puts the records in PutRecords calls of at most 500 records / 5 MiB, retrying the records a
   * call reports as failed. Without `partitionKey` each record gets its index as key, which
   * spreads records over the shards. Results are in input order.
   */
  async putRecords(
    stream: string,
    records: ReadonlyArray<string | Uint8Array>,
    partitionKey?: string,
  ): Promise<PutRecordResult[]> {
    const entries: PutRecordsRequestEntry[] = records.map((record, index) => ({
      Data: typeof record === 'string' ? Buffer.from(record, 'utf8') : record,
      PartitionKey: partitionKey ?? String(index),
    }));
    const results: PutRecordResult[] = new Array<PutRecordResult>(entries.length);
    for (const batch of batchIndexes(entries)) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const response = await this.client.send(
          new PutRecordsCommand({ StreamName: stream, Records: pending.map((index) => entries[index]!) }),
        );
        const failed: number[] = [];
        let firstError = '';
        (response.Records ?? []).forEach((result, position) => {
          const index = pending[position]!;
          if (result.ShardId && result.SequenceNumber) {
            results[index] = { shardId: result.ShardId, sequenceNumber: result.SequenceNumber };
          } else {
            failed.push(index);
            firstError ||= `${result.ErrorCode ?? 'unknown'}: ${result.ErrorMessage ?? ''}`;
          }
        });
        if (failed.length > 0 && attempt >= PUT_ATTEMPTS) {
          throw new PutRecordsFailedError(stream, failed.length, firstError);
        }
        if (failed.length > 0) await delay(50 * attempt);
        pending = failed;
      }
    }
    return results;
  }

  /**
   * Splits the stream's first open shard in two halves of its hash key range and waits until the
   * stream is ACTIVE again: the parent is then closed and still holds its records.
   */
  async splitShard(stream: string): Promise<SplitShardResult> {
    const parent = (await this.listAllShards(stream)).find(
      (shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
    );
    const range = parent?.HashKeyRange;
    if (!parent?.ShardId || !range?.StartingHashKey || !range.EndingHashKey) {
      throw new Error(`Stream ${stream} has no open shard to split.`);
    }
    const start = BigInt(range.StartingHashKey);
    const end = BigInt(range.EndingHashKey);
    if (end <= start)
      throw new Error(`Shard ${parent.ShardId} of ${stream} covers one hash key: cannot split it.`);
    await this.client.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: parent.ShardId,
        NewStartingHashKey: ((start + end + 1n) / 2n).toString(),
      }),
    );
    await this.waitForStatus(stream, 'ACTIVE');
    const children = (await this.listAllShards(stream)).filter(
      (shard) => shard.ParentShardId === parent.ShardId,
    );
    return { parentShardId: parent.ShardId, childShardIds: children.map((shard) => shard.ShardId ?? '') };
  }

  /** Registers enhanced fan-out consumers of the stream; returns their names in order. */
  async registerConsumers(stream: string, names: readonly string[]): Promise<string[]> {
    const arn = (await this.client.send(new DescribeStreamSummaryCommand({ StreamName: stream })))
      .StreamDescriptionSummary?.StreamARN;
    for (const name of names) {
      await this.client.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: name }));
    }
    return [...names];
  }

  async addTags(stream: string, tags: Record<string, string>): Promise<void> {
    await this.client.send(new AddTagsToStreamCommand({ StreamName: stream, Tags: tags }));
  }

  /** Deletes the stream (and its consumers) and waits until it is gone. */
  async deleteStream(stream: string): Promise<void> {
    await this.client.send(new DeleteStreamCommand({ StreamName: stream, EnforceConsumerDeletion: true }));
    await this.waitForStatus(stream, 'GONE');
  }

  /** Every stream name, following NextToken or else HasMoreStreams + ExclusiveStartStreamName. */
  async listAllStreamNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    for (;;) {
      const page = await this.client.send(
        nextToken
          ? new ListStreamsCommand({ NextToken: nextToken })
          : new ListStreamsCommand({ Limit: 100, ExclusiveStartStreamName: names.at(-1) }),
      );
      names.push(...(page.StreamNames ?? []));
      if (!page.HasMoreStreams || (page.StreamNames ?? []).length === 0) return names;
      nextToken = page.NextToken;
    }
  }

  /** Every shard of the stream, open and closed. */
  async listAllShards(stream: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // AWS rejects StreamName together with NextToken.
      const page = await this.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: stream }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  close(): void {
    this.client.destroy();
  }

  private async waitForStatus(stream: string, expected: StreamStatus | 'GONE'): Promise<void> {
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    let last = 'unknown';
    for (;;) {
      try {
        const { StreamDescriptionSummary } = await this.client.send(
          new DescribeStreamSummaryCommand({ StreamName: stream }),
        );
        last = StreamDescriptionSummary?.StreamStatus ?? 'unknown';
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        last = 'GONE';
      }
      if (last === expected) return;
      if (Date.now() >= deadline) throw new StreamStateTimeoutError(stream, expected, last, STATE_TIMEOUT_MS);
      await delay(25);
    }
  }
}

/** Index batches within the PutRecords limits (count and total bytes of data + keys). */
function batchIndexes(entries: readonly PutRecordsRequestEntry[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  entries.forEach((entry, index) => {
    const size = (entry.Data?.byteLength ?? 0) + Buffer.byteLength(entry.PartitionKey ?? '');
    if (current.length === MAX_RECORDS_PER_PUT || (current.length > 0 && bytes + size > MAX_BYTES_PER_PUT)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
