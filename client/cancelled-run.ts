// What a run cancelled by Ctrl-C had written. A cancelled run returns no summary: its own
// `progress` query counts the batches that finished, and each batch cancelled midway still
// answers its `batchProgress` query (Temporal replays a closed workflow to answer it).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { batchProgressQuery, progressQuery } from '../workflows/queries.js';
import { runOutcome, type RunOutcome } from './progress/index.js';

/** The longest wait for the run to end once cancelled, and for each read after. */
const CANCEL_WAIT_MS = 30_000;
const READ_WAIT_MS = 5_000;

/**
 * Requests the run's cancellation, waits for it to end, and counts the topics it created or
 * updated (undefined when that cannot be told). `batches` are the batch workflows seen in
 * flight so far; those in flight now are added.
 */
export async function cancelRunAndCountWrites(
  client: Client,
  handle: WorkflowHandle,
  batches: Set<string>,
): Promise<number | undefined> {
  const before = await within(handle.query(progressQuery), READ_WAIT_MS);
  for (const id of before?.inFlightBatches ?? []) batches.add(id);
  await handle.cancel().catch(() => undefined); // it may have ended meanwhile
  const outcome: RunOutcome | undefined = await within(runOutcome(handle), CANCEL_WAIT_MS);
  if (outcome?.status === 'completed') return outcome.summary.created + outcome.summary.updated;
  const after = await within(handle.query(progressQuery), READ_WAIT_MS);
  if (!after) return undefined;
  let written = after.finished.created + after.finished.updated;
  for (const id of batches) {
    const batch = client.workflow.getHandle(id);
    const description = await within(batch.describe(), READ_WAIT_MS);
    // A completed batch is in the run's `finished` counts already.
    if (!description || description.status.name === 'COMPLETED') continue;
    const counts = await within(batch.query(batchProgressQuery), READ_WAIT_MS);
    if (!counts) return undefined;
    written += counts.created + counts.updated;
  }
  return written;
}

/** `promise`'s value, or undefined when it fails or takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}
