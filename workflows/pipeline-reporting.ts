import { ApplicationFailure, CancellationScope, ContinueAsNew, isCancellation } from '@temporalio/workflow';
import {
  finishedState,
  stepSummariesOf,
  type PipelineState,
  type StepSummary,
} from '../common/pipeline-status.js';
import type { RunContext } from '../common/run-context.js';
import { MAX_LISTED_WARNINGS, type IngestionSummary, type RunWarning } from '../common/summary.js';
import { pipelineStatusStep } from './activity-proxies.js';
import { failureInfo } from './failures.js';

interface ReportedRun {
  ctx: RunContext;
  serviceFqn: string;
  startedAt: string;
}

/**
 * The run as its OpenMetadata ingestion pipeline (`ingestionPipelineFQN`) shows it: `running`
 * once the service exists, then `success`, `partialSuccess`, `failed` or `stopped` with the
 * steps' counts. Inert without ingestionPipelineFQN and in a dry run (which writes nothing).
 * Reporting is a side matter: a report that fails is a warning, never the run's failure.
 */
export class PipelineStatusReporter {
  private run?: ReportedRun;

  /** From here on the run reports (its context and service known). */
  attach(run: ReportedRun): void {
    this.run = run.ctx.config.pipeline && !run.ctx.options.dryRun ? run : undefined;
  }

  /** `running`; returns the warning when the report failed. */
  async started(): Promise<RunWarning | undefined> {
    return this.report('running');
  }

  /** The finished run's state and counts; a failed report is added to the summary's warnings. */
  async finished(summary: IngestionSummary): Promise<void> {
    const warning = await this.report(finishedState(summary), summary.finishedAt, stepSummariesOf(summary));
    if (!warning) return;
    summary.warningCount += 1;
    if (summary.warnings.length < MAX_LISTED_WARNINGS) summary.warnings.push(warning);
  }

  /** A run that failed (or was cancelled: `stopped`), with what it had done. */
  async failed(error: unknown): Promise<void> {
    if (!this.run || error instanceof ContinueAsNew) return;
    const { message } = failureInfo(error);
    const done =
      error instanceof ApplicationFailure ? (error.details?.[0] as IngestionSummary | undefined) : undefined;
    const steps: StepSummary[] = [
      ...(done ? stepSummariesOf(done) : []),
      {
        name: 'Run',
        records: 0,
        updated_records: 0,
        warnings: 0,
        errors: 1,
        filtered: 0,
        failures: [{ name: 'run', error: message }],
      },
    ];
    const state: PipelineState = isCancellation(error) ? 'stopped' : 'failed';
    // A cancelled run still says so: the report itself is not cancelled.
    await CancellationScope.nonCancellable(() => this.report(state, new Date().toISOString(), steps));
  }

  private async report(
    state: PipelineState,
    finishedAt?: string,
    steps?: StepSummary[],
  ): Promise<RunWarning | undefined> {
    const run = this.run;
    if (!run) return undefined;
    const fqn = run.ctx.config.pipeline?.fqn ?? '';
    try {
      await pipelineStatusStep.reportPipelineStatus.executeWithOptions(
        { summary: `report ${state} to ingestion pipeline ${fqn}` },
        [
          run.ctx,
          {
            serviceFqn: run.serviceFqn,
            state,
            startedAt: run.startedAt,
            ...(finishedAt ? { finishedAt } : {}),
            ...(steps ? { steps } : {}),
          },
        ],
      );
      return undefined;
    } catch (error) {
      if (isCancellation(error)) throw error;
      return {
        step: 'pipelineStatus',
        message: `the run's status could not be reported to ingestion pipeline ${fqn}: ${failureInfo(error).message}`,
      };
    }
  }
}
