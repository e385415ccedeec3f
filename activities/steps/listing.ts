import type { StreamBatchCursor, StreamBatchListing } from '../../common/activity-results.js';
import { log } from '@temporalio/activity';
import { compileFilterPattern } from '../../common/config/index.js';
import { isKinesisStreamName, shownStreamName } from '../../common/stream-names.js';
import type { RunContext } from '../../common/run-context.js';
import { dialectFor } from '../openmetadata/dialect.js';
import { listStreamNamesPage, type StreamListingCursor } from '../aws/kinesis-listing.js';
import { heartbeatAtMostEvery } from '../heartbeats.js';
import type { RunResources } from '../run-resources.js';

export function createListingActivities({
  aws,
  pageSizes,
  boundary,
}: Pick<RunResources, 'aws' | 'pageSizes' | 'boundary'>) {
  return {
    /**
     * Lists stream names after `cursor` until `batchSize` names are kept or the listing ends.
     * Tokens are followed within this call only; the returned cursor is the last name consumed.
     */
    async listStreamsBatch(ctx: RunContext, cursor?: StreamBatchCursor): Promise<StreamBatchListing> {
      return boundary(ctx, async () => {
        const { kinesis } = aws(ctx);
        const keep = compileFilterPattern(ctx.config.filter, dialectFor(ctx.openMetadataVersion).filterRule);
        const progress = heartbeatAtMostEvery();
        const listing: StreamBatchListing = { names: [], seen: 0, filtered: 0 };
        let pageCursor: StreamListingCursor | undefined = cursor
          ? { afterName: cursor.afterName }
          : undefined;
        for (;;) {
          const page = await listStreamNamesPage(kinesis, pageCursor, pageSizes.streams);
          for (const [index, name] of page.names.entries()) {
            listing.seen += 1;
            if (!isKinesisStreamName(name)) {
              log.warn('the endpoint listed a name that is not a Kinesis stream name: skipped', {
                name: shownStreamName(name),
              });
            }
            if (keep(name)) listing.names.push(name);
            else listing.filtered += 1;
            if (listing.names.length >= ctx.options.batchSize) {
              const listingEndsHere = !page.next && index === page.names.length - 1;
              if (!listingEndsHere) listing.next = { afterName: name };
              return listing;
            }
          }
          if (!page.next) return listing;
          pageCursor = page.next;
          progress();
        }
      });
    },
  };
}
