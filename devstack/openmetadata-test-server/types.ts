/**
 * The public types of the OpenMetadata API test server: its options, the entities it answers
 * with, the requests it records, and the handle returned by `startOpenMetadataTestServer`.
 */

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
  /**
   * The OpenMetadata version impersonated, reported by GET /v1/system/version: the server holds
   * requests to that version's contract (see contract.ts). Default '1.3.1'.
   */
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
  /** Shown by reads with `fields=owner`. */
  owner?: EntityReference;
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

export interface IngestionPipeline {
  id: string;
  name: string;
  fullyQualifiedName: string;
  description?: string;
  pipelineType: string;
  sourceConfig: Record<string, unknown>;
  airflowConfig: Record<string, unknown>;
  service: EntityReference;
  version: number;
  updatedAt: number;
  updatedBy: string;
  href?: string;
  deleted: boolean;
}

/** A run's status as an ingestion pipeline keeps it (PipelineStatus). */
export interface PipelineStatus {
  runId: string;
  pipelineState?: string;
  startDate?: number;
  timestamp?: number;
  endDate?: number;
  status?: Array<Record<string, unknown>>;
  [key: string]: unknown;
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
  ingestionPipelines(): IngestionPipeline[];
  /** The statuses reported to the pipeline with this FQN, in the order their runs were first reported. */
  pipelineStatuses(fqn: string): PipelineStatus[];
  /** Adds a user or a team (found by `GET /v1/users|teams/name/{name}`, and valid as an owner). */
  addOwner(type: 'user' | 'team', name: string): EntityReference;
  clearRequests(): void;
  setForbiddenPaths(rules: ForbiddenPathRule[]): void;
  /**
   * Makes chosen requests fail as the server would: the injector sees each valid, authorized
   * request (body parsed) and may answer an error instead; undefined clears it.
   */
  setFaultInjector(injector: FaultInjector | undefined): void;
  close(): Promise<void>;
}
