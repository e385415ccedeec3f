// Workflow histories as JSON files, in the format of `temporal workflow show --output json` and
// of the Web UI's download: a history recorded here, or one downloaded from a cluster, can be
// replayed by test/replay.test.ts.
//
// The SDK's historyFromJSON / historyToJSON (@temporalio/common) fail with "type must be a
// Type" when npm installs two copies of protobufjs (it does here: @temporalio/common and
// @temporalio/proto each get their own). The proto JSON codec of the copy that
// @temporalio/proto itself loads reads the types @temporalio/proto defines, whatever the tree.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import path from 'node:path';
import { projectRoot } from '../../client/local-temporal/temporal-cli.js';

type History = proto.temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = path.join(projectRoot(), 'test', 'histories');
export const HISTORIES_INDEX = path.join(HISTORIES_DIR, 'index.json');

/** The shapes a run takes; each must have a recording (test/replay.test.ts checks). */
export const WORKFLOW_SHAPES = {
  'first-run': 'a first run of a service: checks, the service, one batch, the sweep',
  'continued-as-new': 'a run that continued as new between batches (a long listing)',
  'failed-batch': 'a run one of whose batches failed as a whole (terminated), which goes on',
  'dry-run': 'a dry run: reads everything, writes nothing',
  scheduled: 'a run started by a Temporal Schedule: the trigger, then the ingestion under the service id',
  'failed-run': 'a run whose input is invalid: it fails at its first step',
  reported: 'a run that reports its status to an OpenMetadata ingestion pipeline (ingestionPipelineFQN)',
} as const;

export type WorkflowShape = keyof typeof WORKFLOW_SHAPES;

export interface HistoriesIndex {
  histories: { shape: WorkflowShape; workflowId: string; file: string }[];
}

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
}

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protoJson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = (
  patchProtobufRoot(proto) as unknown as { lookupType(name: string): { fromObject(o: object): unknown } }
).lookupType('temporal.api.history.v1.History');

export function readHistoryFile(file: string): History {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  // Unknown fields (a newer server's) are ignored, as the SDK's own reader does.
  return protoJson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}

export function writeHistoryFile(file: string, history: History): void {
  const json = protoJson.toJson(historyType, historyType.fromObject(history));
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** One execution of a workflow: the id and run id to fetch and replay it under. */
export interface RecordedExecution {
  workflowId: string;
  runId: string | undefined;
  history: History;
}

/**
 * The histories of a run: the execution itself (by default the latest run of `workflowId`),
 * the runs it continued as, and every child they started (recursively), each with its own
 * workflow id and run id.
 */
export async function executionsOfRun(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<RecordedExecution[]> {
  const executions: RecordedExecution[] = [];
  const pending: { workflowId: string; runId: string | undefined }[] = [{ workflowId, runId }];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const history = await client.workflow.getHandle(next.workflowId, next.runId).fetchHistory();
    executions.push({ ...next, history });
    for (const event of history.events ?? []) {
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId)
        pending.push({ workflowId: child.workflowId, runId: child.runId });
      const continued = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (continued) pending.push({ workflowId: next.workflowId, runId: continued });
    }
  }
  return executions;
}
