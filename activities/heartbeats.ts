import { heartbeat } from '@temporalio/activity';

/**
 * A progress callback that heartbeats at most once per `intervalMs`, counted from the
 * activity's start. Each heartbeat crosses into the SDK's native core and encodes its details
 * on the worker's main thread, which at the quota also runs thousands of activities a minute:
 * with a heartbeat per Kinesis page, heartbeats were the largest single cost on that thread in
 * a profile (2.8 s of CPU for 1,000 streams). The heartbeat timeouts are 20 s and longer, so a
 * heartbeat a second still shows a stuck or lost worker in time, and still delivers a
 * cancellation within the second. `details` (what a retry of the activity should know) go with
 * each heartbeat, since each one replaces the last one's.
 */
export function heartbeatAtMostEvery(intervalMs = 1000, details?: () => unknown): () => void {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    heartbeat(details?.());
  };
}
