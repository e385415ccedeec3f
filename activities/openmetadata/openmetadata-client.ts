import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import got, { type Got, type Method } from 'got';
import { IngestionActivityError } from '../errors.js';
import type { OpenMetadataWrite } from '../metrics.js';
import type { OpenMetadataHttpError } from './openmetadata-errors.js';
import { badResponse, classifyOpenMetadataError, redirectRefused } from './openmetadata-errors.js';
import { jwtClaims } from './token-claims.js';

export { OpenMetadataHttpError } from './openmetadata-errors.js';

/** A stored OpenMetadata entity, as far as this product reads it. */
export interface OpenMetadataEntity {
  id: string;
  name: string;
  fullyQualifiedName: string;
  version?: number;
  deleted?: boolean;
  [field: string]: unknown;
}

export type ChangeType = 'entityCreated' | 'entityUpdated' | 'entityNoChange' | 'unknown';

export interface OpenMetadataClientOptions {
  /** `hostPort` of the YAML: the server's base URL ending in `/api`. */
  hostPort: string;
  /** Resolved bot token; absent for `no-auth`. */
  jwtToken?: string;
  extraHeaders?: Record<string, string>;
  verifySSL?: 'validate' | 'ignore' | 'no-ssl';
  /** PEM of the CA that signs the server's certificate (read by the caller, within the worker's policy). */
  certificateAuthority?: string | Buffer;
  /** Per-request deadline. */
  timeoutMs?: number;
  /** Agents whose connections the worker's policy checks (activities/network/guarded-agents.ts). */
  agents?: { http: HttpAgent; https: HttpsAgent };
  /** Told of every write and whether it succeeded (the worker's metrics). */
  onWrite?: (write: OpenMetadataWrite, outcome: 'ok' | 'error') => void;
}

export type Include = 'non-deleted' | 'deleted' | 'all';

/**
 * The OpenMetadata REST calls this product makes (1.3 contract, compatible with later 1.x).
 * Every failure is turned into the product's failure classes here, with the method and path,
 * never the token.
 */
export class OpenMetadataClient {
  private readonly http: Got;
  /** What the client sends that must not come back in a message (a server may echo it). */
  private readonly secrets: string[];
  private readonly onWrite: NonNullable<OpenMetadataClientOptions['onWrite']>;
  /** The token says it is a person's (`isBot: false`), not a bot's: read, not verified. */
  readonly tokenIsPersons: boolean;

  constructor(options: OpenMetadataClientOptions) {
    this.onWrite = options.onWrite ?? (() => undefined);
    this.tokenIsPersons = options.jwtToken ? jwtClaims(options.jwtToken)?.isBot === false : false;
    const base = options.hostPort.replace(/\/+$/, '');
    this.http = got.extend({
      prefixUrl: `${base}/v1/`,
      headers: {
        ...options.extraHeaders,
        ...(options.jwtToken ? { authorization: `Bearer ${options.jwtToken}` } : {}),
      },
      timeout: { request: options.timeoutMs ?? 30_000 },
      // One quick retry absorbs a dropped keep-alive connection; anything longer is Temporal's
      // retry policy's job, where it is visible and bounded.
      retry: { limit: 1, methods: ['GET', 'PUT', 'DELETE'], statusCodes: [429, 502, 503, 504] },
      https: {
        rejectUnauthorized: options.verifySSL !== 'ignore',
        ...(options.certificateAuthority ? { certificateAuthority: options.certificateAuthority } : {}),
      },
      throwHttpErrors: true,
      // A redirect would carry the token and headers to wherever the server points: none is
      // followed (an answer 3xx is an error naming where it pointed).
      followRedirect: false,
      ...(options.agents ? { agent: { http: options.agents.http, https: options.agents.https } } : {}),
    });
    this.secrets = [options.jwtToken, ...Object.values(options.extraHeaders ?? {})].filter(
      (secret): secret is string => typeof secret === 'string' && secret.length >= 4,
    );
  }

  async serverVersion(): Promise<string> {
    const body = await this.call<{ version?: unknown }>('GET', 'system/version');
    if (typeof body.version !== 'string') throw badResponse('GET system/version', 'no version field');
    return body.version;
  }

  async messagingServiceByName(
    name: string,
    options: { include?: Include } = {},
  ): Promise<OpenMetadataEntity | undefined> {
    return this.getOrUndefined(
      `services/messagingServices/name/${encodeURIComponent(name)}`,
      options.include ? { include: options.include } : undefined,
    );
  }

  /** Creates a messaging service; an existing one is never replaced (409, an OpenMetadataHttpError). */
  async createMessagingService(request: object): Promise<OpenMetadataEntity> {
    const path = 'services/messagingServices';
    return entityOf(
      await this.call('POST', path, { json: request, write: 'messaging_service' }),
      `POST ${path}`,
    );
  }

  async restoreMessagingService(id: string): Promise<OpenMetadataEntity> {
    const path = 'services/messagingServices/restore';
    return entityOf(
      await this.call('PUT', path, { json: { id }, write: 'messaging_service' }),
      `PUT ${path}`,
    );
  }

  async ingestionPipelineByFqn(fqn: string): Promise<OpenMetadataEntity | undefined> {
    // Soft-deleted ones too: a PUT of a "missing" pipeline would bring back and overwrite one a
    // user deleted.
    return this.getOrUndefined(`services/ingestionPipelines/name/${encodeURIComponent(fqn)}`, {
      include: 'all',
    });
  }

  async createIngestionPipeline(request: object): Promise<OpenMetadataEntity> {
    return (await this.put('services/ingestionPipelines', request, 'ingestion_pipeline')).entity;
  }

  /** Adds or replaces (by its runId) a run's status of the ingestion pipeline `fqn`. */
  async putPipelineStatus(fqn: string, status: object): Promise<void> {
    await this.call('PUT', `services/ingestionPipelines/${encodeURIComponent(fqn)}/pipelineStatus`, {
      json: status,
      write: 'pipeline_status',
    });
  }

  /**
   * OpenMetadata 2.0's stale delete: every topic of the service whose FQN is not in `seenFqns`
   * is soft-deleted by the server in one request. Older servers answer 404.
   */
  async deleteStaleTopics(serviceFqn: string, seenFqns: string[]): Promise<void> {
    await this.call('DELETE', 'topics/deleteStale', {
      json: { scopeFqn: serviceFqn, scopeEntityType: 'service', seenFqns, recursive: false },
      write: 'topic_delete',
    });
  }

  async topicByFqn(
    fqn: string,
    options: { fields?: string[]; include?: Include } = {},
  ): Promise<OpenMetadataEntity | undefined> {
    const searchParams: Record<string, string> = { include: options.include ?? 'non-deleted' };
    if (options.fields?.length) searchParams.fields = options.fields.join(',');
    return this.getOrUndefined(`topics/name/${encodeURIComponent(fqn)}`, searchParams);
  }

  /** A user by name (`GET /v1/users/name/{name}`); undefined when there is none. */
  async userByName(name: string): Promise<OpenMetadataEntity | undefined> {
    return this.getOrUndefined(`users/name/${encodeURIComponent(name)}`);
  }

  /** A team by name (`GET /v1/teams/name/{name}`); undefined when there is none. */
  async teamByName(name: string): Promise<OpenMetadataEntity | undefined> {
    return this.getOrUndefined(`teams/name/${encodeURIComponent(name)}`);
  }

  async putTopic(request: object): Promise<{ entity: OpenMetadataEntity; change: ChangeType }> {
    return this.put('topics', request, 'topic');
  }

  async restoreTopic(id: string): Promise<OpenMetadataEntity> {
    return entityOf(
      await this.call('PUT', 'topics/restore', { json: { id }, write: 'topic_restore' }),
      'PUT topics/restore',
    );
  }

  async deleteTopic(id: string): Promise<void> {
    await this.call('DELETE', `topics/${encodeURIComponent(id)}`, {
      searchParams: { hardDelete: 'false', recursive: 'false' },
      write: 'topic_delete',
    });
  }

  async sampleData(topicId: string): Promise<string[] | undefined> {
    const topic = await this.call<{ sampleData?: { messages?: unknown } }>(
      'GET',
      `topics/${encodeURIComponent(topicId)}/sampleData`,
    );
    const messages = topic.sampleData?.messages;
    return Array.isArray(messages) && messages.every((m) => typeof m === 'string') ? messages : undefined;
  }

  async putSampleData(topicId: string, messages: string[]): Promise<void> {
    await this.call('PUT', `topics/${encodeURIComponent(topicId)}/sampleData`, {
      json: { messages },
      write: 'sample_data',
    });
  }

  /** Topics of one service, page by page (`limit` per page), following the `after` cursor. */
  async *topicsOfService(
    serviceFqn: string,
    options: { include?: Include; limit?: number; fields?: string[] } = {},
  ): AsyncGenerator<OpenMetadataEntity[]> {
    let after: string | undefined;
    do {
      const searchParams: Record<string, string> = {
        service: serviceFqn,
        limit: String(options.limit ?? 100),
        include: options.include ?? 'non-deleted',
      };
      if (options.fields?.length) searchParams.fields = options.fields.join(',');
      if (after) searchParams.after = after;
      const page = await this.call<{ data?: unknown; paging?: { after?: unknown } }>('GET', 'topics', {
        searchParams,
      });
      if (!Array.isArray(page.data)) throw badResponse('GET topics', 'no data array');
      yield page.data.map((item) => entityOf(item, 'GET topics'));
      after =
        typeof page.paging?.after === 'string' && page.paging.after !== '' ? page.paging.after : undefined;
    } while (after);
  }

  private async getOrUndefined(
    path: string,
    searchParams?: Record<string, string>,
  ): Promise<OpenMetadataEntity | undefined> {
    try {
      return entityOf(await this.call('GET', path, searchParams ? { searchParams } : {}), `GET ${path}`);
    } catch (error) {
      if (error instanceof IngestionActivityError && (error as OpenMetadataHttpError).status === 404)
        return undefined;
      throw error;
    }
  }

  private async put(
    path: string,
    json: object,
    write: OpenMetadataWrite,
  ): Promise<{ entity: OpenMetadataEntity; change: ChangeType }> {
    const response = await this.request('PUT', path, { json, write });
    const header = response.headers['x-openmetadata-change'];
    const change: ChangeType =
      header === 'entityCreated' || header === 'entityUpdated' || header === 'entityNoChange'
        ? header
        : response.statusCode === 201
          ? 'entityCreated'
          : 'unknown';
    return { entity: entityOf(parseJson(response.body, `PUT ${path}`), `PUT ${path}`), change };
  }

  private async call<T = unknown>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    return parseJson(response.body, `${method} ${path}`) as T;
  }

  private async request(method: Method, path: string, { write, ...options }: RequestOptions) {
    let response;
    try {
      response = await this.http(path, { method, ...options, responseType: 'text' });
    } catch (error) {
      if (write) this.onWrite(write, 'error');
      throw classifyOpenMetadataError(error, `${method} ${path}`, this.secrets);
    }
    if (response.statusCode >= 300 && response.statusCode < 400) {
      if (write) this.onWrite(write, 'error');
      throw redirectRefused(response.statusCode, response.headers.location, `${method} ${path}`);
    }
    if (write) this.onWrite(write, 'ok');
    return response;
  }
}

interface RequestOptions {
  json?: object;
  searchParams?: Record<string, string>;
  /** Set on writes: what the request writes. */
  write?: OpenMetadataWrite;
}

function parseJson(body: string, call: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw badResponse(call, 'the body is not JSON', true);
  }
}

function entityOf(value: unknown, call: string): OpenMetadataEntity {
  const entity = value as Partial<OpenMetadataEntity> | null;
  if (
    !entity ||
    typeof entity !== 'object' ||
    typeof entity.id !== 'string' ||
    typeof entity.fullyQualifiedName !== 'string'
  ) {
    throw badResponse(call, 'the entity has no id or fullyQualifiedName');
  }
  return entity as OpenMetadataEntity;
}
