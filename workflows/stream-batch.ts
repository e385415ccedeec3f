import { isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
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
import { describeStepFor, samplingStep, streamSteps } from './activity-proxies.js';
import { failureInfo, type FailureInfo } from './failures.js';
import { batchProgressQuery } from './queries.js';
import { countSampleMessages, countStream } from './run-metrics.js';

export interface StreamBatchInput {
  ctx: RunContext;
  serviceFqn: string;
  names: string[];
}

/**
 * Denials of DescribeStreamSummary before any stream of the batch was described: the identity
 * lacks the permission altogether, so the run ends instead of failing every stream. (Policies
 * scoped to some stream ARNs deny only some streams: those fail one by one.)
 */
const DENIALS_MEANING_NO_PERMISSION = 5;

/**
 * Ingests one batch of streams (a child workflow, so that each history stays small): per
 * stream describe -> upsert topic -> sample data, with at most `streamConcurrency` streams in
 * flight. A failure that no stream can get past (bad credentials, 401/403) stops the batch.
 */
export async function kinesisStreamBatch(input: StreamBatchInput): Promise<BatchResult> {
  const { ctx, serviceFqn } = input;
  const result = emptyBatchResult();
  const queue = [...input.names];
  const describeStream = describeStepFor(workflowInfo().taskQueue);
  let described = 0;
  let describeDenials = 0;
  setHandler(batchProgressQuery, () => ({
    total: input.names.length,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    skipped: result.skipped,
    failed: result.failed,
  }));

  const stopRun = (step: IngestionStep, failure: FailureInfo): void => {
    result.fatalError ??= { step, ...failure };
    queue.length = 0;
  };

  const failStream = (stream: string, step: IngestionStep, failure: FailureInfo): void => {
    result.failed += 1;
    countStream(ctx.config.serviceName, 'failed');
    if (step === 'describeStream') result.sourceErrors += 1;
    else result.sinkErrors += 1;
    if (result.failures.length < MAX_LISTED_FAILURES) result.failures.push({ stream, step, ...failure });
  };

  const ingestStream = async (name: string): Promise<void> => {
    let step: IngestionStep = 'describeStream';
    try {
      const facts = await describeStream.executeWithOptions({ summary: `describe stream ${name}` }, [
        ctx,
        name,
      ]);
      described += 1;
      step = 'upsertTopic';
      // With sample data, the topic step also reads the stream's records (for the message
      // schema): it runs with the sampling step's longer timeouts.
      const topicStep = ctx.config.generateSampleData ? samplingStep : streamSteps;
      const topic = await topicStep.upsertTopic.executeWithOptions(
        {
          summary: ctx.config.generateSampleData
            ? `sample stream ${name}, upsert topic ${name}`
            : `upsert topic ${name}`,
        },
        [ctx, serviceFqn, facts],
      );
      if (topic.outcome === 'skipped') {
        result.skipped += 1;
        countStream(ctx.config.serviceName, 'skipped');
        warn(result, { stream: name, step: 'upsertTopic', message: topic.reason ?? 'skipped' });
        return;
      }
      result[topic.outcome] += 1;
      countStream(ctx.config.serviceName, topic.outcome);
      result.sampleMessages += topic.sample?.messages ?? 0;
      countSampleMessages(ctx.config.serviceName, topic.sample?.messages ?? 0);
      for (const warning of topic.warnings ?? []) {
        // A failed write to OpenMetadata is the sink failing, as metadata ingest counts it.
        if (warning.sinkError) result.sinkErrors += 1;
        warn(result, { stream: name, step: warning.step, message: warning.message });
      }
      if (ctx.options.dryRun && topic.outcome !== 'unchanged') {
        const fields = topic.changedFields.length ? ` (${topic.changedFields.join(', ')})` : '';
        const schema = topic.schemaPreview ? `: ${topic.schemaPreview}` : '';
        plan(result, `${topic.outcome === 'created' ? 'create' : 'update'} topic ${name}${fields}${schema}`);
      }
      if (ctx.options.dryRun && topic.sample?.written)
        plan(result, `store ${topic.sample.messages} sample messages for topic ${name}`);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const failure = failureInfo(error);
      if (failure.type === FailureType.StreamNotFound) {
        // Deleted between listing and describing: nothing to ingest, and nothing failed.
        result.skipped += 1;
        countStream(ctx.config.serviceName, 'skipped');
        warn(result, { stream: name, step, message: `stream vanished during the run: ${failure.message}` });
        return;
      }
      if (failure.type === FailureType.AwsAccessDenied && step === 'describeStream') describeDenials += 1;
      if (
        RUN_FATAL_FAILURE_TYPES.has(failure.type) ||
        (describeDenials >= Math.min(DENIALS_MEANING_NO_PERMISSION, input.names.length) && described === 0)
      ) {
        stopRun(step, failure);
      }
      failStream(name, step, failure);
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

function warn(result: BatchResult, warning: BatchResult['warnings'][number]): void {
  result.warningCount += 1;
  if (result.warnings.length < MAX_LISTED_WARNINGS) result.warnings.push(warning);
}

function plan(result: BatchResult, write: string): void {
  if (result.plannedWrites.length < MAX_LISTED_PLANNED_WRITES) result.plannedWrites.push(write);
}
