import { sameMessageSchema, type MessageSchema } from './message-schema/index.js';
import type { StreamConsumer, StreamFacts } from './stream-facts.js';

/** CreateTopic (OpenMetadata 1.3) as this product sends it: only the fields it owns. */
export interface CreateTopicRequest {
  name: string;
  service: string;
  partitions: number;
  retentionTime: number;
  maximumMessageSize: number;
  sourceUrl: string;
  topicConfig: Record<string, unknown>;
  /**
   * Only when this run knows it and may write it (see activities/openmetadata/topic-ownership.ts);
   * otherwise the stored one is sent back as it is, as a PUT without it would remove it.
   */
  messageSchema?: MessageSchema;
  /** OpenMetadata's hash of the rest of the request (see activities/openmetadata/topic-request.ts). */
  sourceHash?: string;
}

/** The topic fields this product owns: compared with what is stored, and the only ones it writes. */
export const OWNED_TOPIC_FIELDS = [
  'partitions',
  'retentionTime',
  'maximumMessageSize',
  'sourceUrl',
  'topicConfig',
  'messageSchema',
] as const satisfies ReadonlyArray<keyof CreateTopicRequest>;

/**
 * The topicConfig key holding the digest of the sample data stored for the topic: read with
 * the topic in the pages of the service's topics, it tells whether a new sample differs
 * without reading the stored one.
 */
export const SAMPLE_DIGEST_KEY = 'sampleDataMd5';

/**
 * The topicConfig key holding the digest of the message schema this product last wrote: a
 * stored schema that does not match it was written by someone else, and is left as it is.
 */
export const SCHEMA_DIGEST_KEY = 'messageSchemaMd5';

/** What the topic step learns besides the stream's description; absent: not known this run. */
export interface TopicDetails {
  messageSchema?: MessageSchema;
  /** ListStreamConsumers. */
  consumers?: StreamConsumer[];
  /** ListTagsForStream. */
  tags?: Record<string, string>;
}

/** topicConfig keys filled from optional calls: when a call fails, the stored value is kept. */
export const CONSUMERS_CONFIG_KEY = 'enhancedFanOutConsumers';
export const TAGS_CONFIG_KEY = 'streamTags';

/** Kinesis's classic record size limit (1 MB), the value the official connector sends. */
export const DEFAULT_MAXIMUM_MESSAGE_SIZE = 1_000_000;
const MILLISECONDS_PER_HOUR = 3_600_000;

/** Thrown when a stream cannot be represented as an OpenMetadata topic. */
export class UnmappableStreamError extends Error {
  override readonly name = 'UnmappableStreamError';
}

/**
 * Builds the topic for a stream. A stream without open shards (being deleted, or all shards
 * closed) has no valid `partitions` value: OpenMetadata rejects 0, and the official
 * connector's fallback of counting closed shards misreports the stream.
 */
export function toCreateTopicRequest(
  facts: StreamFacts,
  serviceFqn: string,
  region: string,
  details: TopicDetails = {},
): CreateTopicRequest {
  if (facts.openShardCount < 1) {
    throw new UnmappableStreamError(
      `stream ${facts.name} has no open shards (status ${facts.status}); its topic is left as it is until it has`,
    );
  }
  // AWS reports MaxRecordSizeInKiB 1024 for streams with the classic limit: only a limit above
  // 1 MiB (a stream configured for larger records) replaces the 1,000,000 OpenMetadata shows.
  const recordLimitBytes = (facts.maxRecordSizeInKiB ?? 0) * 1024;
  const topicConfig: Record<string, unknown> = {
    streamArn: facts.arn,
    streamMode: facts.mode ?? 'PROVISIONED',
    encryptionType: facts.encryptionType ?? 'NONE',
    openShardCount: facts.openShardCount,
    streamCreationTimestamp: facts.createdAt,
  };
  if (facts.consumerCount !== undefined) topicConfig.consumerCount = facts.consumerCount;
  if (details.consumers?.length) topicConfig[CONSUMERS_CONFIG_KEY] = details.consumers;
  if (details.tags && Object.keys(details.tags).length > 0) topicConfig[TAGS_CONFIG_KEY] = details.tags;
  return {
    name: facts.name,
    service: serviceFqn,
    partitions: facts.openShardCount,
    retentionTime: facts.retentionPeriodHours * MILLISECONDS_PER_HOUR,
    maximumMessageSize: recordLimitBytes > 1024 * 1024 ? recordLimitBytes : DEFAULT_MAXIMUM_MESSAGE_SIZE,
    sourceUrl: kinesisConsoleUrl(region, facts.name),
    topicConfig,
    ...(details.messageSchema ? { messageSchema: details.messageSchema } : {}),
  };
}

/**
 * Copies the stored topic's values of these topicConfig keys into the request: what an
 * optional call that failed this run would have refreshed stays as it was, not erased.
 */
export function keepStoredConfigValues(
  request: CreateTopicRequest,
  stored: Record<string, unknown> | undefined,
  keys: readonly string[],
): void {
  const config = stored?.topicConfig as Record<string, unknown> | undefined;
  for (const key of keys) if (config?.[key] !== undefined) request.topicConfig[key] = config[key];
}

export function kinesisConsoleUrl(region: string, streamName: string): string {
  return `https://${region}.console.aws.amazon.com/kinesis/home?region=${region}#/streams/details/${streamName}/monitoring`;
}

/** One FQN part: quoted when it contains a dot, as OpenMetadata's FullyQualifiedName does. */
export function quoteFqnPart(name: string): string {
  if (name.includes('"'))
    throw new UnmappableStreamError(`name ${name} contains a double quote, which OpenMetadata forbids`);
  return name.includes('.') ? `"${name}"` : name;
}

export function topicFqn(serviceName: string, topicName: string): string {
  return `${quoteFqnPart(serviceName)}.${quoteFqnPart(topicName)}`;
}

/**
 * The fields of a stored topic that differ from what this run would write; empty when the
 * topic is up to date and no PUT is needed. Fields this product does not own (description,
 * tags, owner set by users in OpenMetadata) are never compared and never overwritten.
 */
export function changedTopicFields(request: CreateTopicRequest, stored: Record<string, unknown>): string[] {
  return OWNED_TOPIC_FIELDS.filter((key) => {
    // A schema this run does not know (no sample, or not JSON) is not sent, so not compared.
    if (key === 'messageSchema')
      return (
        request.messageSchema !== undefined && !sameMessageSchema(request.messageSchema, stored.messageSchema)
      );
    return !sameJson(request[key], stored[key]);
  });
}

/** The parts of an FQN (`svc."orders.v1"` -> `svc`, `orders.v1`), quotes removed. */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let part = '';
  let quoted = false;
  for (const char of fqn) {
    if (char === '"') quoted = !quoted;
    else if (char === '.' && !quoted) {
      parts.push(part);
      part = '';
    } else part += char;
  }
  parts.push(part);
  return parts;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
