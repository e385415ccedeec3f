/**
 * Request body schemas, described the way the generated Java classes of OpenMetadata 1.3 see
 * them (Jackson types, jsonschema2pojo constraints), and the TypeScript view of the bodies that
 * pass them.
 */

export type Spec =
  | { kind: 'string'; required?: boolean; size?: readonly [number, number]; pattern?: string; uuid?: boolean }
  | { kind: 'integer' | 'long' | 'double'; required?: boolean; minimum?: number }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'enum'; required?: boolean; javaType: string; values: readonly string[] }
  | { kind: 'list'; required?: boolean; javaType: string; items: Spec }
  | { kind: 'map'; required?: boolean; javaType: string }
  | { kind: 'any'; required?: boolean }
  | PojoSpec;

export interface PojoSpec {
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
export const CREATE_TOPIC: PojoSpec = {
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
export const CREATE_MESSAGING_SERVICE: PojoSpec = {
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

export const TOPIC_SAMPLE_DATA: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.type.topic.TopicSampleData',
  props: { messages: listOf(str(), 'java.lang.String') },
};

export const RESTORE_ENTITY: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.data.RestoreEntity',
  props: { id: str({ required: true, uuid: true }) },
};

export interface CreateTopicRequest {
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

export interface CreateMessagingServiceRequest {
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
