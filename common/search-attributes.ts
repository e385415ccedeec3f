// The search attributes of a run. The workflow upserts them itself, so that every run is found
// the same way whoever started it (`om-kinesis ingest`, `temporal workflow start`, a Schedule):
// `OmKinesisService = "kinesis_prod"` in the Web UI or `temporal workflow list --query`.
// Imported by workflow code: no I/O here.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** Attribute types as `temporal operator search-attribute create --type` spells them. */
export type SearchAttributeTypeName = keyof typeof INDEXED_VALUE_TYPES;

/** temporal.api.enums.v1.IndexedValueType: stable protobuf enum numbers, as the API answers them. */
export const INDEXED_VALUE_TYPES = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
} as const;

/** The type name of an IndexedValueType number (`#9` for one this code does not know). */
export function searchAttributeTypeName(indexedValueType: number): string {
  const known = Object.entries(INDEXED_VALUE_TYPES).find(([, value]) => value === indexedValueType);
  return known ? known[0] : `#${indexedValueType}`;
}

/**
 * The attributes and their types. Counted against a namespace's limits: a cluster with SQL
 * visibility (SQLite, MySQL, PostgreSQL) holds at most 3 Int, 3 Bool and 10 Keyword custom
 * attributes per namespace; the three counts take its three Int slots. A namespace that has
 * only some of them registered gets only those.
 */
export const SEARCH_ATTRIBUTES = {
  /** The OpenMetadata service (`source.serviceName`): one service's runs. */
  OmKinesisService: 'Keyword',
  /** Always `kinesis`: every run of this product, whatever the service. */
  OmKinesisConnector: 'Keyword',
  /**
   * `ingestion` for the run that does the work (workflow id `om-kinesis-<service>`); `trigger`
   * for a run started under another id (by a Schedule, which appends the time), which only
   * starts the ingestion under the service's id and reports its outcome.
   */
  OmKinesisRole: 'Keyword',
  OmKinesisDryRun: 'Bool',
  /** Topics created, updated, and streams failed: set when the ingestion ends. */
  OmKinesisCreated: 'Int',
  OmKinesisUpdated: 'Int',
  OmKinesisFailed: 'Int',
} as const satisfies Record<string, SearchAttributeTypeName>;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;

export type RunRole = 'ingestion' | 'trigger';

/** What a run says about itself; each value is upserted when its attribute is registered. */
export interface RunSearchAttributes {
  service?: string;
  role?: RunRole;
  dryRun?: boolean;
  created?: number;
  updated?: number;
  failed?: number;
}

const keyword = (name: SearchAttributeName) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);
const int = (name: SearchAttributeName) => defineSearchAttributeKey(name, SearchAttributeType.INT);

export const SEARCH_ATTRIBUTE_KEYS = {
  service: keyword('OmKinesisService'),
  connector: keyword('OmKinesisConnector'),
  role: keyword('OmKinesisRole'),
  dryRun: defineSearchAttributeKey('OmKinesisDryRun', SearchAttributeType.BOOL),
  created: int('OmKinesisCreated'),
  updated: int('OmKinesisUpdated'),
  failed: int('OmKinesisFailed'),
};

/**
 * The update pairs for `values`, limited to the attributes `registered` in the namespace: an
 * unregistered attribute would fail every workflow task of the run (BadSearchAttributes) and
 * leave it stuck, so it is never sent. The connector goes with the service.
 */
export function searchAttributeUpdates(
  values: RunSearchAttributes,
  registered: ReadonlySet<string>,
): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [];
  const has = (key: { name: string }): boolean => registered.has(key.name);
  const { service, role, dryRun, created, updated, failed } = values;
  const keys = SEARCH_ATTRIBUTE_KEYS;
  if (service !== undefined && has(keys.service)) pairs.push({ key: keys.service, value: service });
  if (service !== undefined && has(keys.connector)) pairs.push({ key: keys.connector, value: 'kinesis' });
  if (role !== undefined && has(keys.role)) pairs.push({ key: keys.role, value: role });
  if (dryRun !== undefined && has(keys.dryRun)) pairs.push({ key: keys.dryRun, value: dryRun });
  if (created !== undefined && has(keys.created)) pairs.push({ key: keys.created, value: created });
  if (updated !== undefined && has(keys.updated)) pairs.push({ key: keys.updated, value: updated });
  if (failed !== undefined && has(keys.failed)) pairs.push({ key: keys.failed, value: failed });
  return pairs;
}

/** Which of {@link SEARCH_ATTRIBUTES} a namespace has, as the worker found them. */
export interface NamespaceSearchAttributes {
  namespace: string;
  /** Registered with the type this product needs. */
  registered: SearchAttributeName[];
  /** Not registered, or registered with another type (`actual`). */
  missing: { name: SearchAttributeName; type: SearchAttributeTypeName; actual?: string }[];
}

/**
 * What to tell the operator when attributes are missing: which, what it costs, and the command
 * that registers them (the CLI pairs each `--name` with the `--type` that follows it).
 */
export function missingSearchAttributesAdvice(
  found: NamespaceSearchAttributes,
  goingOn = 'the run goes on without them',
): string | undefined {
  if (found.missing.length === 0) return undefined;
  const absent = found.missing.filter((attribute) => attribute.actual === undefined);
  const conflicting = found.missing.filter((attribute) => attribute.actual !== undefined);
  const parts = [
    `the namespace ${found.namespace} lacks the search attributes ${found.missing.map((a) => `${a.name} (${a.type})`).join(', ')}, so runs cannot be filtered or shown by them in the Web UI or \`temporal workflow list\`; ${goingOn}.`,
  ];
  if (absent.length > 0) {
    const pairs = absent.map(({ name, type }) => `--name ${name} --type ${type}`).join(' ');
    parts.push(
      `Register them once with: temporal operator search-attribute create --namespace ${found.namespace} ${pairs}`,
    );
  }
  for (const { name, type, actual } of conflicting) {
    parts.push(
      `${name} is registered as ${actual}, not ${type}: types cannot be changed, so remove it (temporal operator search-attribute remove --namespace ${found.namespace} --name ${name}) and create it again as ${type}.`,
    );
  }
  return parts.join(' ');
}
