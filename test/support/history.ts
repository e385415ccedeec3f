// Reads whole workflow histories (a run and its batch children) for assertions on what
// Temporal stored: sizes, activity inputs and results, and the absence of secrets.
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { executionsOfRun } from './history-files.js';

const { temporal } = proto;

export interface StoredHistory {
  workflowId: string;
  events: number;
  bytes: number;
  /** The history as JSON text, payloads decoded from base64 where they are JSON. */
  text: string;
}

/** The histories of a run's workflow and of every child it started (recursively). */
export async function runHistories(client: Client, workflowId: string): Promise<StoredHistory[]> {
  const histories: StoredHistory[] = [];
  for (const { workflowId: id, history } of await executionsOfRun(client, workflowId)) {
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    const events = history.events?.length ?? 0;
    histories.push({ workflowId: id, events, bytes, text: decodePayloads(history) });
  }
  return histories;
}

/** The identities of the workers that started activities of one type in a run (and its children). */
export async function identitiesThatRan(
  client: Client,
  workflowId: string,
  activityType: string,
): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const { history } of await executionsOfRun(client, workflowId)) {
    const typeOfScheduled = new Map<string, string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name)
        typeOfScheduled.set(String(event.eventId), scheduled.activityType.name);
      const started = event.activityTaskStartedEventAttributes;
      if (started?.identity && typeOfScheduled.get(String(started.scheduledEventId)) === activityType)
        identities.add(started.identity);
    }
  }
  return identities;
}

function decodePayloads(value: unknown): string {
  // Protobuf messages serialise their bytes fields as base64 (toJSON runs before a replacer):
  // decode payload data so that the text holds what was stored, both raw and decoded.
  const raw = JSON.stringify(value);
  const decoded = JSON.stringify(value, (key, field: unknown) =>
    key === 'data' && typeof field === 'string' ? Buffer.from(field, 'base64').toString('utf8') : field,
  );
  return `${raw}\n${decoded}`;
}
