import { renderTable } from '../../summary-table.js';
import { clusterFor, where, withSchedules } from './cluster.js';
import type { ScheduleCommandOptions } from './options.js';
import { specText, timeText } from './render.js';

/** `om-kinesis schedule list`: the om-kinesis schedules of the namespace. */
export async function scheduleListCommand(options: ScheduleCommandOptions): Promise<void> {
  const target = clusterFor(options);
  const listings = await withSchedules(target, (schedules, client) => schedules.listServiceSchedules(client));
  if (options.json) {
    const rows = listings.map((listing) => ({
      serviceName: listing.serviceName,
      scheduleId: listing.scheduleId,
      times: listing.spec ? specText(listing.spec) : '',
      paused: listing.paused,
      ...(listing.note ? { note: listing.note } : {}),
      nextRun: listing.nextRun?.toISOString() ?? null,
    }));
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (listings.length === 0) {
    console.log(
      `No om-kinesis schedules in ${where(target)}. Create one with: om-kinesis schedule create -c config.yaml --every 6h`,
    );
    return;
  }
  const now = new Date();
  console.log(
    renderTable(
      ['Service', 'Times', 'State', 'Next run'],
      listings.map((listing) => [
        listing.serviceName,
        listing.spec ? specText(listing.spec) : '',
        listing.paused ? 'paused' : 'active',
        listing.paused || !listing.nextRun ? '-' : timeText(listing.nextRun, now),
      ]),
    ),
  );
}
