/**
 * Routing as Jersey does it: the template with the most literal characters wins, then the
 * method (404 for an unknown path, 405 for another method), and path and query parameters that
 * do not convert answer 404.
 */
import { ApiError, notFoundRoute } from './errors.js';
import type { Reply } from './http.js';
import type { PojoSpec } from './schemas.js';
import type { Include } from './state.js';
import type { OpenMetadataPrincipal } from './types.js';
import { UUID_PATTERN } from './values.js';

/** What a handler sees of a request that passed routing, authentication and body validation. */
export interface RequestContext {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The body, read and validated against the route's `body` schema. */
  body: unknown;
  /** The API root as the caller addressed it, for `href`s. */
  baseUrl: string;
  principal: OpenMetadataPrincipal;
}

export interface Route {
  method: string;
  /** Below `/api/`, e.g. `v1/topics/{id}`; a `{name}` segment is a path parameter. */
  template: string;
  /** The MetadataOperation named in a 403 answer. */
  operation: string;
  /** Readable without a token (JwtFilter's excluded endpoints). */
  public?: boolean;
  /** The JSON body the route consumes, as Jackson and Hibernate Validator read it. */
  body?: PojoSpec;
  /** What OpenMetadata's published JSON schemas find wrong with a body that `body` accepted. */
  schemaViolations?: (body: unknown) => string[];
  handle(context: RequestContext): Reply;
}

interface CompiledTemplate {
  segments: string[];
  literalChars: number;
  routes: Route[];
}

/** Routes grouped by template, most specific template first. */
type RouteTable = readonly CompiledTemplate[];

export function compileRoutes(routes: Route[]): RouteTable {
  const byTemplate = new Map<string, CompiledTemplate>();
  for (const route of routes) {
    let compiled = byTemplate.get(route.template);
    if (compiled === undefined) {
      const segments = route.template.split('/');
      const literalChars = segments.filter((segment) => !segment.startsWith('{')).join('/').length;
      compiled = { segments, literalChars, routes: [] };
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

/** The route serving `method path` (HEAD is served as GET) and its decoded path parameters. */
export function findRoute(
  table: RouteTable,
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  const pathname = path.length > 1 ? path.replace(/\/$/, '') : path;
  if (!pathname.startsWith('/api/')) throw notFoundRoute();
  const rawSegments = pathname.slice('/api/'.length).split('/');
  const lookupMethod = method === 'HEAD' ? 'GET' : method;
  for (const compiled of table) {
    const params = matchTemplate(compiled, rawSegments);
    if (params === undefined) continue;
    const route = compiled.routes.find((candidate) => candidate.method === lookupMethod);
    if (route === undefined) throw new ApiError(405, 'HTTP 405 Method Not Allowed');
    return { route, params };
  }
  throw notFoundRoute();
}

export function uuidParam(value: string | undefined): string {
  // Jersey answers a path parameter that is not a UUID with 404.
  if (value === undefined || !UUID_PATTERN.test(value)) throw notFoundRoute();
  return value.toLowerCase();
}

export function includeParam(query: Record<string, string>): Include {
  const include = query.include ?? 'non-deleted';
  if (include !== 'non-deleted' && include !== 'deleted' && include !== 'all') throw notFoundRoute();
  return include;
}

export const booleanParam = (value: string | undefined): boolean => value?.toLowerCase() === 'true';
