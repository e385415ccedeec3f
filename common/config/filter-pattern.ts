import { InvalidFilterPatternError } from './errors.js';
import { compilePythonRegex } from './python-regex.js';
import type { FilterPattern } from './types.js';

/**
 * The official filter semantics (metadata.utils.filters._filter): each entry is a Python regular
 * expression matched at the start of the name, ignoring case. When `includes` is non-empty only it
 * counts (a name is kept when any include matches, and `excludes` is ignored); otherwise a name is
 * dropped when any exclude matches. No filter keeps everything.
 *
 * Returns a predicate that is true when the name is KEPT (to be ingested), false when it is filtered
 * out. Throws InvalidFilterPatternError for an entry that is not a valid regular expression (configs
 * that went through parseIngestionConfig never have one).
 */
export function compileFilterPattern(filter: FilterPattern | undefined): (name: string) => boolean {
  if (filter === undefined) return () => true;
  if (filter.includes.length > 0) {
    const includes = filter.includes.map(compileEntry);
    return (name) => includes.some((regex) => matchesAtStart(regex, name));
  }
  if (filter.excludes.length > 0) {
    const excludes = filter.excludes.map(compileEntry);
    return (name) => !excludes.some((regex) => matchesAtStart(regex, name));
  }
  return () => true;
}

/** undefined when `pattern` is a valid filter entry, otherwise why it is not. */
export function filterEntryProblem(pattern: string): string | undefined {
  const compiled = compilePythonRegex(pattern);
  return compiled.ok ? undefined : compiled.reason;
}

function compileEntry(pattern: string): RegExp {
  const compiled = compilePythonRegex(pattern);
  if (!compiled.ok) throw new InvalidFilterPatternError(pattern, compiled.reason);
  return compiled.regex;
}

function matchesAtStart(stickyRegex: RegExp, name: string): boolean {
  stickyRegex.lastIndex = 0;
  return stickyRegex.test(name);
}
