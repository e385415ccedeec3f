/**
 * OpenMetadata's own JSON schemas (Maven Central's org.open-metadata:openmetadata-spec, which
 * scripts/install-tools.sh unpacks into .tools/), validating every request body beside the
 * hand-written Jackson/Hibernate checks of read-body.ts: a body this server accepts is valid
 * for the real one.
 *
 * The 1.4.0 jar stands for 1.3 and 1.4 (no 1.3 jar is published; 1.2.0 lacks sourceHash and
 * PipelineStatus.status, which 1.3 has). Later versions are the 1.4.0 schemas with the changes
 * the official client's generated models show (see contract.ts), applied as overlays.
 *
 * The jar's files are resolved by path, as OpenMetadata's code generators resolve them: a few
 * files declare the `$id` of another (copy-paste slips), so each gets the id of its own path.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

import { projectRoot } from '../../client/local-temporal/temporal-cli.js';
import type { ApiContract } from './contract.js';

export const SPEC_VERSION = '1.4.0';
const BASE = 'https://open-metadata.org/schema/';

type Schema = Record<string, unknown>;

let published: ReadonlyMap<string, Schema> | undefined;

/** The jar's schemas by path below json/schema/, read once per process. */
function publishedSchemas(): ReadonlyMap<string, Schema> {
  if (published) return published;
  const root = path.join(projectRoot(), '.tools', 'openmetadata-spec', SPEC_VERSION, 'json', 'schema');
  if (!existsSync(root)) {
    throw new Error(`OpenMetadata's JSON schemas are not installed (${root} is missing): run npm run tools`);
  }
  const schemas = new Map<string, Schema>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.json')) {
      schemas.set(
        file.split(path.sep).join('/'),
        JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Schema,
      );
    }
  }
  published = schemas;
  return schemas;
}

/** One change of a later version: the schema at `file` edited in place (a deep copy). */
interface Overlay {
  name: string;
  file: string;
  edit(schema: Schema): void;
}

const propertiesOf = (schema: Schema, pointer: string[] = []): Record<string, unknown> => {
  let node: Record<string, unknown> = schema;
  for (const key of pointer) node = node[key] as Record<string, unknown>;
  return node.properties as Record<string, unknown>;
};
const ref = (file: string): Schema => ({ $ref: `${BASE}${file}` });
const fqnList: Schema = {
  type: 'array',
  items: ref('type/basic.json#/definitions/fullyQualifiedEntityName'),
};

function overlaysFor(contract: ApiContract): Overlay[] {
  const overlays: Overlay[] = [];
  const add = (when: boolean, name: string, file: string, edit: (schema: Schema) => void): void => {
    if (when) overlays.push({ name, file, edit });
  };
  const createRequests = [
    'api/data/createTopic.json',
    'api/services/createMessagingService.json',
    'api/services/ingestionPipelines/createIngestionPipeline.json',
  ];
  for (const file of createRequests) {
    add(contract.owners, 'owners', file, (schema) => {
      const properties = propertiesOf(schema);
      delete properties.owner;
      properties.owners = ref('type/entityReferenceList.json');
    });
  }
  for (const file of createRequests.slice(0, 2)) {
    add(contract.domains, 'domains', file, (schema) => {
      const properties = propertiesOf(schema);
      delete properties.domain;
      properties.domains = fqnList;
    });
  }
  add(
    contract.serviceIngestionRunner,
    'ingestionRunner',
    'api/services/createMessagingService.json',
    (schema) => {
      Object.assign(propertiesOf(schema), {
        ingestionRunner: ref('type/entityReference.json'),
        style: ref('type/basic.json#/definitions/style'),
      });
    },
  );
  add(
    contract.overrideMetadata,
    'overrideMetadata',
    'metadataIngestion/messagingServiceMetadataPipeline.json',
    (schema) => {
      propertiesOf(schema).overrideMetadata = { type: 'boolean' };
    },
  );
  add(
    contract.connectionTopicFilterPattern,
    'connectionTopicFilterPattern',
    'entity/services/connections/messaging/kinesisConnection.json',
    (schema) => {
      propertiesOf(schema).topicFilterPattern = ref('type/filterPattern.json#/definitions/filterPattern');
    },
  );
  add(
    contract.connectionSupportsProfiler,
    'supportsProfiler',
    'entity/services/connections/messaging/kinesisConnection.json',
    (schema) => {
      propertiesOf(schema).supportsProfiler = { type: 'boolean' };
    },
  );
  add(contract.awsConfigEnabled, 'awsConfigEnabled', 'security/credentials/awsCredentials.json', (schema) => {
    propertiesOf(schema).enabled = { type: 'boolean' };
  });
  const pipeline = 'entity/services/ingestionPipelines/ingestionPipeline.json';
  const statusPointer = ['definitions', 'pipelineStatus'];
  add(contract.pipelineStatusConfig, 'statusConfig', pipeline, (schema) => {
    propertiesOf(schema, statusPointer).config = { type: 'object' };
  });
  add(contract.pipelineStatusMetadata, 'statusMetadata', pipeline, (schema) => {
    propertiesOf(schema, statusPointer).metadata = { type: 'object' };
  });
  add(contract.pipelineStateStopped, 'stopped', pipeline, (schema) => {
    const state = propertiesOf(schema, statusPointer).pipelineState as { enum: string[] };
    state.enum = [...state.enum, 'stopped'];
  });
  const stepPointer = ['definitions', 'stepSummary'];
  add(contract.stepProgress, 'progress', 'entity/services/ingestionPipelines/status.json', (schema) => {
    propertiesOf(schema, stepPointer).progress = {};
  });
  add(contract.stepTimings, 'timings', 'entity/services/ingestionPipelines/status.json', (schema) => {
    Object.assign(propertiesOf(schema, stepPointer), {
      operationMetrics: {},
      sourceTimeMs: { type: 'number' },
      sinkTimeMs: { type: 'number' },
    });
  });
  return overlays;
}

/** Java's inline flag (?U) (Unicode classes) has no JavaScript spelling; the u flag is close. */
const javaPattern = Object.assign(
  (pattern: string, flags: string) => new RegExp(pattern.replaceAll('(?U)', ''), flags),
  { code: 'javaPattern' },
);

/** A validator per contract (the schemas of one version), compiled on first use. */
const validators = new Map<string, Ajv>();

function ajvFor(contract: ApiContract): Ajv {
  const overlays = overlaysFor(contract);
  const key = overlays.map((overlay) => `${overlay.name} ${overlay.file}`).join('\n');
  let ajv = validators.get(key);
  if (ajv) return ajv;
  ajv = new Ajv({
    allErrors: true,
    // The schemas carry jsonschema2pojo's annotations (javaType, javaInterfaces, ...) beside
    // JSON Schema's keywords: not schema errors.
    strict: false,
    logger: false,
    unicodeRegExp: true,
    code: { regExp: javaPattern },
  });
  // Formats are annotations here (password, uri, utc-millisec, ...), except the UUIDs of references.
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  for (const format of [
    'password',
    'uri',
    'url',
    'URI',
    'int64',
    'timezone',
    'string',
    'date-time',
    'date',
    'time',
    'email',
    'utc-millisec',
    'autoComplete',
  ])
    ajv.addFormat(format, true);
  const edits = new Map<string, Overlay[]>();
  for (const overlay of overlays) edits.set(overlay.file, [...(edits.get(overlay.file) ?? []), overlay]);
  for (const [file, schema] of publishedSchemas()) {
    const own = edits.get(file);
    const copy: Schema = own ? structuredClone(schema) : { ...schema };
    for (const overlay of own ?? []) overlay.edit(copy);
    ajv.addSchema({ ...copy, $id: `${BASE}${file}` });
  }
  validators.set(key, ajv);
  return ajv;
}

/**
 * What `schema` (a path below json/schema/, with an optional #pointer) finds wrong with `value`,
 * each problem named by its path (`at` is the value's own path in the body); empty when valid.
 */
export function publishedSchemaViolations(
  contract: ApiContract,
  schema: string,
  value: unknown,
  at = '',
): string[] {
  const validate: ValidateFunction | undefined = ajvFor(contract).getSchema(`${BASE}${schema}`);
  if (!validate) throw new Error(`no published schema ${schema}`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => describeError(error, at));
}

function describeError(error: ErrorObject, prefix: string): string {
  const path = [prefix, ...error.instancePath.split('/').slice(1)].filter((part) => part !== '').join('.');
  const at = path === '' ? 'body' : path;
  const detail =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
        : '';
  return `${at} ${error.message ?? error.keyword}${detail}`;
}
