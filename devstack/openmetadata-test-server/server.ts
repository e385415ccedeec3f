/**
 * Starts the server: listens on node:http, records every request, and takes each one through
 * the real server's order of checks (route, media type, token, body, injected fault, 403) to its
 * handler. Returns the handle tests use to inspect and steer it.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { authenticationFailure, forbiddenMatches, notAllowed, principalFromToken } from './auth.js';
import { ApiError } from './errors.js';
import { errorReply, isJsonMediaType, readRequestBody, recordRequest, send } from './http.js';
import type { Reply } from './http.js';
import { readBody } from './read-body.js';
import { quoteName } from './requests.js';
import { compileRoutes, findRoute } from './router.js';
import type { RequestContext } from './router.js';
import { contractFor, DEFAULT_VERSION } from './contract.js';
import { createRoutes } from './routes.js';
import { OpenMetadataState } from './state.js';
import type {
  FaultInjector,
  ForbiddenPathRule,
  OpenMetadataTestServer,
  OpenMetadataTestServerOptions,
  RecordedRequest,
} from './types.js';
import { deepCopy } from './values.js';

/** Starts the server; resolves once it listens. Close it with {@link OpenMetadataTestServer.close}. */
export async function startOpenMetadataTestServer(
  options: OpenMetadataTestServerOptions = {},
): Promise<OpenMetadataTestServer> {
  const host = options.host ?? '127.0.0.1';
  const state = new OpenMetadataState();
  const routes = compileRoutes(createRoutes(state, contractFor(options.version ?? DEFAULT_VERSION)));
  const principal = options.principal ?? principalFromToken(options.jwtToken);
  const requests: RecordedRequest[] = [];
  let forbidden: ForbiddenPathRule[] = [...(options.forbiddenPaths ?? [])];
  let faultInjector: FaultInjector | undefined;
  let url = '';

  const dispatch = (request: IncomingMessage, record: RecordedRequest, rawBody: string): Reply => {
    const { method, path } = record;
    const { route, params } = findRoute(routes, method, path);
    if (route.body && !isJsonMediaType(record.headers['content-type'])) {
      throw new ApiError(415, 'HTTP 415 Unsupported Media Type');
    }
    if (options.jwtToken !== undefined && !route.public) {
      const failure = authenticationFailure(record.headers.authorization, options.jwtToken);
      if (failure !== undefined) throw new ApiError(401, failure);
    }
    // Body problems are answered before authorization, as in the real resource methods.
    const body = route.body ? readBody(route.body, rawBody) : undefined;
    const violations = route.schemaViolations?.(body) ?? [];
    if (violations.length > 0) throw new ApiError(400, `[${violations.join(', ')}]`);
    const context: RequestContext = {
      params,
      query: record.query,
      body,
      baseUrl: `http://${request.headers.host ?? new URL(url).host}/api`,
      principal,
    };
    const fault = faultInjector?.({ method, path, body: context.body });
    if (fault) throw new ApiError(fault.status, fault.message);
    if (forbiddenMatches(forbidden, method, path)) throw notAllowed(principal, route.operation);
    return route.handle(context);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const record = recordRequest(request);
    requests.push(record);
    let reply: Reply;
    try {
      const body = await readRequestBody(request);
      record.body = body.recorded;
      reply = dispatch(request, record, body.raw);
    } catch (error) {
      reply = errorReply(error);
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

  return {
    url,
    requests,
    topics: () => [...state.topics.values()].map((stored) => state.topicWithSampleData(stored)),
    topicByFqn: (fqn) => {
      const stored = state.topicByFqn(fqn);
      return stored && state.topicWithSampleData(stored);
    },
    messagingServices: () => [...state.services.values()].map((service) => deepCopy(service)),
    ingestionPipelines: () => [...state.pipelines.values()].map((pipeline) => deepCopy(pipeline)),
    pipelineStatuses: (fqn) => {
      const pipeline = state.pipelineByFqn(fqn);
      return pipeline ? [...(state.pipelineStatuses.get(pipeline.id)?.values() ?? [])].map(deepCopy) : [];
    },
    addOwner: (type, name) => {
      const owner = { id: randomUUID(), type, name, fullyQualifiedName: quoteName(name), deleted: false };
      state.owners.set(owner.id, owner);
      return deepCopy(owner);
    },
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
