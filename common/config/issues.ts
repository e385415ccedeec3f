import { z } from 'zod';

import type { ConfigIssue } from './types.js';

// Words zod's issues the way config errors read in this product:
// `source.serviceConnection.config.awsConfig.awsRegion: Required`. The texts are part of the
// contract (tests assert them), so they are built here rather than taken from zod's defaults.
// Values are echoed only for enumerations, which never hold secrets.

export type IssuePath = readonly PropertyKey[];

/** 'a.b[2].c'; keys that are not identifier-like are quoted: 'extraHeaders["my header"]'. */
export function formatPath(path: IssuePath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) text += text === '' ? key : `.${key}`;
      else text += `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

export function issueAt(path: IssuePath, message: string): ConfigIssue {
  return { path: formatPath(path), message };
}

/** Issues in the order their keys appear in the document (a missing key after its siblings). */
export function sortByDocumentOrder(issues: readonly ConfigIssue[], document: unknown): ConfigIssue[] {
  return issues
    .map((issue, index) => ({ issue, index, position: documentPosition(parsePath(issue.path), document) }))
    .sort((a, b) => comparePositions(a.position, b.position) || a.index - b.index)
    .map(({ issue }) => issue);
}

/** The value at an issue's path (`a.b[0]["c.d"]`) in a parsed document; undefined when there is none. */
export function valueAtIssuePath(document: unknown, path: string): unknown {
  let current = document;
  for (const segment of parsePath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function parsePath(path: string): PropertyKey[] {
  const segments: PropertyKey[] = [];
  for (const match of path.matchAll(/([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

function documentPosition(path: readonly PropertyKey[], document: unknown): number[] {
  const position: number[] = [];
  let current = document;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') {
      position.push(segment);
      current = current[segment];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      const keys = Object.keys(current);
      const index = keys.indexOf(String(segment));
      position.push(index < 0 ? keys.length : index);
      current = index < 0 ? undefined : (current as Record<string, unknown>)[String(segment)];
    } else {
      position.push(0);
      current = undefined;
    }
  }
  return position;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

export function issuesFromZod(
  issues: readonly z.core.$ZodIssue[],
  document: unknown,
  schema: z.ZodType,
): ConfigIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, document, schema));
}

function describeIssue(issue: z.core.$ZodIssue, document: unknown, schema: z.ZodType): ConfigIssue[] {
  const path = issue.path;
  switch (issue.code) {
    case 'invalid_type': {
      const present = valueAt(document, path);
      if (present.found === false || present.value === undefined) return [issueAt(path, 'Required')];
      return [
        issueAt(path, `Expected ${expectedTypeName(issue.expected)}, received ${typeName(present.value)}`),
      ];
    }
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path) ?? [];
      return issue.keys.map((key) => issueAt([...path, key], unknownKeyMessage(key, known)));
    }
    case 'invalid_value': {
      const received = valueAt(document, path).value;
      const expected = issue.values.map((value) => `'${String(value)}'`);
      const head =
        expected.length === 1 ? `Expected ${expected[0]}` : `Expected one of ${expected.join(', ')}`;
      const candidates = issue.values.map(String);
      const hint = typeof received === 'string' ? suggestion(received, candidates, true) : undefined;
      const tail = hint === undefined ? '' : ` (did you mean '${hint}'?)`;
      return [issueAt(path, `${head}, received ${describeValue(received)}${tail}`)];
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1)
        return [issueAt(path, 'Must not be empty')];
      return [
        issueAt(
          path,
          `Must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`,
        ),
      ];
    case 'too_big':
      return [
        issueAt(
          path,
          `Must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`,
        ),
      ];
    case 'custom':
      return [issueAt(path, issue.message)];
    default:
      return [issueAt(path, issue.message)];
  }
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = suggestion(key, known, false);
  if (hint !== undefined) return `Unknown key (did you mean ${hint}?)`;
  if (known.length > 0 && known.length <= 8) return `Unknown key (expected one of: ${known.join(', ')})`;
  return 'Unknown key';
}

/**
 * The candidate a near-miss most likely meant: same letters ignoring case and separators, a small
 * edit distance, or (for values) one being the start of the other ('WARNING' -> 'WARN').
 */
export function suggestion(
  input: string,
  candidates: readonly string[],
  allowPrefix: boolean,
): string | undefined {
  const wanted = simplify(input);
  if (wanted === '') return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const simple = simplify(candidate);
    const distance = editDistance(wanted, simple);
    const close =
      distance <= Math.max(1, Math.floor(simple.length / 4)) ||
      (simple.length >= 4 && wanted.length >= 4 && (simple.includes(wanted) || wanted.includes(simple))) ||
      (allowPrefix && (simple.startsWith(wanted) || wanted.startsWith(simple)));
    if (close && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function simplify(text: string): string {
  return text.toLowerCase().replace(/[\s_-]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function expectedTypeName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'record') return 'object';
  return expected;
}

/** The type of a parsed YAML/JSON value, in the words of the messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return typeName(value);
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${shown}'`;
}

export function valueAt(document: unknown, path: IssuePath): { found: boolean; value: unknown } {
  let current: unknown = document;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return { found: false, value: undefined };
    const container = current as Record<PropertyKey, unknown>;
    if (!Object.hasOwn(container, segment)) return { found: false, value: undefined };
    current = container[segment];
  }
  return { found: true, value: current };
}

/** The keys the schema allows for the object at `path`, for did-you-mean hints. */
function knownKeysAt(schema: z.ZodType, path: IssuePath): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
    if (current === undefined) return undefined;
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}
