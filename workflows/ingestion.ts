import {
  ApplicationFailure,
  continueAsNew,
  executeChild,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunPhase, RunProgress } from '../common/progress.js';
import { RUN_FATAL_FAILURE_TYPES } from '../common/failure-types.js';
import { ingestionWorkflowId, type IngestionRunInput } from '../common/run-input.js';
import {
  MAX_LISTED_FAILURES,
  emptyBatchResult,
  type IngestionStep,
  type IngestionSummary,
} from '../common/summary.js';
import { listingStep, prepareStep, sweepStep } from './activity-proxies.js';
import { failureInfo } from './failures.js';
import { PipelineStatusReporter } from './pipeline-reporting.js';
import { progressQuery } from './queries.js';
import { addPlannedWrite, addWarning, mergeBatch, summarize, type IngestionProgress } from './run-summary.js';
import { showProgress, showTrigger } from './run-details.js';
import { countStream } from './run-metrics.js';
import { runUnderServiceId } from './run-origin.js';
import {
  announceRun,
  checkSearchAttributes,
  factsOfInput,
  reportRunEnd,
  type RunFacts,
} from './run-visibility.js';
import { startRun, step } from './run-start.js';
import { kinesisStreamBatch } from './stream-batch.js';

export type { IngestionProgress } from './run-summary.js';

/**
 * One ingestion run of one OpenMetadata service: checks, the messaging service, then the
 * streams in batches (child workflows, `batchConcurrency` at a time, listed one batch ahead),
 * then the stale sweep. Returns the summary; fails only when nothing could be ingested at all.
 * The run sets its own search attributes, so it is found the same way whoever started it.
 */
export async function kinesisMetadataIngestion(
  input: IngestionRunInput,
  carried?: IngestionProgress,
): Promise<IngestionSummary> {
  const facts: RunFacts = carried
    ? {
        serviceName: carried.ctx.config.serviceName,
        dryRun: carried.ctx.options.dryRun,
        registered: carried.searchAttributes,
        announced: true,
      }
    : factsOfInput(input);
  const reporter = new PipelineStatusReporter();
  return reportRunEnd(facts, async () => {
    try {
      return await ingest(input, carried, facts, reporter);
    } catch (error) {
      await reporter.failed(error);
      throw error;
    }
  });
}

async function ingest(
  input: IngestionRunInput,
  carried: IngestionProgress | undefined,
  facts: RunFacts,
  reporter: PipelineStatusReporter,
): Promise<IngestionSummary> {
  let phase: RunPhase = carried ? 'listing' : 'checks';
  let current = carried;
  let listingDone = false;
  const inFlightIds = new Map<number, string>();
  const startedAt = carried?.startedAt ?? new Date().toISOString();
  const progressNow = (): RunProgress => {
    const totals = current?.totals ?? emptyBatchResult();
    return {
      ...(current ? { serviceName: current.ctx.config.serviceName } : {}),
      phase,
      streamsSeen: current?.streamsSeen ?? 0,
      filtered: current?.filtered ?? 0,
      listed: current?.listed ?? 0,
      listingComplete: listingDone,
      finished: {
        created: totals.created,
        updated: totals.updated,
        unchanged: totals.unchanged,
        skipped: totals.skipped,
        failed: totals.failed,
      },
      inFlightBatches: [...inFlightIds.values()],
      failures: totals.failures.slice(0, 20),
      startedAt,
    };
  };
  setHandler(progressQuery, progressNow);

  if (!current) {
    const searchAttributes = await checkSearchAttributes();
    facts.registered = searchAttributes.registered;
    const prepared = await step('prepare', () =>
      prepareStep.prepareRun.executeWithOptions({ summary: 'validate run input' }, [input]),
    );
    const { serviceName } = prepared.config;
    const { dryRun } = prepared.options;
    Object.assign(facts, { serviceName, dryRun });
    announceRun(facts);
    const serviceRunId = ingestionWorkflowId(serviceName);
    if (workflowInfo().workflowId !== serviceRunId) {
      showTrigger(serviceName, dryRun, serviceRunId);
      return runUnderServiceId(input, { serviceName, dryRun, registered: facts.registered }, startedAt);
    }
    if (searchAttributes.warning) log.warn(searchAttributes.warning);
    const warnings = searchAttributes.warning ? [searchAttributes.warning] : [];
    current = await startRun(
      { ...prepared, warnings: [...prepared.warnings, ...warnings] },
      startedAt,
      searchAttributes.registered,
      reporter,
    );
  } else {
    reporter.attach({ ctx: current.ctx, serviceFqn: current.serviceFqn, startedAt });
  }
  const progress = current;
  const { ctx } = progress;
  const inFlight = new Map<number, Promise<void>>();
  let listingFailure: { type: string; message: string } | undefined;
  phase = 'listing';
  const report = (): void => showProgress(ctx.config.serviceName, ctx.options.dryRun, progressNow());
  report();

  const startBatch = (names: string[]): void => {
    const index = progress.batchesStarted++;
    const { workflowId, firstExecutionRunId } = workflowInfo();
    // The run id keeps a child of this run from colliding with a late child of an earlier run
    // of the service (the parent id is the same for every run); it survives continueAsNew.
    const batchId = `${workflowId}/${firstExecutionRunId}/batch-${index}`;
    inFlightIds.set(index, batchId);
    const batch = executeChild(kinesisStreamBatch, {
      workflowId: batchId,
      args: [{ ctx, serviceFqn: progress.serviceFqn, names }],
      staticSummary: `streams ${names[0]} … ${names[names.length - 1]} (${names.length})`,
    }).then(
      (result) => mergeBatch(progress.totals, result),
      (error: unknown) => {
        // A batch that failed as a whole (terminated, timed out) fails its streams, not the run:
        // the others go on, and the sweep, which lists Kinesis itself, stays safe.
        if (isCancellation(error)) throw error;
        const { type, message } = failureInfo(error);
        progress.totals.failed += names.length;
        countStream(ctx.config.serviceName, 'failed', names.length);
        if (progress.totals.failures.length < MAX_LISTED_FAILURES) {
          const stream = `${names[0]} … ${names[names.length - 1]} (${names.length} streams)`;
          progress.totals.failures.push({ stream, step: 'batch', type, message });
        }
      },
    );
    inFlight.set(
      index,
      batch.finally(() => {
        inFlight.delete(index);
        inFlightIds.delete(index);
        report();
      }),
    );
  };

  while (!listingDone && !progress.totals.fatalError) {
    let listing;
    try {
      listing = await listingStep.listStreamsBatch.executeWithOptions({ summary: 'list streams' }, [
        ctx,
        progress.cursor,
      ]);
    } catch (error) {
      if (isCancellation(error)) throw error;
      listingFailure = failureInfo(error);
      break;
    }
    progress.streamsSeen += listing.seen;
    progress.filtered += listing.filtered;
    progress.listed += listing.names.length;
    progress.cursor = listing.next;
    listingDone = !listing.next;
    if (listing.names.length > 0) startBatch(listing.names);
    report();
    while (inFlight.size >= ctx.options.batchConcurrency) await Promise.race(inFlight.values());
    if (!listingDone && workflowInfo().continueAsNewSuggested) {
      // Only at a quiet point: children in flight belong to this history.
      await Promise.all(inFlight.values());
      if (!progress.totals.fatalError) await continueAsNew<typeof kinesisMetadataIngestion>(input, progress);
    }
  }
  phase = 'streams';
  await Promise.all(inFlight.values());

  const fatal = progress.totals.fatalError;
  if (fatal) throw runFailure(fatal.step, fatal.type, fatal.message, progress);
  if (listingFailure) {
    throw runFailure(
      'listStreams',
      listingFailure.type,
      `listing the streams failed, so the run could not see every stream and the stale sweep did not run: ${listingFailure.message}`,
      progress,
    );
  }

  let deleted = 0;
  let sweepSkippedReason: string | undefined;
  if (!ctx.config.markDeletedTopics) {
    sweepSkippedReason = 'markDeletedTopics is false';
  } else {
    phase = 'sweep';
    report();
    try {
      const sweep = await sweepStep.sweepStaleTopics.executeWithOptions({ summary: 'sweep stale topics' }, [
        ctx,
        progress.serviceFqn,
      ]);
      deleted = sweep.deleted;
      if (sweep.withheld) {
        sweepSkippedReason = sweep.withheld;
        addWarning(progress.totals, { step: 'sweepStaleTopics', message: sweep.withheld });
      }
      if (ctx.options.dryRun)
        for (const name of sweep.names) addPlannedWrite(progress.totals, `soft-delete topic ${name}`);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const { type, message } = failureInfo(error);
      if (RUN_FATAL_FAILURE_TYPES.has(type)) throw runFailure('sweepStaleTopics', type, message, progress);
      if (type.startsWith('OpenMetadata')) progress.totals.sinkErrors += 1;
      sweepSkippedReason = `the sweep failed: ${message}`;
      addWarning(progress.totals, { step: 'sweepStaleTopics', message: sweepSkippedReason });
    }
  }
  phase = 'done';
  const summary = summarize(progress, deleted, sweepSkippedReason);
  await reporter.finished(summary);
  return summary;
}

function runFailure(
  step: IngestionStep,
  type: string,
  message: string,
  progress: IngestionProgress,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message: `${step}: ${message}`,
    nonRetryable: true,
    details: [summarize(progress, 0, 'the run failed')],
  });
}
