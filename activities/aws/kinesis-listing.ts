import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  ListStreamsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import type { StreamFacts } from '../../common/stream-facts.js';
import { classifyAwsError } from './aws-errors.js';

/**
 * Where one ListStreams page resumes within a listing. Servers that return `NextToken` (AWS
 * since 2022) are followed by token; servers that only say `HasMoreStreams` (older APIs,
 * kinesis-local, moto) by the last name seen.
 */
export type StreamListingCursor = { nextToken: string } | { afterName: string };

export interface StreamNamesPage {
  names: string[];
  /** Absent when the listing is complete. */
  next?: StreamListingCursor;
}

/** One ListStreams call. AWS returns at most 100 names per page whatever the Limit. */
export async function listStreamNamesPage(
  kinesis: KinesisClient,
  cursor: StreamListingCursor | undefined,
  limit = 100,
): Promise<StreamNamesPage> {
  // A request with NextToken must carry nothing else that selects the listing.
  const input =
    cursor && 'nextToken' in cursor
      ? { NextToken: cursor.nextToken }
      : { Limit: limit, ...(cursor ? { ExclusiveStartStreamName: cursor.afterName } : {}) };
  let output;
  try {
    output = await kinesis.send(new ListStreamsCommand(input));
  } catch (error) {
    throw classifyAwsError(error, 'kinesis:ListStreams');
  }
  const names =
    output.StreamNames ?? output.StreamSummaries?.map((s) => s.StreamName ?? '').filter(Boolean) ?? [];
  if (!output.HasMoreStreams) return { names };
  if (output.NextToken) return { names, next: { nextToken: output.NextToken } };
  const last = names[names.length - 1];
  if (last === undefined) {
    // HasMoreStreams with an empty page and no token cannot make progress: treat as an error
    // rather than report a partial listing as complete.
    throw classifyAwsError(
      Object.assign(new Error('ListStreams said HasMoreStreams but returned no names and no NextToken'), {
        $fault: 'server' as const,
      }),
      'kinesis:ListStreams',
    );
  }
  return { names, next: { afterName: last } };
}

/** Every name in the account, following all pages (used by the stale sweep). */
export async function listAllStreamNames(
  kinesis: KinesisClient,
  onPage?: () => void,
  pageSize = 100,
): Promise<string[]> {
  const names: string[] = [];
  let cursor: StreamListingCursor | undefined;
  do {
    const page = await listStreamNamesPage(kinesis, cursor, pageSize);
    names.push(...page.names);
    cursor = page.next;
    onPage?.();
  } while (cursor);
  return names;
}

/**
 * Every shard of a stream still within retention, open and closed. The first request names the
 * stream; the following ones carry NextToken alone, as AWS requires (the official connector
 * sends both and loses every page after the first).
 */
export async function listAllShards(
  kinesis: KinesisClient,
  streamName: string,
  pageSize = 1000,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    // MaxResults goes with the first request only: a NextToken request carries nothing else.
    const input = nextToken ? { NextToken: nextToken } : { StreamName: streamName, MaxResults: pageSize };
    let output;
    try {
      output = await kinesis.send(new ListShardsCommand(input));
    } catch (error) {
      throw classifyAwsError(error, 'kinesis:ListShards', streamName);
    }
    shards.push(...(output.Shards ?? []));
    nextToken = output.NextToken;
  } while (nextToken);
  return shards;
}

export function isOpenShard(shard: Shard): boolean {
  return shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
}

/**
 * DescribeStreamSummary, reduced to the facts a topic is built from. Its OpenShardCount is the
 * partition count; ListShards is called only when a Kinesis endpoint leaves it out, since every
 * call costs the crawl a round trip (the official connector lists every stream's shards).
 */
export async function describeStreamFacts(
  kinesis: KinesisClient,
  streamName: string,
  shardPageSize?: number,
  onProgress: () => void = () => {},
): Promise<StreamFacts> {
  let summary;
  try {
    summary = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName })))
      .StreamDescriptionSummary;
  } catch (error) {
    throw classifyAwsError(error, 'kinesis:DescribeStreamSummary', streamName);
  }
  if (!summary) {
    throw classifyAwsError(
      Object.assign(new Error('DescribeStreamSummary returned no StreamDescriptionSummary'), {
        $fault: 'server' as const,
      }),
      'kinesis:DescribeStreamSummary',
      streamName,
    );
  }
  onProgress();
  const open =
    summary.OpenShardCount ??
    (await listAllShards(kinesis, streamName, shardPageSize)).filter(isOpenShard).length;
  const facts: StreamFacts = {
    name: streamName,
    arn: summary.StreamARN ?? '',
    status: summary.StreamStatus ?? 'UNKNOWN',
    retentionPeriodHours: summary.RetentionPeriodHours ?? 24,
    openShardCount: open,
    createdAt: (summary.StreamCreationTimestamp ?? new Date(0)).toISOString(),
  };
  if (summary.StreamModeDetails?.StreamMode) facts.mode = summary.StreamModeDetails.StreamMode;
  if (summary.ConsumerCount !== undefined) facts.consumerCount = summary.ConsumerCount;
  if (summary.EncryptionType) facts.encryptionType = summary.EncryptionType;
  if (summary.MaxRecordSizeInKiB !== undefined) facts.maxRecordSizeInKiB = summary.MaxRecordSizeInKiB;
  return facts;
}
