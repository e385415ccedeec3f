import { heartbeat } from '@temporalio/activity';

/**
 * A progress callback that heartbeats at most once per `intervalMs`, counted from the
 * activity's start. Each heartbeat crosses into the SDK's native core and encodes its details
 * on the worker's main thread, which at the quota also runs a thousand activities a minute:
 * a heartbeat per Kinesis page cost the worker more CPU than any step's own work. The
 * heartbeat timeouts are 20 s and longer, so a heartbeat a second still shows a stuck or lost
 * worker in time, and still delivers a cancellation within the second.
 */
export function heartbeatAtMostEvery(intervalMs = 1000): () => void {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    heartbeat();
  };
}
