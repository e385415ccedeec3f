/**
 * Versions and change descriptions as EntityRepository.EntityUpdater records them: what a PUT,
 * a soft delete or a restore changed, the version that follows, and what is stored.
 */
import type { StoredService, StoredTopic } from './state.js';
import type { ChangeDescription, FieldChange, OpenMetadataPrincipal } from './types.js';
import { deepCopy, deepEqual, isEmptyText } from './values.js';

const nextVersion = (version: number): number => Math.round((version + 0.1) * 10) / 10;
const nextMajorVersion = (version: number): number => Math.round((Math.floor(version) + 1) * 10) / 10;

class ChangeRecorder {
  readonly added: FieldChange[] = [];
  readonly updated: FieldChange[] = [];
  readonly deleted: FieldChange[] = [];
  majorVersionChange = false;

  /** Records one field; null and absent are the same. */
  record(name: string, original: unknown, updated: unknown): void {
    const before = original ?? null;
    const after = updated ?? null;
    if (before === null && after === null) return;
    if (before === null) this.added.push({ name, newValue: after });
    else if (after === null) this.deleted.push({ name, oldValue: before });
    else if (!deepEqual(before, after)) this.updated.push({ name, oldValue: before, newValue: after });
  }

  /**
   * Records a list field item by item; values are JSON text as the real server writes them.
   * Returns the items deleted.
   */
  recordList<T>(
    name: string,
    original: readonly T[] | undefined,
    updated: readonly T[] | undefined,
    sameItem: (a: T, b: T) => boolean,
  ): T[] {
    const before = original ?? [];
    const after = updated ?? [];
    const deleted = before.filter((item) => !after.some((other) => sameItem(other, item)));
    const added = after.filter((item) => !before.some((other) => sameItem(other, item)));
    const changed = after.filter((item) =>
      before.some((other) => sameItem(other, item) && !deepEqual(other, item)),
    );
    if (added.length > 0) this.added.push({ name, newValue: JSON.stringify(added) });
    if (changed.length > 0) {
      this.updated.push({ name, oldValue: JSON.stringify(before), newValue: JSON.stringify(changed) });
    }
    if (deleted.length > 0) this.deleted.push({ name, oldValue: JSON.stringify(deleted) });
    return deleted;
  }

  get changed(): boolean {
    return this.added.length + this.updated.length + this.deleted.length > 0;
  }

  nextVersion(version: number): number {
    if (this.majorVersionChange) return nextMajorVersion(version);
    return this.changed ? nextVersion(version) : version;
  }

  describe(previousVersion: number): ChangeDescription {
    return {
      fieldsAdded: this.added,
      fieldsUpdated: this.updated,
      fieldsDeleted: this.deleted,
      previousVersion,
    };
  }
}

/** description and displayName: a bot's PUT never overwrites a non-empty stored value. */
function recordDescriptiveFields<T extends { description?: string; displayName?: string }>(
  recorder: ChangeRecorder,
  original: T,
  updated: T,
  principal: OpenMetadataPrincipal,
): void {
  for (const field of ['description', 'displayName'] as const) {
    if (principal.isBot && !isEmptyText(original[field])) {
      updated[field] = original[field];
    } else {
      recorder.record(field, original[field], updated[field]);
    }
  }
}

const TOPIC_SCALAR_FIELDS = [
  'maximumMessageSize',
  'minimumInSyncReplicas',
  'partitions',
  'replicationFactor',
  'retentionTime',
  'retentionSize',
] as const;

interface SchemaField {
  name?: unknown;
  dataType?: unknown;
}

/** TopicRepository.TopicUpdater.entitySpecificUpdate. */
export function recordTopicChanges(
  recorder: ChangeRecorder,
  original: StoredTopic,
  updated: StoredTopic,
): void {
  if (updated.lifeCycle === undefined) updated.lifeCycle = original.lifeCycle;
  else recorder.record('lifeCycle', original.lifeCycle, updated.lifeCycle);
  for (const field of TOPIC_SCALAR_FIELDS) recorder.record(field, original[field], updated[field]);
  // A PUT without messageSchema leaves the schema out of the comparison (as the real updater does).
  if (updated.messageSchema !== undefined) {
    const before = original.messageSchema;
    const after = updated.messageSchema;
    recorder.record('messageSchema.schemaText', before?.schemaText, after.schemaText);
    recorder.record('messageSchema.schemaType', before?.schemaType, after.schemaType);
    const deleted = recorder.recordList(
      'messageSchema.schemaFields',
      before?.schemaFields as SchemaField[] | undefined,
      after.schemaFields as SchemaField[] | undefined,
      (a, b) => a.name === b.name && a.dataType === b.dataType,
    );
    recorder.majorVersionChange ||= deleted.length > 0;
  }
  recorder.record('topicConfig', original.topicConfig, updated.topicConfig);
  recorder.record('owner', original.owner, updated.owner);
  recorder.recordList(
    'cleanupPolicies',
    original.cleanupPolicies,
    updated.cleanupPolicies,
    (a, b) => a === b,
  );
  recorder.record('sourceUrl', original.sourceUrl, updated.sourceUrl);
  recorder.record('sourceHash', original.sourceHash, updated.sourceHash);
}

/** ServiceEntityRepository's updater: connection secrets never enter the change log. */
export function recordServiceChanges(
  recorder: ChangeRecorder,
  original: StoredService,
  updated: StoredService,
): void {
  if (!deepEqual(original.connection ?? null, updated.connection ?? null)) {
    recorder.updated.push({
      name: 'connection',
      oldValue: '"old-encrypted-value"',
      newValue: '"new-encrypted-value"',
    });
  }
}

interface UpdateOutcome<T> {
  /** What the answer shows: the updated entity, or (no change) the request applied but not stored. */
  entity: T;
  changed: boolean;
}

/** EntityRepository.update: restore if soft-deleted, record changes, store only when changed. */
export function applyUpdate<T extends StoredTopic | StoredService>(
  original: T,
  updated: T,
  principal: OpenMetadataPrincipal,
  recordSpecific: (recorder: ChangeRecorder) => void,
): UpdateOutcome<T> {
  const recorder = new ChangeRecorder();
  if (original.deleted) {
    updated.deleted = false;
    recorder.record('deleted', true, false);
  }
  recordDescriptiveFields(recorder, original, updated, principal);
  recordSpecific(recorder);
  updated.version = recorder.nextVersion(original.version);
  updated.changeDescription = recorder.describe(original.version);
  if (!recorder.changed) {
    updated.updatedAt = original.updatedAt;
    updated.updatedBy = original.updatedBy;
  }
  return { entity: updated, changed: recorder.changed };
}

/**
 * Soft delete (deleted: true) or restore (deleted: false). A no-op keeps the version and the
 * answer shows an empty changeDescription; store the result only when `deleted` changed.
 */
export function setDeleted<T extends StoredTopic | StoredService>(
  entity: T,
  deleted: boolean,
  principal: OpenMetadataPrincipal,
): T {
  const recorder = new ChangeRecorder();
  recorder.record('deleted', entity.deleted, deleted);
  const updated = deepCopy(entity);
  updated.changeDescription = recorder.describe(entity.version);
  if (recorder.changed) {
    updated.deleted = deleted;
    updated.version = recorder.nextVersion(entity.version);
    updated.updatedAt = Date.now();
    updated.updatedBy = principal.name;
  }
  return updated;
}
