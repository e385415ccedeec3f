import { isKinesisStreamName } from '../stream-names.js';
import { InvalidFilterPatternError } from './errors.js';
import { compilePythonRegex, type StartMatcher } from './python-regex.js';
import type { FilterPattern } from './types.js';

/**
 * How includes and excludes combine, which changed in OpenMetadata 1.5 (metadata/utils/filters.py):
 * - `includesWin` (up to 1.4): when `includes` is non-empty only it counts, and `excludes` is
 *   ignored;
 * - `includesAndExcludes` (from 1.5): a name must match an include (when there are any) and no
 *   exclude.
 */
export type FilterRule = 'includesWin' | 'includesAndExcludes';

/**
 * The official filter semantics (metadata.utils.filters._filter): each entry is a Python regular
 * expression matched at the start of the name, ignoring case; `rule` says how includes and
 * excludes combine. No filter keeps everything.
 *
 * Returns a predicate that is true when the name is KEPT (to be ingested), false when it is filtered
 * out. A name that is not a valid Kinesis stream name is never kept, and never matched: what the
 * endpoint lists is not trusted. Matching runs in time linear in the name's length (see
 * python-regex.ts). Throws InvalidFilterPatternError for an entry that is not a valid pattern
 * (configs that went through parseIngestionConfig never have one).
 */
export function compileFilterPattern(
  filter: FilterPattern | undefined,
  rule: FilterRule = 'includesWin',
): (name: string) => boolean {
  const keep = keepPredicate(filter, rule);
  return (name) => isKinesisStreamName(name) && keep(name);
}

function keepPredicate(filter: FilterPattern | undefined, rule: FilterRule): (name: string) => boolean {
  if (filter === undefined) return () => true;
  const includes = filter.includes.map(compileEntry);
  const excludes = filter.excludes.map(compileEntry);
  const included = (name: string) => includes.some((matches) => matches(name));
  const excluded = (name: string) => excludes.some((matches) => matches(name));
  if (includes.length === 0) return (name) => !excluded(name);
  if (rule === 'includesWin' || excludes.length === 0) return included;
  return (name) => included(name) && !excluded(name);
}
/** undefined when `pattern` is a valid filter entry, otherwise why it is not. */
export function filterEntryProblem(pattern: string): string | undefined {
  const compiled = compilePythonRegex(pattern);
  return compiled.ok ? undefined : compiled.reason;
}

function compileEntry(pattern: string): StartMatcher {
  const compiled = compilePythonRegex(pattern);
  if (!compiled.ok) throw new InvalidFilterPatternError(pattern, compiled.reason);
  return compiled.matcher;
}
