import { RUN_FATAL_FAILURE_TYPES, FailureType } from '../common/failure-types.js';
import type { RunContext } from '../common/run-context.js';
import {
  emptyBatchResult,
  MAX_LISTED_FAILURES,
  MAX_LISTED_PLANNED_WRITES,
  MAX_LISTED_WARNINGS,
  type BatchResult,
  type IngestionStep,
} from '../common/summary.js';
import { samplingStep, streamSteps } from './activity-proxies.js';
import { failureInfo } from './failures.js';

export interface StreamBatchInput {
  ctx: RunContext;
  serviceFqn: string;
  names: string[];
}

/** Thrown inside a stream's pipeline to carry which step failed. */
class StepFailed extends Error {
  constructor(
    readonly step: IngestionStep,
    readonly failure: unknown,
  ) {
    super(step);
  }
}

/**
 * Ingests one batch of streams (a child workflow, so that each history stays small): per
 * stream describe -> upsert topic -> sample data, with at most `streamConcurrency` streams in
 * flight. A failure that no stream can get past (bad credentials, 401/403) stops the batch.
 */
export async function kinesisStreamBatch(input: StreamBatchInput): Promise<BatchResult> {
  const { ctx, serviceFqn } = input;
  const result = emptyBatchResult();
  const queue = [...input.names];

  const ingestStream = async (name: string): Promise<void> => {
    try {
      const facts = await streamSteps.describeStream
        .executeWithOptions({ summary: `describe stream ${name}` }, [ctx, name])
        .catch((error: unknown) => Promise.reject(new StepFailed('describeStream', error)));
      const topic = await streamSteps.upsertTopic
        .executeWithOptions({ summary: `upsert topic ${name}` }, [ctx, serviceFqn, facts])
        .catch((error: unknown) => Promise.reject(new StepFailed('upsertTopic', error)));
      if (topic.outcome === 'skipped') {
        result.skipped += 1;
        warn(result, { stream: name, step: 'upsertTopic', message: topic.reason ?? 'skipped' });
        return;
      }
      result[topic.outcome] += 1;
      if (ctx.options.dryRun && topic.outcome !== 'unchanged') {
        plan(
          result,
          `${topic.outcome === 'created' ? 'create' : 'update'} topic ${name}${topic.changedFields.length ? ` (${topic.changedFields.join(', ')})` : ''}`,
        );
      }
      if (!ctx.config.generateSampleData) return;
      try {
        const sample = await samplingStep.ingestSampleData.executeWithOptions(
          { summary: `sample stream ${name}` },
          [ctx, name, topic.topicId],
        );
        result.sampleMessages += sample.messages;
        if (ctx.options.dryRun && sample.messages > 0)
          plan(result, `store ${sample.messages} sample messages for topic ${name}`);
      } catch (error) {
        // Sample data is an extra: the topic is ingested even when sampling is denied or fails.
        const { type, message } = failureInfo(error);
        if (RUN_FATAL_FAILURE_TYPES.has(type)) throw new StepFailed('sampleData', error);
        warn(result, { stream: name, step: 'sampleData', message });
      }
    } catch (error) {
      const step = error instanceof StepFailed ? error.step : 'describeStream';
      const { type, message } = failureInfo(error instanceof StepFailed ? error.failure : error);
      if (type === FailureType.StreamNotFound) {
        // Deleted between listing and describing: nothing to ingest, and nothing failed.
        result.skipped += 1;
        warn(result, { stream: name, step, message: `stream vanished during the run: ${message}` });
        return;
      }
      if (isFatal(step, type) && !result.fatalError) {
        result.fatalError = { step, type, message };
        queue.length = 0;
      }
      result.failed += 1;
      if (result.failures.length < MAX_LISTED_FAILURES)
        result.failures.push({ stream: name, step, type, message });
    }
  };

  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      await ingestStream(name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.options.streamConcurrency, queue.length) }, worker));
  return result;
}

/** Failures that every other stream would hit too. Access denied on sampling only degrades. */
function isFatal(step: IngestionStep, type: string): boolean {
  if (RUN_FATAL_FAILURE_TYPES.has(type)) return true;
  return type === FailureType.AwsAccessDenied && step === 'describeStream';
}

function warn(result: BatchResult, warning: BatchResult['warnings'][number]): void {
  result.warningCount += 1;
  if (result.warnings.length < MAX_LISTED_WARNINGS) result.warnings.push(warning);
}

function plan(result: BatchResult, write: string): void {
  if (result.plannedWrites.length < MAX_LISTED_PLANNED_WRITES) result.plannedWrites.push(write);
}
