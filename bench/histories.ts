// Reads every execution of a benchmark run (each run of the parent, continued-as-new or not,
// and every batch child) from Temporal and measures history sizes and where the time went.
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';

const { temporal } = proto;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

export interface ExecutionFigures {
  workflowId: string;
  runId: string;
  events: number;
  bytes: number;
}

export interface HistoryFigures {
  executions: number;
  largest: ExecutionFigures | undefined;
  activityExecutions: number;
  /** Sum over activities of started -> closed (ms): time spent running activities. */
  activityRunMs: number;
  /** Sum over activities of scheduled -> started (ms): time waiting for a worker slot or poll. */
  activityScheduleToStartMs: number;
  /** Largest single scheduled -> started wait (ms). */
  maxScheduleToStartMs: number;
  /** Sum over workflow tasks of scheduled -> completed (ms): workflow code and its scheduling. */
  workflowTaskMs: number;
  workflowTasks: number;
  /** The parent's own steps (ms from the run's start): where the time before and after the streams goes. */
  parentSteps: Array<{ step: string; scheduledMs: number; startedMs: number; closedMs: number }>;
  /**
   * Per activity type: how many ran, and their mean time waiting to start and running. Shows
   * which step holds a stream's slot while the describe queue waits for work.
   */
  steps: Record<string, { count: number; meanScheduleToStartMs: number; meanRunMs: number }>;
  /**
   * Message schema inference per stream (the topic steps' `sample.inferenceMs`, from their
   * results): parsing the sampled records and building the schema, on the worker.
   */
  inference?: { streams: number; meanMs: number; maxMs: number; totalMs: number };
  /**
   * Where the wall time went: from the run's start to the first describe step's start, the
   * describe steps (first start to last completion, with their rate), and from there to the
   * run's end (the last streams' other steps, and the sweep).
   */
  timeline?: {
    beforeDescribeMs: number;
    describeMs: number;
    describesPerSecond: number;
    afterDescribeMs: number;
  };
}

const ms = (event: HistoryEvent): number => optionalTsToMs(event.eventTime) ?? 0;

/** Every execution on the task queue since `since`, found through visibility, or by walking children. */
export async function executionsOf(
  client: Client,
  taskQueue: string,
  rootWorkflowId: string,
): Promise<Array<{ workflowId: string; runId: string }>> {
  const found: Array<{ workflowId: string; runId: string }> = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    found.push({ workflowId: execution.workflowId, runId: execution.runId });
  }
  if (found.some((e) => e.workflowId === rootWorkflowId)) return found;
  throw new Error(`visibility has no execution ${rootWorkflowId} on task queue ${taskQueue}`);
}

export async function measureHistories(
  client: Client,
  executions: Array<{ workflowId: string; runId: string }>,
): Promise<HistoryFigures> {
  const figures: HistoryFigures = {
    executions: executions.length,
    largest: undefined,
    activityExecutions: 0,
    activityRunMs: 0,
    activityScheduleToStartMs: 0,
    maxScheduleToStartMs: 0,
    workflowTaskMs: 0,
    workflowTasks: 0,
    parentSteps: [],
    steps: {},
  };
  const stepSums = new Map<string, { count: number; waitMs: number; runMs: number }>();
  let runStart = Infinity;
  let runEnd = 0;
  let firstDescribe = Infinity;
  let lastDescribe = 0;
  let describes = 0;
  const inferenceMs: number[] = [];
  for (const { workflowId, runId } of executions) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    if (!figures.largest || events.length > figures.largest.events) {
      figures.largest = { workflowId, runId, events: events.length, bytes };
    }
    if (!workflowId.includes('/') && events.length > 0) {
      runStart = Math.min(runStart, ms(events[0]!));
      runEnd = Math.max(runEnd, ms(events[events.length - 1]!));
    }
    const byId = new Map<string, HistoryEvent>();
    for (const event of events) {
      byId.set(String(event.eventId), event);
      // An activity's scheduled and started events come before the event that closes it:
      // everything about the activity is read once, there.
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes;
      if (closed) {
        figures.activityExecutions += 1;
        const started = byId.get(String(closed.startedEventId));
        const scheduled = byId.get(String(closed.scheduledEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        if (started && scheduled) {
          const waitMs = ms(started) - ms(scheduled);
          const runMs = ms(event) - ms(started);
          figures.activityScheduleToStartMs += waitMs;
          figures.maxScheduleToStartMs = Math.max(figures.maxScheduleToStartMs, waitMs);
          figures.activityRunMs += runMs;
          const sums = stepSums.get(type) ?? { count: 0, waitMs: 0, runMs: 0 };
          sums.count += 1;
          sums.waitMs += waitMs;
          sums.runMs += runMs;
          stepSums.set(type, sums);
          const inferred = type === 'upsertTopic' ? inferenceMsOf(event) : undefined;
          if (inferred !== undefined) inferenceMs.push(inferred);
          if (type === 'describeStream') {
            firstDescribe = Math.min(firstDescribe, ms(started));
            if (event.activityTaskCompletedEventAttributes) {
              lastDescribe = Math.max(lastDescribe, ms(event));
              describes += 1;
            }
          }
        }
        if (!workflowId.includes('/')) {
          figures.parentSteps.push({
            step: type,
            scheduledMs: scheduled ? ms(scheduled) : 0,
            startedMs: started ? ms(started) : 0,
            closedMs: ms(event),
          });
        }
      }
      const wft = event.workflowTaskCompletedEventAttributes;
      if (wft) {
        const scheduled = byId.get(String(wft.scheduledEventId));
        if (scheduled) {
          figures.workflowTasks += 1;
          figures.workflowTaskMs += ms(event) - ms(scheduled);
        }
      }
    }
  }
  for (const [type, sums] of stepSums) {
    figures.steps[type] = {
      count: sums.count,
      meanScheduleToStartMs: Math.round(sums.waitMs / sums.count),
      meanRunMs: Math.round(sums.runMs / sums.count),
    };
  }
  for (const step of figures.parentSteps) {
    step.scheduledMs -= runStart;
    step.startedMs -= runStart;
    step.closedMs -= runStart;
  }
  if (inferenceMs.length > 0) {
    const totalMs = inferenceMs.reduce((sum, value) => sum + value, 0);
    figures.inference = {
      streams: inferenceMs.length,
      meanMs: +(totalMs / inferenceMs.length).toFixed(3),
      maxMs: Math.max(...inferenceMs),
      totalMs: Math.round(totalMs),
    };
  }
  if (describes > 0 && runEnd > 0) {
    figures.timeline = {
      beforeDescribeMs: firstDescribe - runStart,
      describeMs: lastDescribe - firstDescribe,
      describesPerSecond: +(describes / ((lastDescribe - firstDescribe) / 1000)).toFixed(2),
      afterDescribeMs: runEnd - lastDescribe,
    };
  }
  return figures;
}

/** The inference time a completed topic step reports in its result (JSON payload). */
function inferenceMsOf(event: HistoryEvent): number | undefined {
  const payload = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
  if (!payload) return undefined;
  try {
    const result = JSON.parse(Buffer.from(payload).toString('utf8')) as {
      sample?: { inferenceMs?: unknown };
    };
    return typeof result.sample?.inferenceMs === 'number' ? result.sample.inferenceMs : undefined;
  } catch {
    return undefined;
  }
}
