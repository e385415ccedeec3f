import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { IngestionActivities } from '../activities/index.js';
import { describeTaskQueueOf } from '../common/run-input.js';

/**
 * One proxy per step, each with its own timeouts and retry policy. Whether a failure is worth
 * retrying is decided by the activity (non-retryable failures end at once); these policies
 * bound how long a retryable fault may last before the step is reported as failed.
 */
const quickCheck: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 6 },
};

export const prepareStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 3 },
});

export const checkSteps = proxyActivities<IngestionActivities>(quickCheck);

/** Briefly retried: without an answer the run goes on without search attributes. */
export const searchAttributesStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

export const serviceStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8 },
});

/**
 * Heartbeat timeouts decide how soon the work of a worker that died (SIGKILL, lost machine) is
 * retried on another: without one, only the start-to-close timeout would tell.
 */
export const listingStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30s',
  // Bounded on purpose: the official connector retries a failing ListStreams forever.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const streamStepOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8 },
};

export const streamSteps = proxyActivities<IngestionActivities>(streamStepOptions);

/**
 * The describe step, on the describe task queue of the run's task queue, where Temporal
 * applies the rate limit of AWS's per-account DescribeStreamSummary quota to all workers.
 * The schedule-to-start timeout is left unset on purpose: a describe waiting its turn at the
 * quota is not failing.
 */
export function describeStepFor(runTaskQueue: string) {
  return proxyActivities<IngestionActivities>({
    ...streamStepOptions,
    taskQueue: describeTaskQueueOf(runTaskQueue),
  }).describeStream;
}

/** The topic step when it reads the stream's records too (generateSampleData): reading shards takes longer. */
export const samplingStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export const sweepStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/**
 * Reporting the run's status to its OpenMetadata ingestion pipeline is informational: a few
 * quick attempts, then the run goes on with a warning instead of waiting on it.
 */
export const pipelineStatusStep = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 4 },
});
