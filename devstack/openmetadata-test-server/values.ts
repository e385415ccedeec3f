/**
 * Helpers for the plain JSON values the server reads, stores and compares.
 */

/** The standard 36-character form Jackson accepts for a java.util.UUID. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Structural equality of JSON values; a key holding undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
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
export const deepCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
export const isEmptyText = (text: string | undefined): boolean => text === undefined || text === '';

export const nonNull = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** A copy of `source` with `keys` in this order, null and undefined values left out. */
export function orderKeys(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] !== undefined && source[key] !== null) ordered[key] = source[key];
  }
  return ordered;
}
