/**
 * OpenMetadata API test server: an in-memory HTTP server (node:http) that answers the part of
 * the OpenMetadata 1.3 REST API the Kinesis pipeline uses, the way a real 1.3 server answers it.
 * It is test and local-development infrastructure: the pipeline is tested against it over
 * loopback, and `openmetadata-test-server-main.ts` runs it standalone for local runs.
 *
 * Behaviour reproduced from the 1.3 server (EntityResource, EntityRepository.EntityUpdater,
 * TopicResource/TopicRepository, the createTopic/createMessagingService/topic JSON schemas, the
 * JwtFilter and the Jersey/Dropwizard/Jackson exception mappers):
 * - PUT is create-or-update by fully qualified name: 201 + `X-OpenMetadata-Change: entityCreated`,
 *   200 + `entityUpdated` (version +0.1, changeDescription of that change), or 200 +
 *   `entityNoChange` (nothing stored, version kept; the answer carries an empty changeDescription
 *   whose previousVersion is the current version).
 * - PUT for a soft-deleted entity restores it: the real server runs restoreEntity and then the
 *   updater records `deleted: true -> false`, so the answer is 200 + entityUpdated, deleted
 *   false, and one version bump in total.
 * - The caller is a bot (ingestion-bot) unless told otherwise, and a bot's PUT never overwrites a
 *   non-empty description or displayName: the stored value is kept and no change is recorded.
 * - Bodies are read as Jackson reads them (the first unknown key or wrong JSON type answers 400
 *   with Jackson's message), then validated as Hibernate Validator does (every constraint
 *   violation, `[field message, ...]`). Unparsable JSON is Dropwizard's `Unable to process JSON`.
 * - Routing is Jersey's: unknown path 404 `HTTP 404 Not Found`, known path with another method
 *   405, a path or query parameter that does not convert (a non-UUID id, `limit=abc`,
 *   `include=foo`) 404; the token is checked only once a route matched.
 *
 * Deliberate differences, all in the stricter direction so a client that passes here also
 * passes against a real server:
 * - Jackson coerces scalars ("3" to 3, 3.7 to 3, 5 to "5"); this server refuses them with a
 *   Jackson-shaped message.
 * - owner, tags, domain, dataProducts and extension name entities this server does not hold, so
 *   any non-empty value is answered as a real server answers an unknown one (404 `<type> instance
 *   for <x> not found`, 400 `Unknown custom field <x>`). Connection configs are stored as given.
 * - The line/column inside a Jackson message points at the offending value but may be off by a
 *   character from a real server; compare messages up to ` at [Source`.
 * - `fields=sampleData` is accepted (sampleData is a Topic property) but, as in 1.3, does not load
 *   it: sample data is read with GET /v1/topics/{id}/sampleData.
 * - The 403 check (see `forbiddenPaths`) runs right after the body is validated, before the
 *   entity lookups a real server may do first.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/**
 * Makes matching requests answer 403 as a real server does when the bot's role lacks the
 * permission. A string matches the request path (e.g. `/api/v1/topics`) exactly or as a prefix
 * followed by `/`; a RegExp is tested against `METHOD /path` (e.g. `/^DELETE \/api\/v1\/topics\//`).
 */
export type ForbiddenPathRule = string | RegExp;

/** Who the server believes is calling: the JWT's subject, a bot by default (ingestion-bot). */
export interface OpenMetadataPrincipal {
  name: string;
  isBot: boolean;
}

export interface OpenMetadataTestServerOptions {
  /** Default 0: a free port picked by the OS. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * When set, every call except GET /v1/system/version needs `Authorization: Bearer <token>`;
   * a missing or different token is answered 401 with the real server's message.
   */
  jwtToken?: string;
  /** Reported by GET /v1/system/version. Default '1.3.1'. */
  version?: string;
  /** Requests that answer 403 (see {@link ForbiddenPathRule}). Replaceable at run time. */
  forbiddenPaths?: ForbiddenPathRule[];
  /** Default: taken from the token's `sub`/`isBot` claims, else ingestion-bot (a bot). */
  principal?: OpenMetadataPrincipal;
}

/** Decides, per request, whether to answer an error (status and message) instead of serving it. */
export type FaultInjector = (request: {
  method: string;
  path: string;
  body: unknown;
}) => { status: number; message: string } | undefined;

export interface RecordedRequest {
  method: string;
  /** The raw path, e.g. `/api/v1/topics/name/kinesis_svc.%22orders.v1%22`. */
  path: string;
  /** Query parameters (the first value of a repeated one). */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The status answered; 0 while the request is still being handled. */
  status: number;
  /** Arrival time, ms since the epoch. */
  at: number;
}

export interface EntityReference {
  id: string;
  type: string;
  name?: string;
  fullyQualifiedName?: string;
  description?: string;
  displayName?: string;
  deleted?: boolean;
  href?: string;
}

export interface FieldChange {
  name: string;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface ChangeDescription {
  fieldsAdded: FieldChange[];
  fieldsUpdated: FieldChange[];
  fieldsDeleted: FieldChange[];
  previousVersion: number;
}

export interface TopicSampleData {
  messages: string[];
}

export interface MessagingService {
  id: string;
  name: string;
  fullyQualifiedName: string;
  serviceType: string;
  description?: string;
  displayName?: string;
  connection?: { config?: unknown };
  version: number;
  updatedAt: number;
  updatedBy: string;
  href?: string;
  changeDescription?: ChangeDescription;
  deleted: boolean;
}

export interface Topic {
  id: string;
  name: string;
  fullyQualifiedName: string;
  displayName?: string;
  description?: string;
  version: number;
  updatedAt: number;
  updatedBy: string;
  service: EntityReference;
  serviceType: string;
  messageSchema?: Record<string, unknown>;
  partitions: number;
  cleanupPolicies?: string[];
  retentionTime?: number;
  replicationFactor?: number;
  maximumMessageSize?: number;
  minimumInSyncReplicas?: number;
  retentionSize?: number;
  topicConfig?: Record<string, unknown>;
  /** Only in {@link OpenMetadataTestServer.topics} copies and sampleData answers. */
  sampleData?: TopicSampleData;
  tags?: unknown[];
  href?: string;
  changeDescription?: ChangeDescription;
  deleted: boolean;
  sourceUrl?: string;
  lifeCycle?: Record<string, unknown>;
  sourceHash?: string;
}

export interface OpenMetadataTestServer {
  /** The hostPort to put in the YAML, e.g. `http://127.0.0.1:43123/api`. */
  readonly url: string;
  /** Every request, in arrival order, with the status answered. */
  readonly requests: RecordedRequest[];
  /** All stored topics, soft-deleted ones included, as deep copies (with their sample data). */
  topics(): Topic[];
  /** The stored topic with this FQN, soft-deleted or not. */
  topicByFqn(fqn: string): Topic | undefined;
  messagingServices(): MessagingService[];
  clearRequests(): void;
  setForbiddenPaths(rules: ForbiddenPathRule[]): void;
  /**
   * Makes chosen requests fail as the server would: the injector sees each valid, authorized
   * request (body parsed) and may answer an error instead; undefined clears it.
   */
  setFaultInjector(injector: FaultInjector | undefined): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Errors as the real server writes them: {"code": <status>, "message": <text>}
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const notFoundRoute = (): ApiError => new ApiError(404, 'HTTP 404 Not Found');
const entityNotFound = (entityType: string, key: string): ApiError =>
  new ApiError(404, `${entityType} instance for ${key} not found`);

// ---------------------------------------------------------------------------------------------
// Request body schemas, described the way the generated Java classes see them
// ---------------------------------------------------------------------------------------------

type Spec =
  | { kind: 'string'; required?: boolean; size?: readonly [number, number]; pattern?: string; uuid?: boolean }
  | { kind: 'integer' | 'long' | 'double'; required?: boolean; minimum?: number }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'enum'; required?: boolean; javaType: string; values: readonly string[] }
  | { kind: 'list'; required?: boolean; javaType: string; items: Spec }
  | { kind: 'map'; required?: boolean; javaType: string }
  | { kind: 'any'; required?: boolean }
  | PojoSpec;

interface PojoSpec {
  kind: 'pojo';
  required?: boolean;
  javaType: string;
  props: Record<string, Spec>;
}

const str = (extra: Partial<Extract<Spec, { kind: 'string' }>> = {}): Spec => ({ kind: 'string', ...extra });
const listOf = (items: Spec, itemJavaType: string): Spec => ({
  kind: 'list',
  javaType: `java.util.ArrayList<${itemJavaType}>`,
  items,
});

const ENTITY_NAME_PATTERN = '^((?!::).)*$';
const entityName = (required: boolean): Spec =>
  str({ required, size: [1, 256], pattern: ENTITY_NAME_PATTERN });
const fqnString = (required = false): Spec => str({ required, size: [1, 3072] });

const ENTITY_REFERENCE: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.EntityReference',
  props: {
    id: str({ required: true, uuid: true }),
    type: str({ required: true }),
    name: str(),
    fullyQualifiedName: str(),
    description: str(),
    displayName: str(),
    deleted: { kind: 'boolean' },
    inherited: { kind: 'boolean' },
    href: str(),
  },
};

const TAG_LABEL: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.TagLabel',
  props: {
    tagFQN: str({ required: true }),
    name: str(),
    displayName: str(),
    description: str(),
    style: { kind: 'map', javaType: 'org.openmetadata.schema.entity.type.Style' },
    source: {
      kind: 'enum',
      required: true,
      javaType: 'org.openmetadata.schema.type.TagLabel$TagSource',
      values: ['Classification', 'Glossary'],
    },
    labelType: {
      kind: 'enum',
      required: true,
      javaType: 'org.openmetadata.schema.type.TagLabel$LabelType',
      values: ['Manual', 'Propagated', 'Automated', 'Derived'],
    },
    state: {
      kind: 'enum',
      required: true,
      javaType: 'org.openmetadata.schema.type.TagLabel$State',
      values: ['Suggested', 'Confirmed'],
    },
    href: str(),
  },
};
const TAG_LIST = listOf(TAG_LABEL, TAG_LABEL.javaType);

const SCHEMA_FIELD: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.Field',
  props: {},
};
Object.assign(SCHEMA_FIELD.props, {
  name: str({ required: true, size: [1, 256] }),
  displayName: str(),
  dataType: {
    kind: 'enum',
    required: true,
    javaType: 'org.openmetadata.schema.type.FieldDataType',
    values: [
      'RECORD',
      'NULL',
      'BOOLEAN',
      'INT',
      'LONG',
      'BYTES',
      'FLOAT',
      'DOUBLE',
      'TIMESTAMP',
      'TIMESTAMPZ',
      'TIME',
      'DATE',
      'STRING',
      'ARRAY',
      'MAP',
      'ENUM',
      'UNION',
      'FIXED',
      'ERROR',
      'UNKNOWN',
    ],
  },
  dataTypeDisplay: str(),
  description: str(),
  fullyQualifiedName: str(),
  tags: TAG_LIST,
  children: listOf(SCHEMA_FIELD, SCHEMA_FIELD.javaType),
} satisfies Record<string, Spec>);

const MESSAGE_SCHEMA: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.MessageSchema',
  props: {
    schemaText: str(),
    schemaType: {
      kind: 'enum',
      javaType: 'org.openmetadata.schema.type.SchemaType',
      values: ['Avro', 'Protobuf', 'JSON', 'Other', 'None'],
    },
    schemaFields: listOf(SCHEMA_FIELD, SCHEMA_FIELD.javaType),
  },
};

const ACCESS_DETAILS: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.AccessDetails',
  props: {
    timestamp: { kind: 'long', required: true },
    accessedBy: ENTITY_REFERENCE,
    accessedByAProcess: str(),
  },
};

const LIFE_CYCLE: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.LifeCycle',
  props: { created: ACCESS_DETAILS, updated: ACCESS_DETAILS, accessed: ACCESS_DETAILS },
};

/** CreateTopic as of 1.3 (`additionalProperties: false`). */
const CREATE_TOPIC: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.data.CreateTopic',
  props: {
    name: entityName(true),
    displayName: str(),
    description: str(),
    service: fqnString(true),
    messageSchema: MESSAGE_SCHEMA,
    partitions: { kind: 'integer', required: true, minimum: 1 },
    cleanupPolicies: listOf(
      {
        kind: 'enum',
        javaType: 'org.openmetadata.schema.type.topic.CleanupPolicy',
        values: ['delete', 'compact'],
      },
      'org.openmetadata.schema.type.topic.CleanupPolicy',
    ),
    replicationFactor: { kind: 'integer' },
    retentionTime: { kind: 'double' },
    maximumMessageSize: { kind: 'integer' },
    minimumInSyncReplicas: { kind: 'integer' },
    retentionSize: { kind: 'double' },
    topicConfig: { kind: 'map', javaType: 'org.openmetadata.schema.type.topic.TopicConfig' },
    owner: ENTITY_REFERENCE,
    tags: TAG_LIST,
    extension: { kind: 'any' },
    sourceUrl: str(),
    domain: str(),
    dataProducts: listOf(fqnString(), 'java.lang.String'),
    lifeCycle: LIFE_CYCLE,
    sourceHash: str({ size: [1, 32] }),
  },
};

const MESSAGING_SERVICE_TYPES = ['Kafka', 'Redpanda', 'Kinesis', 'CustomMessaging'] as const;

/** CreateMessagingService as of 1.3 (`additionalProperties: false`). */
const CREATE_MESSAGING_SERVICE: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.services.CreateMessagingService',
  props: {
    name: entityName(true),
    displayName: str(),
    description: str(),
    serviceType: {
      kind: 'enum',
      required: true,
      javaType: 'org.openmetadata.schema.entity.services.MessagingService$MessagingServiceType',
      values: MESSAGING_SERVICE_TYPES,
    },
    connection: {
      kind: 'pojo',
      javaType: 'org.openmetadata.schema.type.MessagingConnection',
      props: { config: { kind: 'map', javaType: 'java.lang.Object' } },
    },
    tags: TAG_LIST,
    owner: ENTITY_REFERENCE,
    domain: str(),
    dataProducts: listOf(fqnString(), 'java.lang.String'),
  },
};

const TOPIC_SAMPLE_DATA: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.topic.TopicSampleData',
  props: { messages: listOf(str(), 'java.lang.String') },
};

const RESTORE_ENTITY: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.data.RestoreEntity',
  props: { id: str({ required: true, uuid: true }) },
};

interface CreateTopicRequest {
  name: string;
  displayName?: string | null;
  description?: string | null;
  service: string;
  messageSchema?: Record<string, unknown> | null;
  partitions: number;
  cleanupPolicies?: string[] | null;
  replicationFactor?: number | null;
  retentionTime?: number | null;
  maximumMessageSize?: number | null;
  minimumInSyncReplicas?: number | null;
  retentionSize?: number | null;
  topicConfig?: Record<string, unknown> | null;
  owner?: { id: string; type: string } | null;
  tags?: Array<{ tagFQN: string; source: string }> | null;
  extension?: unknown;
  sourceUrl?: string | null;
  domain?: string | null;
  dataProducts?: string[] | null;
  lifeCycle?: Record<string, unknown> | null;
  sourceHash?: string | null;
}

interface CreateMessagingServiceRequest {
  name: string;
  displayName?: string | null;
  description?: string | null;
  serviceType: string;
  connection?: { config?: unknown } | null;
  tags?: Array<{ tagFQN: string; source: string }> | null;
  owner?: { id: string; type: string } | null;
  domain?: string | null;
  dataProducts?: string[] | null;
}

// ---------------------------------------------------------------------------------------------
// Reading a body like Jackson, then validating it like Hibernate Validator
// ---------------------------------------------------------------------------------------------

type JsonPath = ReadonlyArray<string | number>;

const JACKSON_SOURCE =
  '(org.glassfish.jersey.message.internal.ReaderInterceptorExecutor$UnCloseableInputStream)';
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INT_RANGE: Record<'integer' | 'long', readonly [number, number]> = {
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

class JacksonProblem extends Error {
  constructor(
    message: string,
    readonly path: JsonPath,
    readonly chain: readonly string[],
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Jackson's name for the JSON shape of a value, and its token. */
function jsonShape(value: unknown): { shape: string; token: string } {
  if (Array.isArray(value)) return { shape: 'Array', token: 'START_ARRAY' };
  if (value === null) return { shape: 'Null', token: 'VALUE_NULL' };
  switch (typeof value) {
    case 'object':
      return { shape: 'Object', token: 'START_OBJECT' };
    case 'string':
      return { shape: 'String', token: 'VALUE_STRING' };
    case 'number':
      return Number.isInteger(value)
        ? { shape: 'Integer', token: 'VALUE_NUMBER_INT' }
        : { shape: 'Floating-point', token: 'VALUE_NUMBER_FLOAT' };
    case 'boolean':
      return { shape: 'Boolean', token: value ? 'VALUE_TRUE' : 'VALUE_FALSE' };
    default:
      return { shape: 'Unknown', token: 'NOT_AVAILABLE' };
  }
}

function cannotDeserialize(javaType: string, value: unknown): string {
  if (typeof value === 'string' && !javaType.startsWith('java.util.')) {
    return `Cannot deserialize value of type \`${javaType}\` from String ${JSON.stringify(value)}: not a valid \`${javaType}\` value`;
  }
  const { shape, token } = jsonShape(value);
  return `Cannot deserialize value of type \`${javaType}\` from ${shape} value (token \`JsonToken.${token}\`)`;
}

function cannotConstructPojo(javaType: string, value: unknown): string {
  const prefix = `Cannot construct instance of \`${javaType}\` (although at least one Creator exists): no`;
  if (typeof value === 'string') {
    return `${prefix} String-argument constructor/factory method to deserialize from String value ('${value}')`;
  }
  if (typeof value === 'number') {
    const kind = Number.isInteger(value) ? 'int/Int' : 'double/Double';
    return `${prefix} ${kind}-argument constructor/factory method to deserialize from Number value (${value})`;
  }
  if (typeof value === 'boolean') {
    return `${prefix} boolean/Boolean-argument constructor/factory method to deserialize from Boolean value (${value})`;
  }
  return cannotDeserialize(javaType, value);
}

/** Fails like Jackson on the first unknown property or wrong JSON type, in document order. */
function readLikeJackson(spec: Spec, value: unknown, path: JsonPath, chain: readonly string[]): void {
  if (value === null || value === undefined) return;
  const fail = (message: string): never => {
    throw new JacksonProblem(message, path, chain);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail(cannotDeserialize('java.lang.String', value));
      if (spec.uuid && !UUID_PATTERN.test(value as string)) {
        fail(
          `Cannot deserialize value of type \`java.util.UUID\` from String ${JSON.stringify(value)}: UUID has to be represented by standard 36-char representation`,
        );
      }
      return;
    case 'integer':
    case 'long': {
      const javaType = spec.kind === 'integer' ? 'java.lang.Integer' : 'java.lang.Long';
      if (typeof value !== 'number') return fail(cannotDeserialize(javaType, value));
      if (!Number.isInteger(value))
        fail(`Cannot coerce Floating-point value (${value}) to \`${javaType}\` value`);
      const [min, max] = INT_RANGE[spec.kind];
      if (value < min || value > max) {
        fail(
          `Numeric value (${value}) out of range of ${spec.kind === 'integer' ? 'int' : 'long'} (${min} - ${max})`,
        );
      }
      return;
    }
    case 'double':
      if (typeof value !== 'number') fail(cannotDeserialize('java.lang.Double', value));
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(cannotDeserialize('java.lang.Boolean', value));
      return;
    case 'enum':
      if (typeof value !== 'string') return fail(cannotDeserialize(spec.javaType, value));
      if (!spec.values.includes(value)) {
        fail(`Cannot construct instance of \`${spec.javaType}\`, problem: ${value}`);
      }
      return;
    case 'map':
      if (!isObject(value)) fail(cannotConstructPojo(spec.javaType, value));
      return;
    case 'any':
      return;
    case 'list':
      if (!Array.isArray(value)) return fail(cannotDeserialize(spec.javaType, value));
      value.forEach((item: unknown, index) => {
        const itemPath = [...path, index];
        const itemChain = [...chain, `java.util.ArrayList[${index}]`];
        // Stricter than Jackson, which keeps a null element: a null is not a message or a tag.
        if (item === null) {
          throw new JacksonProblem(
            cannotDeserialize(spec.items.kind === 'pojo' ? spec.items.javaType : 'java.lang.String', null),
            itemPath,
            itemChain,
          );
        }
        readLikeJackson(spec.items, item, itemPath, itemChain);
      });
      return;
    case 'pojo': {
      if (!isObject(value)) return fail(cannotConstructPojo(spec.javaType, value));
      for (const [key, propValue] of Object.entries(value)) {
        const propChain = [...chain, `${spec.javaType}["${key}"]`];
        const propSpec = spec.props[key];
        if (propSpec === undefined) {
          const known = Object.keys(spec.props);
          throw new JacksonProblem(
            `Unrecognized field "${key}" (class ${spec.javaType}), not marked as ignorable (${known.length} known properties: ${known.map((name) => `"${name}"`).join(', ')}])`,
            [...path, key],
            propChain,
          );
        }
        readLikeJackson(propSpec, propValue, [...path, key], propChain);
      }
      return;
    }
  }
}

/** Hibernate Validator's messages for the constraints jsonschema2pojo generates. */
function collectViolations(spec: PojoSpec, value: Record<string, unknown>, violations: string[]): void {
  for (const [name, propSpec] of Object.entries(spec.props)) {
    const propValue = value[name];
    if (propValue === null || propValue === undefined) {
      if (propSpec.required) violations.push(`${name} must not be null`);
      continue;
    }
    switch (propSpec.kind) {
      case 'string': {
        const text = propValue as string;
        if (propSpec.size && (text.length < propSpec.size[0] || text.length > propSpec.size[1])) {
          violations.push(`${name} size must be between ${propSpec.size[0]} and ${propSpec.size[1]}`);
        }
        if (propSpec.pattern !== undefined && !new RegExp(propSpec.pattern).test(text)) {
          violations.push(`${name} must match "${propSpec.pattern}"`);
        }
        break;
      }
      case 'integer':
      case 'long':
      case 'double':
        if (propSpec.minimum !== undefined && (propValue as number) < propSpec.minimum) {
          violations.push(`${name} must be greater than or equal to ${propSpec.minimum}`);
        }
        break;
      case 'pojo':
        collectViolations(propSpec, propValue as Record<string, unknown>, violations);
        break;
      case 'list':
        if (propSpec.items.kind === 'pojo') {
          for (const item of propValue as Record<string, unknown>[]) {
            collectViolations(propSpec.items, item, violations);
          }
        }
        break;
      default:
        break;
    }
  }
}

/** Where the value at `target` starts in `text` (valid JSON), as a character offset. */
function offsetOfJsonValue(text: string, target: JsonPath): number | undefined {
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const skipString = (): void => {
    i += 1;
    while (i < text.length && text.charAt(i) !== '"') i += text.charAt(i) === '\\' ? 2 : 1;
    i += 1;
  };
  const isTarget = (path: JsonPath): boolean =>
    path.length === target.length && path.every((part, index) => part === target[index]);
  const scan = (path: JsonPath): number | undefined => {
    skipWhitespace();
    if (isTarget(path)) return i;
    const opening = text.charAt(i);
    if (opening === '{' || opening === '[') {
      const closing = opening === '{' ? '}' : ']';
      i += 1;
      skipWhitespace();
      if (text.charAt(i) === closing) {
        i += 1;
        return undefined;
      }
      for (let index = 0; ; index += 1) {
        let key: string | number = index;
        if (opening === '{') {
          skipWhitespace();
          const keyStart = i;
          skipString();
          key = JSON.parse(text.slice(keyStart, i)) as string;
          skipWhitespace();
          i += 1; // the colon
        }
        const found = scan([...path, key]);
        if (found !== undefined) return found;
        skipWhitespace();
        const separator = text.charAt(i);
        i += 1;
        if (separator !== ',') return undefined;
      }
    }
    if (opening === '"') skipString();
    else while (i < text.length && !',]} \t\n\r'.includes(text.charAt(i))) i += 1;
    return undefined;
  };
  return scan([]);
}

function jacksonMessage(problem: JacksonProblem, rawBody: string): string {
  // Jackson reports where its parser stood: just past the first character of the value.
  const offset = (offsetOfJsonValue(rawBody, problem.path) ?? 0) + 1;
  const before = rawBody.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const chain = problem.chain.length > 0 ? ` (through reference chain: ${problem.chain.join('->')})` : '';
  return `${problem.message}\n at [Source: ${JACKSON_SOURCE}; line: ${line}, column: ${column}]${chain}`;
}

/** Parses and validates a request body against `spec`, answering 400 as the real server does. */
function readBody(spec: PojoSpec, rawBody: string): unknown {
  let value: unknown;
  try {
    value = rawBody.trim() === '' ? null : JSON.parse(rawBody);
  } catch {
    throw new ApiError(400, 'Unable to process JSON');
  }
  // Jersey hands a null entity to the resource, which then fails; no client sends one on purpose.
  if (value === null) throw new ApiError(400, 'Unable to process JSON');
  try {
    readLikeJackson(spec, value, [], []);
  } catch (error) {
    if (error instanceof JacksonProblem) throw new ApiError(400, jacksonMessage(error, rawBody));
    throw error;
  }
  const violations: string[] = [];
  collectViolations(spec, value as Record<string, unknown>, violations);
  if (violations.length > 0) throw new ApiError(400, `[${violations.join(', ')}]`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Fully qualified names
// ---------------------------------------------------------------------------------------------

/** A name as an FQN part: quoted when it contains a dot; a stray double quote makes it invalid. */
function quoteName(name: string): string {
  const quoted = /^"([^"]+)"$/.exec(name);
  if (quoted) {
    const inner = quoted[1] ?? '';
    return inner.includes('.') ? name : inner;
  }
  if (name.includes('"')) throw new ApiError(400, `Invalid name ${name}`);
  return name.includes('.') ? `"${name}"` : name;
}

// ---------------------------------------------------------------------------------------------
// Change tracking (EntityRepository.EntityUpdater)
// ---------------------------------------------------------------------------------------------

const nextVersion = (version: number): number => Math.round((version + 0.1) * 10) / 10;
const nextMajorVersion = (version: number): number => Math.round((Math.floor(version) + 1) * 10) / 10;

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/** A deep copy without undefined-valued keys (everything stored is plain JSON). */
const deepCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const isEmptyText = (text: string | undefined): boolean => text === undefined || text === '';

class ChangeRecorder {
  readonly added: FieldChange[] = [];
  readonly updated: FieldChange[] = [];
  readonly deleted: FieldChange[] = [];
  majorVersionChange = false;

  /** Records one field; null and absent are the same. True when it changed. */
  record(name: string, original: unknown, updated: unknown): boolean {
    const before = original ?? null;
    const after = updated ?? null;
    if (before === null && after === null) return false;
    if (before === null) this.added.push({ name, newValue: after });
    else if (after === null) this.deleted.push({ name, oldValue: before });
    else if (!deepEqual(before, after)) this.updated.push({ name, oldValue: before, newValue: after });
    else return false;
    return true;
  }

  /** Records a list field item by item; values are JSON text as the real server writes them. */
  recordList<T>(
    name: string,
    original: readonly T[] | undefined,
    updated: readonly T[] | undefined,
    sameItem: (a: T, b: T) => boolean,
  ): { added: T[]; deleted: T[] } {
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
    return { added, deleted };
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

// ---------------------------------------------------------------------------------------------
// State and entity operations
// ---------------------------------------------------------------------------------------------

/** A topic as stored: the service is a relationship, resolved when the topic is read. */
type StoredTopic = Omit<Topic, 'service' | 'serviceType' | 'href' | 'sampleData'> & { serviceId: string };
type StoredService = Omit<MessagingService, 'href'>;

type Include = 'non-deleted' | 'deleted' | 'all';

const includes = (include: Include, deleted: boolean): boolean =>
  include === 'all' || (include === 'deleted') === deleted;

const nonNull = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

const TOPIC_KEYS = [
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

const SERVICE_KEYS = [
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

function orderKeys(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] !== undefined && source[key] !== null) ordered[key] = source[key];
  }
  return ordered;
}

function parseFields(fieldsParam: string | undefined, allowed: readonly string[]): Set<string> {
  if (fieldsParam === undefined || fieldsParam.trim() === '') return new Set();
  const requested = fieldsParam.replaceAll(' ', '').split(',');
  if (requested.includes('*')) return new Set(allowed);
  for (const field of requested) {
    if (!allowed.includes(field)) throw new ApiError(400, `Invalid field name ${field}`);
  }
  return new Set(requested);
}

class OpenMetadataState {
  readonly services = new Map<string, StoredService>();
  readonly topics = new Map<string, StoredTopic>();
  readonly sampleData = new Map<string, TopicSampleData>();

  serviceByFqn(fqn: string): StoredService | undefined {
    return [...this.services.values()].find((service) => service.fullyQualifiedName === fqn);
  }

  topicByFqn(fqn: string): StoredTopic | undefined {
    return [...this.topics.values()].find((topic) => topic.fullyQualifiedName === fqn);
  }

  serviceReference(serviceId: string): EntityReference {
    const service = this.services.get(serviceId);
    if (service === undefined) throw new Error(`Stored topic refers to missing service ${serviceId}`);
    return orderKeys(
      {
        id: service.id,
        type: 'messagingService',
        name: service.name,
        fullyQualifiedName: service.fullyQualifiedName,
        description: service.description,
        displayName: service.displayName,
        deleted: service.deleted,
      },
      ['id', 'type', 'name', 'fullyQualifiedName', 'description', 'displayName', 'deleted'],
    ) as unknown as EntityReference;
  }

  /** The topic as the API shows it (no href, no relationship fields). */
  materializeTopic(stored: StoredTopic): Topic {
    const { serviceId, ...rest } = deepCopy(stored);
    const service = this.services.get(serviceId);
    return { ...rest, service: this.serviceReference(serviceId), serviceType: service?.serviceType ?? '' };
  }
}

interface EntityView {
  baseUrl: string;
  fields: ReadonlySet<string>;
}

function renderTopic(
  state: OpenMetadataState,
  stored: StoredTopic,
  view: EntityView,
  extra: object = {},
): object {
  const topic: Record<string, unknown> = { ...state.materializeTopic(stored), ...extra };
  const service = topic.service as EntityReference;
  topic.service = { ...service, href: `${view.baseUrl}/v1/services/messagingServices/${service.id}` };
  topic.href = `${view.baseUrl}/v1/topics/${stored.id}`;
  for (const field of view.fields) {
    const empty = RELATIONSHIP_DEFAULTS[field];
    if (empty !== undefined && topic[field] === undefined) topic[field] = empty();
  }
  return orderKeys(topic, TOPIC_KEYS);
}

function renderService(stored: StoredService, view: EntityView, extra: object = {}): object {
  const service: Record<string, unknown> = { ...deepCopy(stored), ...extra };
  service.href = `${view.baseUrl}/v1/services/messagingServices/${stored.id}`;
  for (const field of view.fields) {
    const empty = RELATIONSHIP_DEFAULTS[field];
    if (empty !== undefined && service[field] === undefined) service[field] = empty();
  }
  return orderKeys(service, SERVICE_KEYS);
}

/** References to entities this server does not hold, checked in the real server's order. */
function rejectUnknownOwnerDomainProducts(request: {
  owner?: { id: string; type: string } | null;
  domain?: string | null;
  dataProducts?: string[] | null;
}): void {
  const { owner } = request;
  if (owner) {
    if (owner.type !== 'user' && owner.type !== 'team') {
      throw new ApiError(
        400,
        `Entity of type ${owner.type} can't be the owner. Only Team of type Group or a User can own entities.`,
      );
    }
    throw entityNotFound(owner.type, owner.id);
  }
  if (request.domain) throw entityNotFound('domain', request.domain);
  const [dataProduct] = request.dataProducts ?? [];
  if (dataProduct !== undefined) throw entityNotFound('dataProduct', dataProduct);
}

function rejectUnknownTagsAndExtension(request: {
  tags?: Array<{ tagFQN: string; source: string }> | null;
  extension?: unknown;
}): void {
  const [tag] = request.tags ?? [];
  if (tag !== undefined) {
    throw entityNotFound(tag.source === 'Glossary' ? 'glossaryTerm' : 'tag', tag.tagFQN);
  }
  if (isObject(request.extension)) {
    const [field] = Object.keys(request.extension);
    if (field !== undefined) throw new ApiError(400, `Unknown custom field ${field}`);
  }
}

/** Gives each message schema field its FQN (`<topic FQN>.<field>`), recursively. */
function withFieldFqns(fields: unknown, parentFqn: string): unknown {
  if (!Array.isArray(fields)) return fields;
  return fields.map((field: unknown) => {
    if (!isObject(field)) return field;
    const fqn = `${parentFqn}.${quoteName(String(field.name))}`;
    return { ...field, fullyQualifiedName: fqn, children: withFieldFqns(field.children, fqn) };
  });
}

/** The Topic fields a CreateTopic sets (TopicResource.getTopic). */
function topicContent(request: CreateTopicRequest, fqn: string): Partial<StoredTopic> {
  const messageSchema = nonNull(request.messageSchema);
  return {
    displayName: nonNull(request.displayName),
    description: nonNull(request.description),
    messageSchema: messageSchema && {
      ...messageSchema,
      schemaFields: withFieldFqns(messageSchema.schemaFields, fqn),
    },
    partitions: request.partitions,
    cleanupPolicies: nonNull(request.cleanupPolicies),
    replicationFactor: nonNull(request.replicationFactor),
    retentionTime: nonNull(request.retentionTime),
    maximumMessageSize: nonNull(request.maximumMessageSize),
    minimumInSyncReplicas: nonNull(request.minimumInSyncReplicas),
    // The schema default (-1) applies only when the key is absent, as with Jackson.
    retentionSize: 'retentionSize' in request ? nonNull(request.retentionSize) : -1,
    topicConfig: nonNull(request.topicConfig),
    sourceUrl: nonNull(request.sourceUrl),
    lifeCycle: nonNull(request.lifeCycle),
    sourceHash: nonNull(request.sourceHash),
    tags: nonNull(request.tags),
  };
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
function recordTopicChanges(recorder: ChangeRecorder, original: StoredTopic, updated: StoredTopic): void {
  if (updated.lifeCycle === undefined) updated.lifeCycle = original.lifeCycle;
  else recorder.record('lifeCycle', original.lifeCycle, updated.lifeCycle);
  for (const field of TOPIC_SCALAR_FIELDS) recorder.record(field, original[field], updated[field]);
  // A PUT without messageSchema leaves the schema out of the comparison (as the real updater does).
  if (updated.messageSchema !== undefined) {
    const before = original.messageSchema;
    const after = updated.messageSchema;
    recorder.record('messageSchema.schemaText', before?.schemaText, after.schemaText);
    recorder.record('messageSchema.schemaType', before?.schemaType, after.schemaType);
    const { deleted } = recorder.recordList(
      'messageSchema.schemaFields',
      before?.schemaFields as SchemaField[] | undefined,
      after.schemaFields as SchemaField[] | undefined,
      (a, b) => a.name === b.name && a.dataType === b.dataType,
    );
    recorder.majorVersionChange ||= deleted.length > 0;
  }
  recorder.record('topicConfig', original.topicConfig, updated.topicConfig);
  recorder.recordList(
    'cleanupPolicies',
    original.cleanupPolicies,
    updated.cleanupPolicies,
    (a, b) => a === b,
  );
  recorder.record('sourceUrl', original.sourceUrl, updated.sourceUrl);
  recorder.record('sourceHash', original.sourceHash, updated.sourceHash);
}

interface UpdateOutcome<T> {
  /** What the answer shows: the updated entity, or (no change) the request applied but not stored. */
  entity: T;
  changed: boolean;
}

/** EntityRepository.update: restore if soft-deleted, record changes, store only when changed. */
function applyUpdate<T extends StoredTopic | StoredService>(
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
function setDeleted<T extends StoredTopic | StoredService>(
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

// ---------------------------------------------------------------------------------------------
// Paging (cursor = base64url of the last item's {name, id}; order by name, then id)
// ---------------------------------------------------------------------------------------------

interface Pageable {
  name: string;
  id: string;
}

const compareByNameThenId = (a: Pageable, b: Pageable): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const encodeCursor = (item: Pageable): string =>
  Buffer.from(JSON.stringify({ name: item.name, id: item.id })).toString('base64url');

function decodeCursor(cursor: string): Pageable {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isObject(decoded) && typeof decoded.name === 'string' && typeof decoded.id === 'string') {
      return { name: decoded.name, id: decoded.id };
    }
  } catch {
    // answered below
  }
  throw new ApiError(400, `Invalid cursor ${cursor}`);
}

interface PageQuery {
  limit: number;
  before?: string;
  after?: string;
}

function readPageQuery(query: Record<string, string>): PageQuery {
  const raw = query.limit;
  let limit = 10;
  if (raw !== undefined && raw !== '') {
    // Jersey answers a query parameter it cannot convert with 404.
    if (!/^[+-]?\d+$/.test(raw)) throw notFoundRoute();
    limit = Number(raw);
    if (!Number.isSafeInteger(limit) || limit > 2147483647 || limit < -2147483648) throw notFoundRoute();
  }
  if (limit < 0) throw new ApiError(400, '[query param limit must be greater than or equal to 0]');
  if (limit > 1000000) throw new ApiError(400, '[query param limit must be less than or equal to 1000000]');
  if (query.before !== undefined && query.after !== undefined) {
    throw new ApiError(400, 'Only one of before or after query parameter allowed');
  }
  return { limit, before: query.before, after: query.after };
}

function paginate<T extends Pageable>(
  items: T[],
  page: PageQuery,
): { data: T[]; paging: { before?: string; after?: string; total: number } } {
  const sorted = [...items].sort(compareByNameThenId);
  const total = sorted.length;
  if (page.limit === 0) return { data: [], paging: { total } };
  if (page.before !== undefined) {
    const cursor = decodeCursor(page.before);
    const earlier = sorted.filter((item) => compareByNameThenId(item, cursor) < 0);
    const data = earlier.slice(-page.limit);
    const first = data[0];
    const last = data[data.length - 1];
    return {
      data,
      paging: {
        before: earlier.length > page.limit && first ? encodeCursor(first) : undefined,
        after: last && encodeCursor(last),
        total,
      },
    };
  }
  const cursor = page.after === undefined ? undefined : decodeCursor(page.after);
  const later = cursor ? sorted.filter((item) => compareByNameThenId(item, cursor) > 0) : sorted;
  const data = later.slice(0, page.limit);
  const first = data[0];
  const last = data[data.length - 1];
  return {
    data,
    paging: {
      before: cursor && first ? encodeCursor(first) : undefined,
      after: later.length > page.limit && last ? encodeCursor(last) : undefined,
      total,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Authentication (JwtFilter)
// ---------------------------------------------------------------------------------------------

function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, payload] = parts
      .slice(0, 2)
      .map((part): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return isObject(header) && isObject(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

const BEARER = 'Bearer';

/** The 401 message the real server gives for this Authorization header, or undefined when valid. */
function authenticationFailure(header: string | undefined, expectedToken: string): string | undefined {
  const notPresent = 'Not Authorized! Token not present';
  if (header === undefined || header === '' || !header.startsWith(BEARER)) return notPresent;
  if (header.length <= BEARER.length + 1) return notPresent;
  const token = header.slice(BEARER.length + 1);
  if (token === expectedToken) return undefined;
  const payload = decodeJwtPayload(token);
  if (payload === undefined) return 'Not Authorized! Unable to decode the token.';
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return 'Expired token!';
  // A well-formed JWT that is not the server's token: its signature does not verify.
  return (
    'Not Authorized! Token verification failed. Public key mismatch. due to ' +
    "com.auth0.jwt.exceptions.SignatureVerificationException: The Token's Signature resulted invalid " +
    'when verified using the Algorithm: SHA256withRSA'
  );
}

function principalFromToken(token: string | undefined): OpenMetadataPrincipal {
  const payload = token === undefined ? undefined : decodeJwtPayload(token);
  const subject = payload?.sub ?? payload?.email;
  if (typeof subject !== 'string' || subject === '') return { name: 'ingestion-bot', isBot: true };
  return { name: subject.split('@')[0] ?? subject, isBot: payload?.isBot === true };
}

// ---------------------------------------------------------------------------------------------
// Routing (Jersey: the template with the most literal characters wins, then the method)
// ---------------------------------------------------------------------------------------------

interface RequestContext {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The body, read and validated against the route's `body` schema. */
  body: unknown;
  baseUrl: string;
  principal: OpenMetadataPrincipal;
}

interface Reply {
  status: number;
  body: unknown;
  change?: string;
}

interface Route {
  method: string;
  template: string;
  /** The MetadataOperation named in a 403 answer. */
  operation: string;
  /** Readable without a token (JwtFilter's excluded endpoints). */
  public?: boolean;
  /** The JSON body the route consumes. */
  body?: PojoSpec;
  handle(context: RequestContext): Reply;
}

interface CompiledTemplate {
  template: string;
  segments: string[];
  literalChars: number;
  routes: Route[];
}

function compileRoutes(routes: Route[]): CompiledTemplate[] {
  const byTemplate = new Map<string, CompiledTemplate>();
  for (const route of routes) {
    let compiled = byTemplate.get(route.template);
    if (compiled === undefined) {
      const segments = route.template.split('/');
      const literalChars = segments.filter((segment) => !segment.startsWith('{')).join('/').length;
      compiled = { template: route.template, segments, literalChars, routes: [] };
      byTemplate.set(route.template, compiled);
    }
    compiled.routes.push(route);
  }
  return [...byTemplate.values()].sort((a, b) => b.literalChars - a.literalChars);
}

function matchTemplate(
  compiled: CompiledTemplate,
  rawSegments: string[],
): Record<string, string> | undefined {
  if (compiled.segments.length !== rawSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    const raw = rawSegments[index] ?? '';
    if (segment.startsWith('{')) {
      if (raw === '') return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    } else if (segment !== raw) {
      return undefined;
    }
  }
  return params;
}

function uuidParam(value: string | undefined): string {
  // Jersey answers a path parameter that is not a UUID with 404.
  if (value === undefined || !UUID_PATTERN.test(value)) throw notFoundRoute();
  return value.toLowerCase();
}

function includeParam(query: Record<string, string>): Include {
  const include = query.include ?? 'non-deleted';
  if (include !== 'non-deleted' && include !== 'deleted' && include !== 'all') throw notFoundRoute();
  return include;
}

const booleanParam = (value: string | undefined): boolean => value?.toLowerCase() === 'true';

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

const TOPIC_FIELDS = [...TOPIC_KEYS];
const SERVICE_FIELDS = [...SERVICE_KEYS];
/** The git revision reported by the version endpoint (a fixed, recognisable value). */
const REVISION = 'e1c9a0b7f3d24c6a8b5e0f1d2c3b4a5968778695';

function createRoutes(state: OpenMetadataState, version: string): Route[] {
  const view = (context: RequestContext, allowed: readonly string[]): EntityView => ({
    baseUrl: context.baseUrl,
    fields: parseFields(context.query.fields, allowed),
  });

  const findService = (id: string, include: Include): StoredService => {
    const service = state.services.get(id);
    if (service === undefined || !includes(include, service.deleted))
      throw entityNotFound('messagingService', id);
    return service;
  };
  const findServiceByFqn = (fqn: string, include: Include): StoredService => {
    const service = state.serviceByFqn(fqn);
    if (service === undefined || !includes(include, service.deleted))
      throw entityNotFound('messagingService', fqn);
    return service;
  };
  const findTopic = (id: string, include: Include): StoredTopic => {
    const topic = state.topics.get(id);
    if (topic === undefined || !includes(include, topic.deleted)) throw entityNotFound('topic', id);
    return topic;
  };
  const findTopicByFqn = (fqn: string, include: Include): StoredTopic => {
    const topic = state.topicByFqn(fqn);
    if (topic === undefined || !includes(include, topic.deleted)) throw entityNotFound('topic', fqn);
    return topic;
  };

  /** restoreEntity restores the soft-deleted children first. */
  const restoreChildTopics = (serviceId: string, principal: OpenMetadataPrincipal): void => {
    for (const topic of state.topics.values()) {
      if (topic.serviceId === serviceId && topic.deleted)
        state.topics.set(topic.id, setDeleted(topic, false, principal));
    }
  };

  const prepareTopic = (
    context: RequestContext,
  ): { request: CreateTopicRequest; service: StoredService; fqn: string } => {
    const request = context.body as CreateTopicRequest;
    rejectUnknownOwnerDomainProducts(request);
    const service = findServiceByFqn(request.service, 'non-deleted');
    rejectUnknownTagsAndExtension(request);
    return { request, service, fqn: `${service.fullyQualifiedName}.${quoteName(request.name)}` };
  };

  const createTopic = (
    context: RequestContext,
    request: CreateTopicRequest,
    service: StoredService,
    fqn: string,
  ) => {
    const now = Date.now();
    const topic: StoredTopic = {
      id: randomUUID(),
      name: request.name,
      fullyQualifiedName: fqn,
      ...topicContent(request, fqn),
      partitions: request.partitions,
      version: 0.1,
      updatedAt: now,
      updatedBy: context.principal.name,
      serviceId: service.id,
      deleted: false,
    };
    const { tags, ...stored } = topic;
    state.topics.set(topic.id, stored);
    // The create answer echoes the request's tags; reads show them only with fields=tags.
    return renderTopic(state, stored, { baseUrl: context.baseUrl, fields: new Set() }, tags ? { tags } : {});
  };

  const prepareService = (
    context: RequestContext,
  ): { request: CreateMessagingServiceRequest; fqn: string } => {
    const request = context.body as CreateMessagingServiceRequest;
    rejectUnknownOwnerDomainProducts(request);
    rejectUnknownTagsAndExtension(request);
    return { request, fqn: quoteName(request.name) };
  };

  const createService = (context: RequestContext, request: CreateMessagingServiceRequest, fqn: string) => {
    const service: StoredService = {
      id: randomUUID(),
      name: request.name,
      fullyQualifiedName: fqn,
      serviceType: request.serviceType,
      description: nonNull(request.description),
      displayName: nonNull(request.displayName),
      connection: nonNull(request.connection),
      version: 0.1,
      updatedAt: Date.now(),
      updatedBy: context.principal.name,
      deleted: false,
    };
    state.services.set(service.id, service);
    return renderService(service, { baseUrl: context.baseUrl, fields: new Set() });
  };

  const deleteTopic = (context: RequestContext, topic: StoredTopic): Reply => {
    const allFields = {
      baseUrl: context.baseUrl,
      fields: new Set(['followers', 'tags', 'votes', 'dataProducts']),
    };
    if (booleanParam(context.query.hardDelete)) {
      const body = renderTopic(state, topic, allFields);
      state.topics.delete(topic.id);
      state.sampleData.delete(topic.id);
      return { status: 200, body, change: 'entityDeleted' };
    }
    const deleted = setDeleted(topic, true, context.principal);
    if (!topic.deleted) state.topics.set(deleted.id, deleted);
    return { status: 200, body: renderTopic(state, deleted, allFields), change: 'entitySoftDeleted' };
  };

  const listTopics = (context: RequestContext): Reply => {
    const include = includeParam(context.query);
    const page = readPageQuery(context.query);
    const entityView = view(context, TOPIC_FIELDS);
    const serviceFqn = context.query.service;
    const matching = [...state.topics.values()].filter(
      (topic) =>
        includes(include, topic.deleted) &&
        (serviceFqn === undefined || state.services.get(topic.serviceId)?.fullyQualifiedName === serviceFqn),
    );
    const { data, paging } = paginate(matching, page);
    return {
      status: 200,
      body: {
        data: data.map((topic) => renderTopic(state, topic, entityView)),
        paging: orderKeys(paging, ['before', 'after', 'total']),
      },
    };
  };

  return [
    {
      method: 'GET',
      template: 'v1/system/version',
      operation: 'ViewBasic',
      public: true,
      handle: () => ({ status: 200, body: { version, revision: REVISION, timestamp: Date.now() } }),
    },

    // Messaging services
    {
      method: 'GET',
      template: 'v1/services/messagingServices',
      operation: 'ViewBasic',
      handle: (context) => {
        const include = includeParam(context.query);
        const page = readPageQuery(context.query);
        const entityView = view(context, SERVICE_FIELDS);
        const matching = [...state.services.values()].filter((service) => includes(include, service.deleted));
        const { data, paging } = paginate(matching, page);
        return {
          status: 200,
          body: {
            data: data.map((service) => renderService(service, entityView)),
            paging: orderKeys(paging, ['before', 'after', 'total']),
          },
        };
      },
    },
    {
      method: 'GET',
      template: 'v1/services/messagingServices/{id}',
      operation: 'ViewBasic',
      handle: (context) => {
        const service = findService(uuidParam(context.params.id), includeParam(context.query));
        return { status: 200, body: renderService(service, view(context, SERVICE_FIELDS)) };
      },
    },
    {
      method: 'GET',
      template: 'v1/services/messagingServices/name/{fqn}',
      operation: 'ViewBasic',
      handle: (context) => {
        const service = findServiceByFqn(context.params.fqn ?? '', includeParam(context.query));
        return { status: 200, body: renderService(service, view(context, SERVICE_FIELDS)) };
      },
    },
    {
      method: 'POST',
      template: 'v1/services/messagingServices',
      operation: 'Create',
      body: CREATE_MESSAGING_SERVICE,
      handle: (context) => {
        const { request, fqn } = prepareService(context);
        if (state.serviceByFqn(fqn) !== undefined) throw new ApiError(409, 'Entity already exists');
        return { status: 201, body: createService(context, request, fqn) };
      },
    },
    {
      method: 'PUT',
      template: 'v1/services/messagingServices',
      operation: 'EditAll',
      body: CREATE_MESSAGING_SERVICE,
      handle: (context) => {
        const { request, fqn } = prepareService(context);
        const original = state.serviceByFqn(fqn);
        if (original === undefined) {
          return { status: 201, body: createService(context, request, fqn), change: 'entityCreated' };
        }
        const updated: StoredService = {
          ...deepCopy(original),
          description: nonNull(request.description),
          displayName: nonNull(request.displayName),
          connection: nonNull(request.connection),
          updatedAt: Date.now(),
          updatedBy: context.principal.name,
        };
        if (original.deleted) restoreChildTopics(original.id, context.principal);
        const outcome = applyUpdate(original, updated, context.principal, (recorder) => {
          // Connection secrets never enter the change log (ServiceEntityRepository.updateConnection).
          if (!deepEqual(original.connection ?? null, updated.connection ?? null)) {
            recorder.updated.push({
              name: 'connection',
              oldValue: '"old-encrypted-value"',
              newValue: '"new-encrypted-value"',
            });
          }
        });
        if (outcome.changed) state.services.set(original.id, outcome.entity);
        return {
          status: 200,
          body: renderService(outcome.entity, { baseUrl: context.baseUrl, fields: new Set() }),
          change: outcome.changed ? 'entityUpdated' : 'entityNoChange',
        };
      },
    },
    {
      method: 'DELETE',
      template: 'v1/services/messagingServices/{id}',
      operation: 'Delete',
      handle: (context) => {
        const service = findService(uuidParam(context.params.id), 'all');
        const children = [...state.topics.values()].filter((topic) => topic.serviceId === service.id);
        const recursive = booleanParam(context.query.recursive);
        const hardDelete = booleanParam(context.query.hardDelete);
        if (children.length > 0 && !recursive) throw new ApiError(400, 'messagingService is not empty');
        const entityView = {
          baseUrl: context.baseUrl,
          fields: new Set(['pipelines', 'tags', 'dataProducts']),
        };
        if (hardDelete) {
          const body = renderService(service, entityView);
          for (const topic of children) {
            state.topics.delete(topic.id);
            state.sampleData.delete(topic.id);
          }
          state.services.delete(service.id);
          return { status: 200, body, change: 'entityDeleted' };
        }
        for (const topic of children) {
          if (!topic.deleted) state.topics.set(topic.id, setDeleted(topic, true, context.principal));
        }
        const deleted = setDeleted(service, true, context.principal);
        if (!service.deleted) state.services.set(deleted.id, deleted);
        return { status: 200, body: renderService(deleted, entityView), change: 'entitySoftDeleted' };
      },
    },
    {
      method: 'PUT',
      template: 'v1/services/messagingServices/restore',
      operation: 'EditAll',
      body: RESTORE_ENTITY,
      handle: (context) => {
        const { id } = context.body as { id: string };
        const service = findService(id.toLowerCase(), 'deleted');
        restoreChildTopics(service.id, context.principal);
        const restored = setDeleted(service, false, context.principal);
        state.services.set(restored.id, restored);
        return {
          status: 200,
          body: renderService(restored, { baseUrl: context.baseUrl, fields: new Set() }),
          change: 'entityRestored',
        };
      },
    },

    // Topics
    { method: 'GET', template: 'v1/topics', operation: 'ViewBasic', handle: listTopics },
    {
      method: 'GET',
      template: 'v1/topics/{id}',
      operation: 'ViewBasic',
      handle: (context) => {
        const topic = findTopic(uuidParam(context.params.id), includeParam(context.query));
        return { status: 200, body: renderTopic(state, topic, view(context, TOPIC_FIELDS)) };
      },
    },
    {
      method: 'GET',
      template: 'v1/topics/name/{fqn}',
      operation: 'ViewBasic',
      handle: (context) => {
        const topic = findTopicByFqn(context.params.fqn ?? '', includeParam(context.query));
        return { status: 200, body: renderTopic(state, topic, view(context, TOPIC_FIELDS)) };
      },
    },
    {
      method: 'POST',
      template: 'v1/topics',
      operation: 'Create',
      body: CREATE_TOPIC,
      handle: (context) => {
        const { request, service, fqn } = prepareTopic(context);
        if (state.topicByFqn(fqn) !== undefined) throw new ApiError(409, 'Entity already exists');
        return { status: 201, body: createTopic(context, request, service, fqn) };
      },
    },
    {
      method: 'PUT',
      template: 'v1/topics',
      operation: 'EditAll',
      body: CREATE_TOPIC,
      handle: (context) => {
        const { request, service, fqn } = prepareTopic(context);
        const original = state.topicByFqn(fqn);
        if (original === undefined) {
          return { status: 201, body: createTopic(context, request, service, fqn), change: 'entityCreated' };
        }
        const { tags, ...content } = topicContent(request, fqn);
        const updated: StoredTopic = {
          id: original.id,
          name: original.name,
          fullyQualifiedName: original.fullyQualifiedName,
          serviceId: original.serviceId,
          ...content,
          partitions: request.partitions,
          version: original.version,
          updatedAt: Date.now(),
          updatedBy: context.principal.name,
          deleted: original.deleted,
        };
        const outcome = applyUpdate(original, updated, context.principal, (recorder) =>
          recordTopicChanges(recorder, original, updated),
        );
        if (outcome.changed) state.topics.set(original.id, outcome.entity);
        return {
          status: 200,
          body: renderTopic(
            state,
            outcome.entity,
            { baseUrl: context.baseUrl, fields: new Set() },
            tags ? { tags } : {},
          ),
          change: outcome.changed ? 'entityUpdated' : 'entityNoChange',
        };
      },
    },
    {
      method: 'DELETE',
      template: 'v1/topics/{id}',
      operation: 'Delete',
      handle: (context) => deleteTopic(context, findTopic(uuidParam(context.params.id), 'all')),
    },
    {
      method: 'DELETE',
      template: 'v1/topics/name/{fqn}',
      operation: 'Delete',
      handle: (context) => deleteTopic(context, findTopicByFqn(context.params.fqn ?? '', 'all')),
    },
    {
      method: 'PUT',
      template: 'v1/topics/restore',
      operation: 'EditAll',
      body: RESTORE_ENTITY,
      handle: (context) => {
        const { id } = context.body as { id: string };
        const restored = setDeleted(findTopic(id.toLowerCase(), 'deleted'), false, context.principal);
        state.topics.set(restored.id, restored);
        return {
          status: 200,
          body: renderTopic(state, restored, { baseUrl: context.baseUrl, fields: new Set() }),
          change: 'entityRestored',
        };
      },
    },
    {
      method: 'PUT',
      template: 'v1/topics/{id}/sampleData',
      operation: 'EditSampleData',
      body: TOPIC_SAMPLE_DATA,
      handle: (context) => {
        const id = uuidParam(context.params.id);
        const sampleData = context.body as { messages?: string[] | null };
        const topic = findTopic(id, 'non-deleted');
        const stored: TopicSampleData = { messages: sampleData.messages ?? [] };
        state.sampleData.set(topic.id, stored);
        const body = renderTopic(
          state,
          topic,
          { baseUrl: context.baseUrl, fields: new Set() },
          { sampleData: stored },
        );
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      template: 'v1/topics/{id}/sampleData',
      operation: 'ViewSampleData',
      handle: (context) => {
        const topic = findTopic(uuidParam(context.params.id), 'non-deleted');
        const sampleData = state.sampleData.get(topic.id);
        const extra = sampleData ? { sampleData: deepCopy(sampleData) } : {};
        return {
          status: 200,
          body: renderTopic(state, topic, { baseUrl: context.baseUrl, fields: new Set() }, extra),
        };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

function forbiddenMatches(rules: readonly ForbiddenPathRule[], method: string, path: string): boolean {
  return rules.some((rule) =>
    typeof rule === 'string'
      ? path === rule || path.startsWith(`${rule.replace(/\/$/, '')}/`)
      : rule.test(`${method} ${path}`),
  );
}

const isJsonMediaType = (contentType: string | undefined): boolean => {
  if (contentType === undefined || contentType.trim() === '') return true; // Jersey matches any
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType === '*/*' || mediaType === 'application/*';
};

function flattenHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseRecordedBody(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

async function readRequestBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  if (reply.change !== undefined) response.setHeader('X-OpenMetadata-Change', reply.change);
  response.end(body);
}

const errorReply = (status: number, message: string): Reply => ({ status, body: { code: status, message } });

/** Starts the server; resolves once it listens. Close it with {@link OpenMetadataTestServer.close}. */
export async function startOpenMetadataTestServer(
  options: OpenMetadataTestServerOptions = {},
): Promise<OpenMetadataTestServer> {
  const host = options.host ?? '127.0.0.1';
  const state = new OpenMetadataState();
  const templates = compileRoutes(createRoutes(state, options.version ?? '1.3.1'));
  const principal = options.principal ?? principalFromToken(options.jwtToken);
  const requests: RecordedRequest[] = [];
  let forbidden: ForbiddenPathRule[] = [...(options.forbiddenPaths ?? [])];
  let faultInjector: FaultInjector | undefined;
  let url = '';

  const dispatch = (request: IncomingMessage, record: RecordedRequest, rawBody: string): Reply => {
    const method = record.method;
    const pathname = record.path.length > 1 ? record.path.replace(/\/$/, '') : record.path;
    if (!pathname.startsWith('/api/')) throw notFoundRoute();
    const rawSegments = pathname.slice('/api/'.length).split('/');
    let matched: { compiled: CompiledTemplate; params: Record<string, string> } | undefined;
    for (const compiled of templates) {
      const params = matchTemplate(compiled, rawSegments);
      if (params !== undefined) {
        matched = { compiled, params };
        break;
      }
    }
    if (matched === undefined) throw notFoundRoute();
    const lookupMethod = method === 'HEAD' ? 'GET' : method;
    const route = matched.compiled.routes.find((candidate) => candidate.method === lookupMethod);
    if (route === undefined) throw new ApiError(405, 'HTTP 405 Method Not Allowed');
    if (route.body && !isJsonMediaType(record.headers['content-type'])) {
      throw new ApiError(415, 'HTTP 415 Unsupported Media Type');
    }
    if (options.jwtToken !== undefined && !route.public) {
      const failure = authenticationFailure(record.headers.authorization, options.jwtToken);
      if (failure !== undefined) throw new ApiError(401, failure);
    }
    const context: RequestContext = {
      method,
      params: matched.params,
      query: record.query,
      // Body problems are answered before authorization, as in the real resource methods.
      body: route.body ? readBody(route.body, rawBody) : undefined,
      baseUrl: `http://${request.headers.host ?? new URL(url).host}/api`,
      principal,
    };
    const fault = faultInjector?.({ method, path: record.path, body: context.body });
    if (fault) throw new ApiError(fault.status, fault.message);
    if (forbiddenMatches(forbidden, method, record.path)) {
      throw new ApiError(
        403,
        `Principal: CatalogPrincipal{name='${principal.name}'} operations [${route.operation}] not allowed`,
      );
    }
    return route.handle(context);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const at = Date.now();
    const target = new URL(request.url ?? '/', 'http://localhost');
    const query: Record<string, string> = {};
    for (const [name, value] of target.searchParams) if (!(name in query)) query[name] = value;
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: target.pathname,
      query,
      headers: flattenHeaders(request),
      body: undefined,
      status: 0,
      at,
    };
    requests.push(record);
    let reply: Reply;
    try {
      const rawBody = await readRequestBody(request);
      record.body = parseRecordedBody(rawBody);
      reply = dispatch(request, record, rawBody);
    } catch (error) {
      reply =
        error instanceof ApiError
          ? errorReply(error.status, error.message)
          : errorReply(
              500,
              `There was an error processing your request. It has been logged (ID ${randomUUID()}).`,
            );
    }
    record.status = reply.status;
    send(response, reply);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/api`;

  const materialize = (stored: StoredTopic): Topic => {
    const topic = state.materializeTopic(stored);
    const sampleData = state.sampleData.get(stored.id);
    return sampleData ? { ...topic, sampleData: deepCopy(sampleData) } : topic;
  };

  return {
    url,
    requests,
    topics: () => [...state.topics.values()].map(materialize),
    topicByFqn: (fqn) => {
      const stored = state.topicByFqn(fqn);
      return stored && materialize(stored);
    },
    messagingServices: () => [...state.services.values()].map((service) => deepCopy(service)),
    clearRequests: () => {
      requests.length = 0;
    },
    setForbiddenPaths: (rules) => {
      forbidden = [...rules];
    },
    setFaultInjector: (injector) => {
      faultInjector = injector;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
