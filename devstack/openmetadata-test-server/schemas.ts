/**
 * Request body schemas, described the way the generated Java classes of OpenMetadata see them
 * (Jackson types, jsonschema2pojo constraints) in the version the server impersonates, and the
 * TypeScript view of the bodies that pass them.
 */
import type { ApiContract } from './contract.js';

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

/** owner (up to 1.4) or owners (from 1.5), in the key order of the generated class. */
const ownerProps = (contract: ApiContract): Record<string, Spec> =>
  contract.owners
    ? { owners: listOf(ENTITY_REFERENCE, ENTITY_REFERENCE.javaType) }
    : { owner: ENTITY_REFERENCE };

/** domain (up to 1.8; `single` is its spec) or domains (from 1.9). */
const domainProps = (contract: ApiContract, single: Spec): Record<string, Spec> =>
  contract.domains ? { domains: listOf(fqnString(), 'java.lang.String') } : { domain: single };

/** CreateTopic of the contract's version (`additionalProperties: false`). */
export const createTopicSpec = (contract: ApiContract): PojoSpec => ({
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
    ...ownerProps(contract),
    tags: TAG_LIST,
    extension: { kind: 'any' },
    sourceUrl: str(),
    ...domainProps(contract, fqnString()),
    dataProducts: listOf(fqnString(), 'java.lang.String'),
    lifeCycle: LIFE_CYCLE,
    sourceHash: str({ size: [1, 32] }),
  },
});

const MESSAGING_SERVICE_TYPES = ['Kafka', 'Redpanda', 'Kinesis', 'CustomMessaging'] as const;

/** CreateMessagingService of the contract's version (`additionalProperties: false`). */
export const createMessagingServiceSpec = (contract: ApiContract): PojoSpec => ({
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
    ...ownerProps(contract),
    // A plain string here, unlike CreateTopic's FQN: an empty one is looked up (and not found).
    ...domainProps(contract, str()),
    dataProducts: listOf(fqnString(), 'java.lang.String'),
    ...(contract.serviceIngestionRunner
      ? {
          ingestionRunner: ENTITY_REFERENCE,
          style: { kind: 'map', javaType: 'org.openmetadata.schema.entity.type.Style' },
        }
      : {}),
  },
});

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
  owners?: Array<{ id: string; type: string }> | null;
  tags?: Array<{ tagFQN: string; source: string }> | null;
  extension?: unknown;
  sourceUrl?: string | null;
  domain?: string | null;
  domains?: string[] | null;
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
  owners?: Array<{ id: string; type: string }> | null;
  domain?: string | null;
  domains?: string[] | null;
  dataProducts?: string[] | null;
}

const PIPELINE_STATES = ['queued', 'success', 'failed', 'running', 'partialSuccess'] as const;

/** CreateIngestionPipeline (`sourceConfig` and `airflowConfig` are left to the published schemas). */
export const createIngestionPipelineSpec = (contract: ApiContract): PojoSpec => ({
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.services.ingestionPipelines.CreateIngestionPipeline',
  props: {
    name: entityName(true),
    displayName: str(),
    description: str(),
    pipelineType: {
      kind: 'enum',
      required: true,
      javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.PipelineType',
      values: [
        'metadata',
        'usage',
        'lineage',
        'profiler',
        'TestSuite',
        'dataInsight',
        'elasticSearchReindex',
        'dbt',
        'application',
      ],
    },
    sourceConfig: {
      kind: 'map',
      required: true,
      javaType: 'org.openmetadata.schema.metadataIngestion.SourceConfig',
    },
    airflowConfig: {
      kind: 'map',
      required: true,
      javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.AirflowConfig',
    },
    loggerLevel: {
      kind: 'enum',
      javaType: 'org.openmetadata.schema.metadataIngestion.LogLevels',
      values: ['DEBUG', 'INFO', 'WARN', 'ERROR'],
    },
    service: { ...ENTITY_REFERENCE, required: true },
    ...ownerProps(contract),
  },
});

const STACK_TRACE_ERROR: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.StackTraceError',
  props: { name: str({ required: true }), error: str({ required: true }), stackTrace: str() },
};

const stepSummarySpec = (contract: ApiContract): PojoSpec => ({
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.StepSummary',
  props: {
    name: str({ required: true }),
    records: { kind: 'integer' },
    updated_records: { kind: 'integer' },
    warnings: { kind: 'integer' },
    errors: { kind: 'integer' },
    filtered: { kind: 'integer' },
    failures: listOf(STACK_TRACE_ERROR, STACK_TRACE_ERROR.javaType),
    ...(contract.stepProgress ? { progress: { kind: 'any' } } : {}),
    ...(contract.stepTimings
      ? {
          operationMetrics: { kind: 'any' },
          sourceTimeMs: { kind: 'double' },
          sinkTimeMs: { kind: 'double' },
        }
      : {}),
  },
});

/** PipelineStatus of the contract's version. */
export const pipelineStatusSpec = (contract: ApiContract): PojoSpec => {
  const step = stepSummarySpec(contract);
  return {
    kind: 'pojo',
    javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.PipelineStatus',
    props: {
      runId: str(),
      pipelineState: {
        kind: 'enum',
        javaType: 'org.openmetadata.schema.entity.services.ingestionPipelines.PipelineStatusType',
        values: contract.pipelineStateStopped ? [...PIPELINE_STATES, 'stopped'] : PIPELINE_STATES,
      },
      startDate: { kind: 'long' },
      timestamp: { kind: 'long' },
      endDate: { kind: 'long' },
      status: listOf(step, step.javaType),
      ...(contract.pipelineStatusConfig ? { config: { kind: 'map', javaType: 'java.util.Map' } } : {}),
      ...(contract.pipelineStatusMetadata ? { metadata: { kind: 'map', javaType: 'java.util.Map' } } : {}),
    },
  };
};

/**
 * The body of 2.0's DELETE /v1/topics/deleteStale, as the official client sends it
 * (ingestion/api/delete.py); the jar predates it, so this is its only check.
 */
export const DELETE_STALE: PojoSpec = {
  kind: 'pojo',
  javaType: 'org.openmetadata.schema.api.DeleteStaleEntities',
  props: {
    scopeFqn: fqnString(true),
    scopeEntityType: str({ required: true }),
    seenFqns: { ...listOf(str(), 'java.lang.String'), required: true },
    recursive: { kind: 'boolean' },
    hardDelete: { kind: 'boolean' },
  },
};

export interface CreateIngestionPipelineRequest {
  name: string;
  description?: string | null;
  pipelineType: string;
  sourceConfig: Record<string, unknown>;
  airflowConfig: Record<string, unknown>;
  service: { id: string; type: string };
  owner?: { id: string; type: string } | null;
  owners?: Array<{ id: string; type: string }> | null;
}

export interface PipelineStatusBody {
  runId?: string | null;
  pipelineState?: string | null;
  startDate?: number | null;
  timestamp?: number | null;
  endDate?: number | null;
  status?: unknown[] | null;
}

export interface DeleteStaleRequest {
  scopeFqn: string;
  scopeEntityType: string;
  seenFqns: string[];
  recursive?: boolean | null;
  hardDelete?: boolean | null;
}
