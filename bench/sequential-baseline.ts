// The way the official connector crawls: one stream after another (list, describe, write the
// topic, sample), with the product's own activity functions called in a plain loop in this
// process, through the same proxies. Only the orchestration differs from the measured run.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type ActivityDependencies } from '../activities/index.js';
import type { StreamBatchCursor } from '../common/activity-results.js';
import type { IngestionRunInput } from '../common/run-input.js';

export interface BaselineResult {
  streams: number;
  wallMs: number;
  failed: number;
}

export async function runSequentialBaseline(
  deps: ActivityDependencies,
  input: IngestionRunInput,
  limit: number,
): Promise<BaselineResult> {
  const activities = createActivities(deps);
  const env = new MockActivityEnvironment();
  type Activities = typeof activities;
  const runInContext = env.run.bind(env) as (
    fn: (...args: unknown[]) => Promise<unknown>,
    ...args: unknown[]
  ) => Promise<unknown>;
  const call = <K extends keyof Activities>(
    name: K,
    ...args: Parameters<Activities[K]>
  ): ReturnType<Activities[K]> =>
    runInContext(
      (...runArgs) => (activities[name] as (...a: unknown[]) => Promise<unknown>)(...runArgs),
      ...args,
    ) as ReturnType<Activities[K]>;
  const begin = Date.now();
  const prepared = await call('prepareRun', input);
  const ctx = { config: prepared.config, options: prepared.options };
  await call('checkOpenMetadata', ctx);
  await call('checkKinesisConnection', ctx);
  const service = await call('upsertMessagingService', ctx);
  let streams = 0;
  let failed = 0;
  let cursor: StreamBatchCursor | undefined;
  do {
    const listing = await call('listStreamsBatch', ctx, cursor);
    cursor = listing.next;
    for (const name of listing.names) {
      if (streams >= limit) break;
      streams += 1;
      try {
        const facts = await call('describeStream', ctx, name);
        // With generateSampleData, the topic step samples the stream too.
        await call('upsertTopic', ctx, service.serviceFqn, facts);
      } catch {
        failed += 1;
      }
    }
  } while (cursor && streams < limit);
  return { streams, wallMs: Date.now() - begin, failed };
}
