import { heartbeat } from '@temporalio/activity';
import { OWNED_TOPIC_FIELDS } from '../../common/topic-mapping.js';
import { USER_TOPIC_FIELDS } from './topic-ownership.js';
import type { OpenMetadataClient, OpenMetadataEntity } from './openmetadata-client.js';

/** What a run needs to know of a stored topic to decide whether to write it. */
export interface StoredTopicState {
  id: string;
  deleted: boolean;
  /** The sourceHash the topic was last written with (by this product or another client). */
  sourceHash?: string;
  /** The stored topic's own fields (partitions, retentionTime, topicConfig, ...): compared when the hash differs. */
  fields: Record<string, unknown>;
  /** What users write that a PUT would replace unless sent back (see topic-ownership.ts). */
  userFields: Record<string, unknown>;
}

/** The topics of one service, by name. */
type TopicIndex = ReadonlyMap<string, StoredTopicState>;

interface Entry {
  index: Promise<TopicIndex>;
  usedAt: number;
}

/** What a topic's state is read from: the service's topics, ~100 a page, as OpenMetadata's clients read them. */
const PAGE_SIZE = 100;

export interface StoredTopicsOptions {
  /** How long a step waits for the index before it reads its topic by name instead. */
  waitMs?: number;
  /** Indexes of runs not asked for this long are dropped. */
  idleMs?: number;
  /** At most this many indexes (runs x services) are kept. */
  maxIndexes?: number;
  /** After a failed load, how long steps read by name before the pages are tried again. */
  retryMs?: number;
}

/**
 * The stored topics of a run's service, read once per run and worker in pages of the service's
 * topics (`fields=sourceHash`, ~100 a page), so that an unchanged re-run of N streams costs
 * about N/100 reads instead of one per topic. Keyed by the run: a run never sees another run's
 * view, so a topic written by an earlier run is never judged by what it was before that run.
 * Within a run each topic is decided once; a retried step may find its own earlier write
 * missing from the index and write again, which OpenMetadata answers `entityNoChange`.
 *
 * The index is only a shortcut: when it cannot be had in time (a very large service, a failing
 * page), the step reads its topic by name, as it would without it.
 */
export class StoredTopics {
  private readonly entries = new Map<string, Entry>();
  private readonly waitMs: number;
  private readonly idleMs: number;
  private readonly maxIndexes: number;
  private readonly retryMs: number;

  constructor(options: StoredTopicsOptions = {}) {
    this.waitMs = options.waitMs ?? 15_000;
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.maxIndexes = options.maxIndexes ?? 8;
    this.retryMs = options.retryMs ?? 30_000;
  }

  /**
   * The stored state of topic `name` of `serviceFqn`: undefined when the service has no such
   * topic (deleted ones included). `runKey` undefined (a run started before runs had one) reads
   * the topic by name.
   */
  async stateOf(
    client: OpenMetadataClient,
    runKey: string | undefined,
    serviceFqn: string,
    name: string,
    topicFqn: string,
  ): Promise<StoredTopicState | undefined> {
    const index =
      runKey === undefined
        ? undefined
        : await this.indexWithin(client, `${runKey}\n${serviceFqn}`, serviceFqn);
    if (index !== undefined) return index.get(name);
    const stored = await client.topicByFqn(topicFqn, { include: 'all' });
    return stored && storedTopicState(stored);
  }

  private async indexWithin(
    client: OpenMetadataClient,
    key: string,
    serviceFqn: string,
  ): Promise<TopicIndex | undefined> {
    const entry = this.entryFor(key, () => loadIndex(client, serviceFqn));
    let timer: NodeJS.Timeout | undefined;
    const keepAlive = setInterval(() => heartbeat(), 5_000);
    try {
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, this.waitMs, undefined);
      });
      return await Promise.race([entry.index.catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
      clearInterval(keepAlive);
    }
  }

  private entryFor(key: string, load: () => Promise<TopicIndex>): Entry {
    const now = Date.now();
    for (const [other, entry] of this.entries) {
      if (now - entry.usedAt > this.idleMs) this.entries.delete(other);
    }
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const index = load();
      entry = { index, usedAt: now };
      this.entries.set(key, entry);
      // A failed load is kept a little while, so that the steps meanwhile read their topics
      // by name at once instead of each trying the pages again; then a step tries again.
      index.catch(() => {
        const forget = setTimeout(() => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        }, this.retryMs);
        forget.unref();
      });
      while (this.entries.size > this.maxIndexes) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    }
    entry.usedAt = now;
    return entry;
  }
}

async function loadIndex(client: OpenMetadataClient, serviceFqn: string): Promise<TopicIndex> {
  const index = new Map<string, StoredTopicState>();
  for await (const page of client.topicsOfService(serviceFqn, {
    include: 'all',
    limit: PAGE_SIZE,
    fields: ['sourceHash'],
  })) {
    for (const topic of page) index.set(topic.name, storedTopicState(topic));
  }
  return index;
}

/** Keeps what the decision needs, not the whole entity (a large service's index stays small). */
export function storedTopicState(topic: OpenMetadataEntity): StoredTopicState {
  const fields = Object.fromEntries(OWNED_TOPIC_FIELDS.map((field) => [field, topic[field]]));
  const userFields = Object.fromEntries(
    USER_TOPIC_FIELDS.filter((field) => typeof topic[field] === 'string' && topic[field] !== '').map(
      (field) => [field, topic[field]],
    ),
  );
  return {
    id: topic.id,
    deleted: topic.deleted === true,
    ...(typeof topic.sourceHash === 'string' ? { sourceHash: topic.sourceHash } : {}),
    fields,
    userFields,
  };
}
