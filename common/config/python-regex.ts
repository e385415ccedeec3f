import { RE2JS } from 're2js';

// One module on purpose, although long: it is one tokenizer-translator over Python's pattern
// grammar, and its cases read best side by side.
//
// Filter patterns are Python regular expressions (the official connector calls
// `re.match(pattern, name, re.IGNORECASE)`). They run here on RE2 (the re2js port), whose matching
// time grows linearly with the name whatever the pattern: a pattern such as `(a+)+$` cannot hang a
// worker, as it does a backtracking engine. This module turns Python's syntax into RE2's where the
// two differ, and refuses, with the reason, what Python would reject and what only a backtracking
// engine can run (backreferences, lookaround, atomic groups, possessive quantifiers), rather than
// silently matching something else.
//
// Names are matched only after they passed Kinesis's name rules ([a-zA-Z0-9_.-], 1..128), so
// what differs between the engines on other characters (Python's `$` before a final newline, its
// Unicode classes) never decides a match.

export type RegexCompilation = { ok: true; matcher: StartMatcher } | { ok: false; reason: string };

/** `re.match(pattern, name, re.IGNORECASE) is not None`, in time linear in the name's length. */
export type StartMatcher = (name: string) => boolean;

type Failure = { ok: false; reason: string };
type Step = { ok: true; text: string; next: number; assertion?: boolean } | Failure;

const LEADING_GLOBAL_FLAGS = /^\(\?([a-zA-Z]+)\)/;
const INLINE_FLAGS = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/;
const BRACED_QUANTIFIER = /^\{(\d*)(,(\d*))?\}/;
const CLASS_SHORTHANDS = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const ESCAPES_KEPT_AS_IS = new Set([...CLASS_SHORTHANDS, 'f', 'n', 'r', 't', 'v']);
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RE2 refuses larger counts (they blow up the compiled program).
const MAX_REPEAT = 1000;
const LINEAR_ENGINE = 'filters run on a linear-time engine (RE2)';

/** Compiles a Python pattern into a matcher with `re.match` semantics, ignoring case. */
export function compilePythonRegex(pattern: string): RegexCompilation {
  const translated = translatePythonRegex(pattern);
  if (!translated.ok) return translated;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated.source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    return { ok: false, reason: engineErrorReason(error) };
  }
  return { ok: true, matcher: (name) => compiled.test(name) };
}

/** The RE2 source of a Python pattern, anchored at the start of the input as `re.match` is. */
export function translatePythonRegex(pattern: string): { ok: true; source: string } | Failure {
  return new Translator(pattern).run();
}

/** What the translator emitted last, for the rules on quantifiers. */
type Previous = 'nothing' | 'item' | 'quantifier' | 'lazy';

class Translator {
  private readonly globalFlags = new Set<string>();
  private out = '';
  private i = 0;
  // 'nothing' at the start, after `(` or `|`, and after an assertion: Python finds nothing to repeat there.
  private previous: Previous = 'nothing';
  // Capturing groups: how many were opened so far, which are still open (group 0 for the
  // non-capturing ones) with where they were opened, and the names of the closed ones.
  private groupCount = 0;
  private readonly openGroups: Array<{ group: number; at: number }> = [];
  private readonly groupNames = new Map<string, number>();
  private readonly closedNames = new Set<string>();

  constructor(private readonly pattern: string) {}

  run(): { ok: true; source: string } | Failure {
    const leading = this.leadingFlags();
    if (leading !== undefined) return leading;
    while (this.i < this.pattern.length) {
      const failure = this.pattern.charAt(this.i) === '[' ? this.characterClass() : this.atom();
      if (failure !== undefined) return failure;
    }
    const unclosed = this.openGroups[this.openGroups.length - 1];
    if (unclosed !== undefined) return fail('missing ), unterminated subpattern', unclosed.at);
    const flags = [...this.globalFlags].sort().join('');
    return { ok: true, source: `${flags ? `(?${flags})` : ''}\\A(?:${this.out})` };
  }

  /** Python 3.11+ accepts global inline flags such as `(?i)` only at the very start. */
  private leadingFlags(): Failure | undefined {
    for (let m = LEADING_GLOBAL_FLAGS.exec(this.pattern); m; m = LEADING_GLOBAL_FLAGS.exec(this.rest())) {
      for (const flag of m[1] ?? '') {
        if (flag === 'm' || flag === 's') this.globalFlags.add(flag);
        else if (flag === 'x') return fail('verbose mode (?x) is not supported', this.i);
        else if (flag === 'L') return fail("bad inline flag: cannot use 'L' flag with a str pattern", this.i);
        else if (flag !== 'i' && flag !== 'a' && flag !== 'u') return fail(`unknown flag '${flag}'`, this.i);
      }
      this.i += m[0].length;
    }
    return undefined;
  }

  private atom(): Failure | undefined {
    const at = this.i;
    const c = this.pattern.charAt(at);
    if (c === '*' || c === '+' || c === '?') return this.quantifier(c, at, 1);
    if (c === '{') {
      const m = BRACED_QUANTIFIER.exec(this.rest());
      if (m && (m[1] !== '' || m[2] !== undefined)) return this.bracedQuantifier(m, at);
      this.emit('\\{', at + 1, 'item');
    } else if (c === '\\') {
      const step = this.escape(false);
      if (!step.ok) return step;
      this.emit(step.text, step.next, step.assertion ? 'nothing' : 'item');
    } else if (c === '(') {
      return this.openGroup();
    } else if (c === ')') {
      const closed = this.openGroups.pop();
      if (closed === undefined) return fail('unbalanced parenthesis', at);
      for (const [name, group] of this.groupNames) if (group === closed.group) this.closedNames.add(name);
      this.emit(')', at + 1, 'item');
    } else if (c === '|') {
      this.emit('|', at + 1, 'nothing');
    } else if (c === '}') {
      this.emit('\\}', at + 1, 'item');
    } else {
      // `.`, `^` and `$` mean in RE2 what they mean in Python (for names, which hold no newline).
      this.emit(c, at + 1, c === '^' || c === '$' ? 'nothing' : 'item');
    }
    return undefined;
  }

  private quantifier(c: string, at: number, length: number): Failure | undefined {
    if (this.previous === 'quantifier' && c === '?') {
      this.emit('?', at + length, 'lazy');
      return undefined;
    }
    if (this.previous === 'quantifier' && c === '+')
      return fail(`possessive quantifiers are not supported: ${LINEAR_ENGINE}`, at);
    if (this.previous === 'quantifier' || this.previous === 'lazy') return fail('multiple repeat', at);
    if (this.previous === 'nothing') return fail('nothing to repeat', at);
    this.emit(c, at + length, 'quantifier');
    return undefined;
  }

  private bracedQuantifier(m: RegExpExecArray, at: number): Failure | undefined {
    // Python reads `{,n}` as `{0,n}`; RE2 would read it as literal text.
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    if (max !== undefined && max < min) return fail('min repeat greater than max repeat', at + 1);
    if (min > MAX_REPEAT || (max ?? 0) > MAX_REPEAT)
      return fail(`repeat counts above ${MAX_REPEAT} are not supported`, at + 1);
    const text = m[2] === undefined ? `{${min}}` : `{${min},${max ?? ''}}`;
    return this.quantifier(text, at, m[0].length);
  }

  private characterClass(): Failure | undefined {
    const start = this.i;
    this.emit('[', this.i + 1);
    if (this.pattern.charAt(this.i) === '^') this.emit('^', this.i + 1);
    // Python reads a `]` right after `[` or `[^` as a literal.
    if (this.pattern.charAt(this.i) === ']') this.emit('\\]', this.i + 1);
    let previousWasShorthand = false;
    while (this.i < this.pattern.length) {
      const c = this.pattern.charAt(this.i);
      if (c === ']') {
        this.emit(']', this.i + 1, 'item');
        return undefined;
      }
      if (c === '-' && this.i + 1 < this.pattern.length && this.pattern.charAt(this.i + 1) !== ']') {
        const next = this.pattern.slice(this.i + 1, this.i + 3);
        const shorthandAfter = next.charAt(0) === '\\' && CLASS_SHORTHANDS.has(next.charAt(1));
        if (previousWasShorthand || shorthandAfter) return fail('bad character range', this.i);
      }
      if (c === '\\') {
        const step = this.escape(true);
        if (!step.ok) return step;
        previousWasShorthand = CLASS_SHORTHANDS.has(this.pattern.charAt(this.i + 1));
        this.emit(step.text, step.next);
      } else {
        previousWasShorthand = false;
        // In RE2 `[[:alpha:]]` is a POSIX class; in Python, `[` in a class is a plain character.
        this.emit(c === '[' ? '\\[' : c, this.i + 1);
      }
    }
    return fail('unterminated character set', start);
  }

  private openGroup(): Failure | undefined {
    const at = this.i;
    if (this.pattern.charAt(at + 1) !== '?') {
      this.openGroups.push({ group: ++this.groupCount, at });
      this.emit('(', at + 1, 'nothing');
      return undefined;
    }
    const rest = this.pattern.slice(at + 2);
    const kind = rest.charAt(0);
    if (kind === 'P') {
      const named = /^P<([^>]*)>/.exec(rest);
      if (named) {
        const name = named[1] ?? '';
        if (!GROUP_NAME.test(name)) return fail(`bad character in group name '${name}'`, at + 4);
        if (this.groupNames.has(name)) return fail(`redefinition of group name '${name}'`, at + 4);
        this.groupNames.set(name, ++this.groupCount);
        this.openGroups.push({ group: this.groupCount, at });
        // Captures play no part in a filter: the group only groups.
        this.emit('(', at + 2 + named[0].length, 'nothing');
        return undefined;
      }
      const reference = /^P=([^)]*)\)/.exec(rest);
      if (reference) {
        const name = reference[1] ?? '';
        if (!this.closedNames.has(name)) return fail(`unknown group name '${name}'`, at);
        return fail(`backreferences (?P=${name}) are not supported: ${LINEAR_ENGINE}`, at);
      }
      return fail(`unknown extension ?P${rest.charAt(1)}`, at);
    }
    if (kind === ':') {
      this.openGroups.push({ group: 0, at });
      this.emit('(?:', at + 3, 'nothing');
      return undefined;
    }
    if (
      kind === '=' ||
      kind === '!' ||
      (kind === '<' && (rest.charAt(1) === '=' || rest.charAt(1) === '!'))
    ) {
      const assertion = kind === '<' ? `(?<${rest.charAt(1)}...)` : `(?${kind}...)`;
      return fail(`lookaround assertions ${assertion} are not supported: ${LINEAR_ENGINE}`, at);
    }
    if (kind === '<') return fail('named groups are written (?P<name>...)', at);
    if (kind === '#') {
      const end = this.pattern.indexOf(')', at);
      if (end < 0) return fail('missing ), unterminated comment', at);
      this.i = end + 1;
      return undefined;
    }
    if (kind === '>') return fail(`atomic groups (?>...) are not supported: ${LINEAR_ENGINE}`, at);
    if (kind === '(') return fail(`conditional groups (?(...)...) are not supported: ${LINEAR_ENGINE}`, at);
    return this.scopedFlags(at, rest);
  }

  /** `(?i:...)`, `(?-i:...)`, `(?s-m:...)`: RE2 has the same groups (a and u change nothing for ASCII names). */
  private scopedFlags(at: number, rest: string): Failure | undefined {
    const flags = INLINE_FLAGS.exec(rest);
    if (!flags || (flags[1] === '' && flags[2] === undefined)) {
      return fail(`unknown extension ?${rest.charAt(0)}`, at);
    }
    const on = flags[1] ?? '';
    const off = flags[2];
    if (/[^aiLmsux]/.test(on + (off ?? ''))) return fail('unknown flag', at + 2);
    if (off === '') return fail('missing flag', at + 3 + on.length);
    if (flags[3] === ')') {
      return fail(off === undefined ? 'global flags not at the start of the expression' : 'missing :', at);
    }
    if (/[x]/.test(on + (off ?? ''))) return fail('verbose mode (?x) is not supported', at);
    if (on.includes('L')) return fail("bad inline flag: cannot use 'L' flag with a str pattern", at);
    if (off !== undefined && /[aLu]/.test(off))
      return fail("bad inline flag: cannot turn off flags 'a', 'u' and 'L'", at);
    const keep = (set: string) => [...set].filter((flag) => 'ims'.includes(flag)).join('');
    const turnedOff = off === undefined ? '' : keep(off);
    const group = `(?${keep(on)}${turnedOff ? `-${turnedOff}` : ''}:`;
    this.openGroups.push({ group: 0, at });
    this.emit(group, at + 2 + flags[0].length, 'nothing');
    return undefined;
  }

  private escape(inClass: boolean): Step {
    const at = this.i;
    const d = this.pattern.charAt(at + 1);
    const next = at + 2;
    if (d === '') return fail('bad escape (end of pattern)', at);
    if (/[0-9]/.test(d)) return this.numericEscape(inClass);
    if (!/[A-Za-z]/.test(d)) {
      // RE2 takes an escaped ASCII punctuation character as itself; anything else is written as is.
      return { ok: true, text: /[!-/:-@[-`{-~]/.test(d) ? `\\${d}` : d, next };
    }
    if (ESCAPES_KEPT_AS_IS.has(d)) return { ok: true, text: `\\${d}`, next };
    switch (d) {
      case 'A':
        return inClass ? fail('bad escape \\A', at) : { ok: true, text: '\\A', next, assertion: true };
      case 'Z':
        return inClass ? fail('bad escape \\Z', at) : { ok: true, text: '\\z', next, assertion: true };
      case 'b':
        // In a class, Python's \b is the backspace character.
        return inClass
          ? { ok: true, text: '\\x{8}', next }
          : { ok: true, text: '\\b', next, assertion: true };
      case 'B':
        return inClass ? fail('bad escape \\B', at) : { ok: true, text: '\\B', next, assertion: true };
      case 'a':
        return { ok: true, text: '\\x{7}', next };
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return this.hexEscape(8);
      case 'N':
        return fail('\\N{...} escapes are not supported', at);
      default:
        return fail(`bad escape \\${d}`, at);
    }
  }

  /** Octal escapes and group references, told apart the way Python's parser does. */
  private numericEscape(inClass: boolean): Step {
    const at = this.i;
    const digits = /^\d{1,3}/.exec(this.pattern.slice(at + 1))?.[0] ?? '';
    const octal = /^(0[0-7]{0,2}|[0-7]{3})/.exec(digits)?.[0];
    if (octal !== undefined || inClass) {
      const text = octal ?? /^[0-7]{1,3}/.exec(digits)?.[0];
      if (text === undefined) return fail(`bad escape \\${digits.charAt(0)}`, at);
      const code = parseInt(text, 8);
      if (code > 0o377) return fail(`octal escape value \\${text} outside of range 0-0o377`, at);
      return { ok: true, text: `\\x{${code.toString(16)}}`, next: at + 1 + text.length };
    }
    const group = Number(digits.slice(0, 2));
    if (group > this.groupCount) return fail(`invalid group reference ${group}`, at);
    if (this.openGroups.some((open) => open.group === group))
      return fail('cannot refer to an open group', at);
    return fail(`backreferences (\\${group}) are not supported: ${LINEAR_ENGINE}`, at);
  }

  private hexEscape(digits: number): Step {
    const at = this.i;
    const hex = this.pattern.slice(at + 2, at + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
      return fail(`incomplete escape \\${this.pattern.charAt(at + 1)}${hex}`, at);
    }
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return fail(`bad escape \\${this.pattern.charAt(at + 1)}${hex}`, at);
    return { ok: true, text: `\\x{${code.toString(16)}}`, next: at + 2 + digits };
  }

  private rest(): string {
    return this.pattern.slice(this.i);
  }

  private emit(text: string, next: number, previous?: Previous): void {
    this.out += text;
    this.i = next;
    if (previous !== undefined) this.previous = previous;
  }
}

function fail(reason: string, position: number): Failure {
  return { ok: false, reason: `${reason} at position ${position}` };
}

/** RE2's "error parsing regexp: missing closing ]: `[a`" as "missing closing ] (`[a`)". */
function engineErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const found = /^error parsing regexp: ([^:]+)(?:: (.*))?$/s.exec(message);
  return found ? `${found[1]}${found[2] ? ` (${found[2]})` : ''}` : message;
}
