/**
 * List paging as the real server does it: order by name, then id; `before`/`after` cursors are
 * the base64url JSON of an item's {name, id}, so deleting items between pages never makes a
 * reader skip one.
 */
import { ApiError, notFoundRoute } from './errors.js';
import { isObject } from './values.js';

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

export function readPageQuery(query: Record<string, string>): PageQuery {
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

export function paginate<T extends Pageable>(
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
