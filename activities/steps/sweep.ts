import { activityInfo, heartbeat, log } from '@temporalio/activity';
import type { SweepResult } from '../../common/activity-results.js';
import { compileFilterPattern } from '../../common/config/index.js';
import type { RunContext } from '../../common/run-context.js';
import { quoteFqnPart } from '../../common/topic-mapping.js';
import { dialectFor } from '../openmetadata/dialect.js';
import { OpenMetadataHttpError, type OpenMetadataClient } from '../openmetadata/openmetadata-client.js';
import { listAllStreamNames } from '../aws/kinesis-listing.js';
import type { RunResources } from '../run-resources.js';

export function createSweepActivities({
  aws,
  openMetadata,
  pageSizes,
  boundary,
}: Pick<RunResources, 'aws' | 'openMetadata' | 'pageSizes' | 'boundary'>) {
  return {
    /**
     * Soft-deletes the service's topics whose stream is gone from Kinesis or filtered out. It
     * lists Kinesis again, in full, itself: a topic whose stream exists is never deleted, even
     * if that stream failed in this run, a listing that fails deletes nothing, and neither does a
     * run that keeps no stream at all (it says why instead). From 2.0 the
     * stale topics go in one request; the service's topics are still listed first, to say which
     * and so that a run with nothing stale writes nothing.
     */
    async sweepStaleTopics(ctx: RunContext, serviceFqn: string): Promise<SweepResult> {
      return boundary(ctx, async () => {
        const keep = compileFilterPattern(ctx.config.filter, dialectFor(ctx.openMetadataVersion).filterRule);
        const names = await listAllStreamNames(aws(ctx).kinesis, () => heartbeat(), pageSizes.streams);
        const live = new Set(names.filter(keep));
        const client = openMetadata(ctx);
        const stale: Array<{ id: string; name: string }> = [];
        for await (const page of client.topicsOfService(serviceFqn, { include: 'non-deleted', limit: 500 })) {
          for (const topic of page) if (!live.has(topic.name)) stale.push({ id: topic.id, name: topic.name });
          heartbeat();
        }
        // A retried sweep lists again (deleted topics no longer appear) and keeps counting from
        // what earlier attempts deleted, carried in their heartbeats.
        const earlier = activityInfo().heartbeatDetails as SweepResult | undefined;
        if (live.size === 0 && stale.length > 0) {
          // Nothing kept is far more often a wrong filter, account or region than an account whose
          // every stream is gone: emptying the service on it would hide the whole catalogue.
          const kept =
            names.length === 0
              ? 'the account lists no stream in this region'
              : `the account lists ${names.length} streams, the filters keep none of them`;
          return {
            deleted: earlier?.deleted ?? 0,
            names: [...(earlier?.names ?? [])],
            withheld: `the run keeps no stream (${kept}), so the ${stale.length} topics of the service were not soft-deleted; check the filters, account and region, or delete the topics in OpenMetadata if their streams are gone`,
          };
        }
        const result: SweepResult = { deleted: earlier?.deleted ?? 0, names: [...(earlier?.names ?? [])] };
        const dialect = dialectFor(ctx.openMetadataVersion);
        let deleteEach = !ctx.options.dryRun;
        if (deleteEach && dialect.staleDeleteEndpoint && stale.length > 0) {
          deleteEach = !(await deletedInOneRequest(client, serviceFqn, live));
        }
        for (const topic of stale) {
          if (deleteEach) await client.deleteTopic(topic.id);
          result.deleted += 1;
          if (result.names.length < 100) result.names.push(topic.name);
          heartbeat(result);
        }
        if (result.deleted > 0)
          log.info('stale topics soft-deleted', {
            service: serviceFqn,
            count: result.deleted,
            dryRun: ctx.options.dryRun,
          });
        return result;
      });
    },
  };
}

/**
 * OpenMetadata 2.0's stale delete: the server soft-deletes every topic of the service whose FQN
 * is not among the live streams'. False when the server answers 404 (no such endpoint), as the
 * official client falls back then to one DELETE per topic.
 */
async function deletedInOneRequest(
  client: OpenMetadataClient,
  serviceFqn: string,
  live: ReadonlySet<string>,
): Promise<boolean> {
  const seenFqns: string[] = [];
  for (const name of live) {
    // A name OpenMetadata cannot hold (a double quote) has no topic to keep.
    if (!name.includes('"')) seenFqns.push(`${serviceFqn}.${quoteFqnPart(name)}`);
  }
  try {
    await client.deleteStaleTopics(serviceFqn, seenFqns);
    return true;
  } catch (error) {
    if (error instanceof OpenMetadataHttpError && error.status === 404) return false;
    throw error;
  }
}
