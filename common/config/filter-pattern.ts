import { isKinesisStreamName } from '../stream-names.js';
import { InvalidFilterPatternError } from './errors.js';
import { compilePythonRegex, type StartMatcher } from './python-regex.js';
import type { FilterPattern } from './types.js';

/**
 * The official filter semantics (metadata.utils.filters._filter): each entry is a Python regular
 * expression matched at the start of the name, ignoring case. When `includes` is non-empty only it
 * counts (a name is kept when any include matches, and `excludes` is ignored); otherwise a name is
 * dropped when any exclude matches. No filter keeps everything.
 *
 * Returns a predicate that is true when the name is KEPT (to be ingested), false when it is filtered
 * out. A name that is not a valid Kinesis stream name is never kept, and never matched: what the
 * endpoint lists is not trusted. Matching runs in time linear in the name's length (see
 * python-regex.ts). Throws InvalidFilterPatternError for an entry that is not a valid pattern
 * (configs that went through parseIngestionConfig never have one).
 */
export function compileFilterPattern(filter: FilterPattern | undefined): (name: string) => boolean {
  const keep = keepPredicate(filter);
  return (name) => isKinesisStreamName(name) && keep(name);
}

function keepPredicate(filter: FilterPattern | undefined): (name: string) => boolean {
  if (filter === undefined) return () => true;
  if (filter.includes.length > 0) {
    const includes = filter.includes.map(compileEntry);
    return (name) => includes.some((matches) => matches(name));
  }
  if (filter.excludes.length > 0) {
    const excludes = filter.excludes.map(compileEntry);
    return (name) => !excludes.some((matches) => matches(name));
  }
  return () => true;
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
