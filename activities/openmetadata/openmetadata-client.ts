import { readFileSync } from 'node:fs';
import got, { HTTPError, ParseError, RequestError, type Got, type Method } from 'got';
import { FailureType } from '../../common/failure-types.js';
import { IngestionActivityError } from '../errors.js';

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
  caCertificate?: string;
  /** Per-request deadline. */
  timeoutMs?: number;
}

export type Include = 'non-deleted' | 'deleted' | 'all';

/**
 * The OpenMetadata REST calls this product makes (1.3 contract, compatible with later 1.x).
 * Every failure is turned into the product's failure classes here, with the method and path,
 * never the token.
 */
export class OpenMetadataClient {
  private readonly http: Got;

  constructor(options: OpenMetadataClientOptions) {
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
        ...(options.caCertificate ? { certificateAuthority: readFileSync(options.caCertificate) } : {}),
      },
      throwHttpErrors: true,
    });
  }

  async serverVersion(): Promise<string> {
    const body = await this.call<{ version?: unknown }>('GET', 'system/version');
    if (typeof body.version !== 'string') throw badResponse('GET system/version', 'no version field');
    return body.version;
  }

  async messagingServiceByName(name: string): Promise<OpenMetadataEntity | undefined> {
    return this.getOrUndefined(`services/messagingServices/name/${encodeURIComponent(name)}`);
  }

  async putMessagingService(request: object): Promise<{ entity: OpenMetadataEntity; change: ChangeType }> {
    return this.put('services/messagingServices', request);
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
    return this.put('topics', request);
  }

  async restoreTopic(id: string): Promise<OpenMetadataEntity> {
    return entityOf(await this.call('PUT', 'topics/restore', { json: { id } }), 'PUT topics/restore');
  }

  async deleteTopic(id: string): Promise<void> {
    await this.call('DELETE', `topics/${encodeURIComponent(id)}`, {
      searchParams: { hardDelete: 'false', recursive: 'false' },
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
    await this.call('PUT', `topics/${encodeURIComponent(topicId)}/sampleData`, { json: { messages } });
  }

  /** Topics of one service, page by page (`limit` per page), following the `after` cursor. */
  async *topicsOfService(
    serviceFqn: string,
    options: { include?: Include; limit?: number } = {},
  ): AsyncGenerator<OpenMetadataEntity[]> {
    let after: string | undefined;
    do {
      const searchParams: Record<string, string> = {
        service: serviceFqn,
        limit: String(options.limit ?? 100),
        include: options.include ?? 'non-deleted',
      };
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

  private async put(path: string, json: object): Promise<{ entity: OpenMetadataEntity; change: ChangeType }> {
    const response = await this.request('PUT', path, { json });
    const header = response.headers['x-openmetadata-change'];
    const change: ChangeType =
      header === 'entityCreated' || header === 'entityUpdated' || header === 'entityNoChange'
        ? header
        : response.statusCode === 201
          ? 'entityCreated'
          : 'unknown';
    return { entity: entityOf(parseJson(response.body, `PUT ${path}`), `PUT ${path}`), change };
  }

  private async call<T = unknown>(
    method: Method,
    path: string,
    options: { json?: object; searchParams?: Record<string, string> } = {},
  ): Promise<T> {
    const response = await this.request(method, path, options);
    return parseJson(response.body, `${method} ${path}`) as T;
  }

  private async request(
    method: Method,
    path: string,
    options: { json?: object; searchParams?: Record<string, string> },
  ) {
    try {
      return await this.http(path, { method, ...options, responseType: 'text' });
    } catch (error) {
      throw classifyOpenMetadataError(error, `${method} ${path}`);
    }
  }
}

/** Thrown for an HTTP error answer: carries the status for callers that expect some (404). */
export class OpenMetadataHttpError extends IngestionActivityError {
  constructor(
    type: (typeof FailureType)[keyof typeof FailureType],
    message: string,
    retryable: boolean,
    readonly status: number,
  ) {
    super(type, message, retryable);
  }
}

function classifyOpenMetadataError(error: unknown, call: string): IngestionActivityError {
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const serverMessage = messageOf(error.response.body);
    const said = serverMessage ? `: ${serverMessage}` : '';
    if (status === 401) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataAuthRejected,
        `OpenMetadata refused the token (401 on ${call})${said}. Check workflowConfig.openMetadataServerConfig.securityConfig.jwtToken: it must be a valid bot token of this server`,
        false,
        status,
      );
    }
    if (status === 403) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataForbidden,
        `OpenMetadata forbade ${call} (403)${said}. The bot needs a role that may create and edit messaging services and topics (e.g. the ingestion bot role)`,
        false,
        status,
      );
    }
    if (status === 429 || status >= 500) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataUnavailable,
        `OpenMetadata answered ${status} to ${call}${said}`,
        true,
        status,
      );
    }
    return new OpenMetadataHttpError(
      FailureType.OpenMetadataRequestRejected,
      `OpenMetadata rejected ${call} (${status})${said}`,
      false,
      status,
    );
  }
  if (error instanceof ParseError) return badResponse(call, 'the body is not JSON', true);
  if (error instanceof RequestError) {
    return new IngestionActivityError(
      FailureType.OpenMetadataUnavailable,
      `OpenMetadata could not be reached for ${call} (${error.code}): ${error.message}. Check workflowConfig.openMetadataServerConfig.hostPort`,
      true,
      { cause: error },
    );
  }
  if (error instanceof IngestionActivityError) return error;
  return new IngestionActivityError(
    FailureType.OpenMetadataUnavailable,
    `${call} failed: ${String(error)}`,
    true,
    { cause: error },
  );
}

function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: a proxy's HTML error page, for instance.
  }
  return body.length > 200 ? `${body.slice(0, 200)}…` : body;
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

/**
 * A body that is not JSON is usually a passing fault (a truncated answer, a proxy's error
 * page): retried. Well-formed JSON of the wrong shape is what the server really says (another
 * API version): retrying would get the same answer, so it is reported at once.
 */
function badResponse(call: string, what: string, retryable = false): IngestionActivityError {
  return new IngestionActivityError(
    FailureType.OpenMetadataBadResponse,
    `OpenMetadata's answer to ${call} is not valid: ${what}`,
    retryable,
  );
}
