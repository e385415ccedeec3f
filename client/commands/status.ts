import { Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { ingestionWorkflowId } from '../../common/run-input.js';
import {
  outcomeExitCode,
  readRunProgress,
  renderOutcomeSummary,
  renderProgressReport,
  runOutcome,
  watchRunProgress,
  type RunOutcome,
} from '../progress/index.js';
import { interruptExitCode, watchInterrupts, type InterruptWatch } from '../interrupts.js';
import { connectToCluster, requiredTemporalTarget, type TemporalFlags } from '../temporal-connection.js';
import { livePollers, noWorkerMessage, watchWorkers } from '../worker-presence.js';
import { CliExit, EXIT_OK, EXIT_RUN_FAILED } from './shared.js';

export interface StatusCommandOptions extends TemporalFlags {
  /** Print the current progress (or the outcome) once, without following the run. */
  once?: boolean;
  json?: boolean;
  /** False with --no-progress. */
  progress?: boolean;
  taskQueue?: string;
}

/** The longest wait for a running run to answer `status --once` (it needs a worker to answer). */
const ONCE_READ_MS = 20_000;

/**
 * `om-kinesis status SERVICE`: the service's run (workflow id `om-kinesis-SERVICE`) on the
 * cluster. In progress: follows it with live progress on stderr until it ends, then prints the
 * summary and exits as `ingest` would (Ctrl-C stops following; the run goes on). Ended: prints
 * how and when, and its summary. Never ran: says so (exit 1). The summary's exit code applies
 * `raiseOnError: true` (the default), since the config is not at hand.
 */
export async function statusCommand(serviceName: string, options: StatusCommandOptions): Promise<number> {
  const target = requiredTemporalTarget(options, 'om-kinesis status');
  const workflowId = ingestionWorkflowId(serviceName);
  const connection = await connectToCluster(target);
  const calls = new AbortController();
  // Only while following a run does Ctrl-C have something to wind down; before, Node's default ends the command.
  let interrupts: InterruptWatch | undefined;
  try {
    return await connection.withAbortSignal(calls.signal, async () => {
      const client = new Client({ connection, namespace: target.namespace });
      const handle = client.workflow.getHandle(workflowId);
      let description: WorkflowExecutionDescription;
      try {
        description = await handle.describe();
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        throw new CliExit(
          EXIT_RUN_FAILED,
          `service ${serviceName} has no run on ${target.address} (namespace ${target.namespace}, workflow id ${workflowId}): it never ran there, or its last run is older than the namespace's retention. Start one with: om-kinesis ingest -c config.yaml`,
        );
      }

      const inProgress = description.status.name === 'RUNNING' || description.status.name === 'PAUSED';
      const workers = {
        namespace: target.namespace,
        taskQueue: description.taskQueue,
        workerCommand: `om-kinesis worker --address ${target.address}${target.namespace === 'default' ? '' : ` --namespace ${target.namespace}`} --task-queue ${description.taskQueue}`,
      };
      if (inProgress && options.once) {
        // A run answers its progress query only through a worker: without one, say so at once.
        if ((await livePollers(client, target.namespace, description.taskQueue)) === 0) {
          throw new CliExit(
            EXIT_RUN_FAILED,
            `the run ${workflowId} is in progress (started ${description.startTime.toISOString()}), but its progress cannot be read: ${noWorkerMessage(description.taskQueue, workers.workerCommand)}`,
          );
        }
        const snapshot = await withTimeout(
          readRunProgress(client, workflowId),
          ONCE_READ_MS,
          `the run ${workflowId} is in progress but did not answer its progress query within ${ONCE_READ_MS / 1000} s: is a worker polling task queue ${description.taskQueue}? (${workers.workerCommand})`,
        );
        console.log(
          options.json
            ? JSON.stringify({ status: 'running', progress: snapshot }, null, 2)
            : renderProgressReport(snapshot),
        );
        return EXIT_OK;
      }

      if (inProgress) {
        if (!options.json)
          console.error(
            `Following ${workflowId} (run ${description.runId}), started ${description.startTime.toISOString()}; Ctrl-C stops following, the run goes on`,
          );
        const result = runOutcome(handle);
        result.catch(() => undefined);
        const quiet = options.json || options.progress === false;
        const watching = new AbortController();
        const followed = quiet
          ? result
          : watchRunProgress(client, workflowId, result, { signal: watching.signal, workers });
        followed.catch(() => undefined);
        const watch = quiet ? watchWorkers(client, workers, (line) => console.error(line)) : undefined;
        interrupts = watchInterrupts();
        try {
          const ended = await Promise.race([followed, interrupts.received.then((signal) => ({ signal }))]);
          if ('signal' in ended) {
            console.error(`interrupted: stopped following ${workflowId}; the run goes on`);
            return interruptExitCode(ended.signal);
          }
          return report(serviceName, workflowId, ended, undefined, options.json);
        } finally {
          watching.abort();
          watch?.stop();
        }
      }

      // Ended: the outcome of that very run (a new one may start meanwhile, e.g. by a schedule).
      const outcome = await runOutcome(client.workflow.getHandle(workflowId, description.runId));
      return report(serviceName, workflowId, outcome, description.closeTime, options.json);
    });
  } finally {
    interrupts?.dispose();
    calls.abort();
    await connection.close();
  }
}

function report(
  serviceName: string,
  workflowId: string,
  outcome: RunOutcome,
  closedAt: Date | undefined,
  json: boolean | undefined,
): number {
  const when =
    closedAt ?? (outcome.status === 'completed' ? new Date(outcome.summary.finishedAt) : new Date());
  if (json) {
    console.log(JSON.stringify({ workflowId, closedAt: when.toISOString(), ...outcome }, null, 2));
  } else {
    const reason = outcome.status === 'completed' ? '' : `: ${outcome.message}`;
    console.log(
      `Last run of service ${serviceName} (workflow id ${workflowId}): ${outcome.status} at ${when.toISOString()}${reason}`,
    );
    const summary = renderOutcomeSummary(outcome);
    if (summary) console.log(summary);
  }
  return outcomeExitCode(outcome, true);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliExit(EXIT_RUN_FAILED, message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
