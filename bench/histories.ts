// Reads every execution of a benchmark run (each run of the parent, continued-as-new or not,
// and every batch child) from Temporal and measures history sizes and where the time went.
import type { Client } from '@temporalio/client';
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
}

const ms = (event: HistoryEvent): number => {
  const t = event.eventTime;
  if (!t) return 0;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
};

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
  };
  for (const { workflowId, runId } of executions) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    if (!figures.largest || events.length > figures.largest.events) {
      figures.largest = { workflowId, runId, events: events.length, bytes };
    }
    const byId = new Map<string, HistoryEvent>();
    for (const event of events) {
      byId.set(String(event.eventId), event);
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const scheduled = byId.get(String(started.scheduledEventId));
        if (scheduled) {
          const wait = ms(event) - ms(scheduled);
          figures.activityScheduleToStartMs += wait;
          figures.maxScheduleToStartMs = Math.max(figures.maxScheduleToStartMs, wait);
        }
      }
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes;
      if (closed) {
        figures.activityExecutions += 1;
        const startedEvent = byId.get(String(closed.startedEventId));
        if (startedEvent) figures.activityRunMs += ms(event) - ms(startedEvent);
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
  return figures;
}
