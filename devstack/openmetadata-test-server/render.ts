/**
 * Entities as the API answers them: keys in the real server's order, `href`s from the request's
 * base URL, and relationship fields only when `fields=` asked for them.
 */
import { ApiError } from './errors.js';
import type { OpenMetadataState, StoredService, StoredTopic } from './state.js';
import type { EntityReference } from './types.js';
import { deepCopy, orderKeys } from './values.js';

/** A Topic's properties in the order the real server writes them (also the `fields=` names). */
export const TOPIC_KEYS = [
  'id',
  'name',
  'fullyQualifiedName',
  'displayName',
  'description',
  'version',
  'updatedAt',
  'updatedBy',
  'service',
  'serviceType',
  'messageSchema',
  'partitions',
  'cleanupPolicies',
  'retentionTime',
  'replicationFactor',
  'maximumMessageSize',
  'minimumInSyncReplicas',
  'retentionSize',
  'topicConfig',
  'sampleData',
  'owner',
  'owners',
  'followers',
  'tags',
  'href',
  'changeDescription',
  'deleted',
  'extension',
  'sourceUrl',
  'domain',
  'dataProducts',
  'votes',
  'lifeCycle',
  'sourceHash',
] as const;

/** A MessagingService's properties in the order the real server writes them. */
export const SERVICE_KEYS = [
  'id',
  'name',
  'fullyQualifiedName',
  'serviceType',
  'description',
  'displayName',
  'connection',
  'pipelines',
  'testConnectionResult',
  'tags',
  'version',
  'updatedAt',
  'updatedBy',
  'owner',
  'href',
  'changeDescription',
  'deleted',
  'domain',
  'dataProducts',
] as const;

/** Relationship fields: only present when asked for with `fields=`, empty here when they are. */
const RELATIONSHIP_DEFAULTS: Record<string, () => unknown> = {
  followers: () => [],
  tags: () => [],
  dataProducts: () => [],
  pipelines: () => [],
  votes: () => ({ upVotes: 0, downVotes: 0, upVoters: [], downVoters: [] }),
};

/** The fields a read shows: none when `fields=` is absent, every one for `*`; 400 for an unknown one. */
export function parseFields(fieldsParam: string | undefined, allowed: readonly string[]): Set<string> {
  if (fieldsParam === undefined || fieldsParam.trim() === '') return new Set();
  const requested = fieldsParam.replaceAll(' ', '').split(',');
  if (requested.includes('*')) return new Set(allowed);
  for (const field of requested) {
    if (!allowed.includes(field)) throw new ApiError(400, `Invalid field name ${field}`);
  }
  return new Set(requested);
}

export interface EntityView {
  baseUrl: string;
  fields: ReadonlySet<string>;
}

export function renderTopic(
  state: OpenMetadataState,
  stored: StoredTopic,
  view: EntityView,
  extra: object = {},
): object {
  const topic: Record<string, unknown> = { ...state.materializeTopic(stored), ...extra };
  const service = topic.service as EntityReference;
  topic.service = { ...service, href: `${view.baseUrl}/v1/services/messagingServices/${service.id}` };
  topic.href = `${view.baseUrl}/v1/topics/${stored.id}`;
  // One owner is held; from 1.5 it is read as the list `owners`.
  const owner = topic.owner;
  if (!view.fields.has('owner')) delete topic.owner;
  if (view.fields.has('owners')) topic.owners = owner ? [owner] : [];
  for (const field of view.fields) {
    const empty = RELATIONSHIP_DEFAULTS[field];
    if (empty !== undefined && topic[field] === undefined) topic[field] = empty();
  }
  return orderKeys(topic, TOPIC_KEYS);
}

export function renderService(stored: StoredService, view: EntityView): object {
  const service: Record<string, unknown> = deepCopy(stored);
  service.href = `${view.baseUrl}/v1/services/messagingServices/${stored.id}`;
  for (const field of view.fields) {
    const empty = RELATIONSHIP_DEFAULTS[field];
    if (empty !== undefined && service[field] === undefined) service[field] = empty();
  }
  return orderKeys(service, SERVICE_KEYS);
}

/** The view of a write's answer: no relationship fields. */
export const plainView = (baseUrl: string): EntityView => ({ baseUrl, fields: new Set() });
