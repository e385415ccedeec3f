import {
  ListStreamConsumersCommand,
  ListTagsForStreamCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { StreamConsumer } from '../../common/stream-facts.js';
import { classifyAwsError } from './aws-errors.js';

/** AWS allows 20 enhanced fan-out consumers per stream, and 50 tags: a bound, not a limit. */
const MAX_LISTED = 100;
/** ListStreamConsumers' quota is 5 calls per second per stream: pages are spaced by more than 1/5 s. */
const CONSUMER_PAGE_INTERVAL_MS = 210;

/** The stream's enhanced fan-out consumers, in name order; one call for up to 100 of them. */
export async function listStreamConsumers(
  kinesis: KinesisClient,
  streamArn: string,
): Promise<StreamConsumer[]> {
  const consumers: StreamConsumer[] = [];
  let nextToken: string | undefined;
  do {
    if (nextToken) await new Promise((resolve) => setTimeout(resolve, CONSUMER_PAGE_INTERVAL_MS));
    let page;
    try {
      page = await kinesis.send(
        new ListStreamConsumersCommand({
          StreamARN: streamArn,
          MaxResults: MAX_LISTED,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
    } catch (error) {
      throw classifyAwsError(error, 'kinesis:ListStreamConsumers', streamArn);
    }
    for (const consumer of page.Consumers ?? []) {
      consumers.push({
        name: consumer.ConsumerName ?? '',
        status: consumer.ConsumerStatus ?? 'UNKNOWN',
        creationTime: (consumer.ConsumerCreationTimestamp ?? new Date(0)).toISOString(),
      });
    }
    // A page that is not full is the last one (some endpoints send a token with it anyway).
    nextToken = (page.Consumers ?? []).length < MAX_LISTED ? undefined : page.NextToken;
  } while (nextToken && consumers.length < MAX_LISTED);
  return consumers.slice(0, MAX_LISTED).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The stream's tags (ListTagsForStream, paced at its per-account quota by the client). */
export async function listStreamTags(
  kinesis: KinesisClient,
  streamName: string,
): Promise<Record<string, string>> {
  const tags = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    let page;
    try {
      page = await kinesis.send(
        new ListTagsForStreamCommand({
          StreamName: streamName,
          Limit: 50,
          ...(after ? { ExclusiveStartTagKey: after } : {}),
        }),
      );
    } catch (error) {
      throw classifyAwsError(error, 'kinesis:ListTagsForStream', streamName);
    }
    for (const tag of page.Tags ?? []) if (tag.Key) tags.set(tag.Key, tag.Value ?? '');
    after = page.Tags?.at(-1)?.Key;
    if (!page.HasMoreTags || !after || tags.size >= MAX_LISTED) break;
  }
  // fromEntries defines own properties (a tag named __proto__ stays a tag), in key order.
  return Object.fromEntries([...tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
