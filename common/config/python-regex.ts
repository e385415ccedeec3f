// Filter patterns are Python regular expressions (the official connector calls
// `re.match(pattern, name, re.IGNORECASE)`). This turns one into an equivalent JavaScript RegExp
// where the syntax or meaning differs, and refuses clearly what JavaScript cannot express, rather
// than silently matching something else: in JavaScript `\A` would match the letter A, `[]a]` is an
// empty class, `(?P<n>...)` is a syntax error and `\1` without a group is an octal escape.
//
// The RegExp is compiled without the `u` flag, whose grammar is stricter than Python's (Python
// allows `\-`, `\_`, a bare `{`). Classes such as \w stay ASCII, which is all Kinesis stream names
// can contain.

export type RegexCompilation = { ok: true; regex: RegExp } | { ok: false; reason: string };

type Failure = { ok: false; reason: string };
type Step = { ok: true; text: string; next: number } | Failure;

const LEADING_GLOBAL_FLAGS = /^\(\?([a-zA-Z]+)\)/;
const INLINE_FLAGS = /^([a-zA-Z]*)(?:-([a-zA-Z]+))?([:)])/;
const BRACED_QUANTIFIER = /^\{(\d*)(,(\d*))?\}/;
const CLASS_SHORTHANDS = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const ESCAPES_KEPT_AS_IS = new Set([...CLASS_SHORTHANDS, 'f', 'n', 'r', 't', 'v', 'b']);
// Python's `$` without MULTILINE also matches before a newline that ends the string.
const END_OF_STRING_OR_FINAL_NEWLINE = '(?=\\n?(?![\\s\\S]))';

/**
 * Compiles a Python pattern into a RegExp that matches at the start of the input only (sticky) and
 * ignores case: `regex.lastIndex = 0; regex.test(name)` is `re.match(pattern, name, re.I)`.
 */
export function compilePythonRegex(pattern: string): RegexCompilation {
  const translated = translatePythonRegex(pattern);
  if (!translated.ok) return translated;
  try {
    return { ok: true, regex: new RegExp(translated.source, translated.flags) };
  } catch (error) {
    const prefix = `Invalid regular expression: /${translated.source}/${translated.flags}: `;
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
    return { ok: false, reason: reason.charAt(0).toLowerCase() + reason.slice(1) };
  }
}

export function translatePythonRegex(pattern: string): { ok: true; source: string; flags: string } | Failure {
  return new Translator(pattern).run();
}

class Translator {
  private readonly flags = new Set(['i', 'y']);
  private out = '';
  private i = 0;
  private afterQuantifier = false;
  // Capturing groups: how many were opened so far, which are still open, and their names.
  private groupCount = 0;
  private readonly openGroups: number[] = [];
  private readonly closedNames = new Set<string>();
  private readonly groupNames = new Map<number, string>();

  constructor(private readonly pattern: string) {}

  run(): { ok: true; source: string; flags: string } | Failure {
    const leading = this.leadingFlags();
    if (leading !== undefined) return leading;
    while (this.i < this.pattern.length) {
      const failure = this.pattern.charAt(this.i) === '[' ? this.characterClass() : this.atom();
      if (failure !== undefined) return failure;
    }
    return { ok: true, source: this.out, flags: [...this.flags].sort().join('') };
  }

  /** Python 3.11+ accepts global inline flags such as `(?i)` only at the very start. */
  private leadingFlags(): Failure | undefined {
    for (let m = LEADING_GLOBAL_FLAGS.exec(this.pattern); m; m = LEADING_GLOBAL_FLAGS.exec(this.rest())) {
      for (const flag of m[1] ?? '') {
        if (flag === 'm' || flag === 's') this.flags.add(flag);
        else if (flag === 'x') return fail('verbose mode (?x) is not supported', this.i);
        else if (flag !== 'i' && flag !== 'a' && flag !== 'u')
          return fail(`unsupported inline flag '${flag}'`, this.i);
      }
      this.i += m[0].length;
    }
    return undefined;
  }

  private atom(): Failure | undefined {
    const c = this.pattern.charAt(this.i);
    let quantifier = false;
    if (c === '\\') {
      const step = this.escape(false);
      if (!step.ok) return step;
      this.emit(step.text, step.next);
    } else if (c === '(') {
      const failure = this.openGroup();
      if (failure !== undefined) return failure;
    } else if (c === ')') {
      const closed = this.openGroups.pop();
      if (closed !== undefined && closed > 0) {
        const name = this.groupNames.get(closed);
        if (name !== undefined) this.closedNames.add(name);
      }
      this.emit(')', this.i + 1);
    } else if (c === '*' || c === '+' || c === '?') {
      if (this.afterQuantifier && c === '+') return fail('possessive quantifiers are not supported', this.i);
      // `*?` is lazy; anything stacked after that is left for RegExp to reject.
      quantifier = !(this.afterQuantifier && c === '?');
      this.emit(c, this.i + 1);
    } else if (c === '{') {
      const m = BRACED_QUANTIFIER.exec(this.rest());
      if (m && (m[1] !== '' || m[2] !== undefined)) {
        // Python reads `{,n}` as `{0,n}`; JavaScript would read it as literal text.
        const min = m[1] === '' ? '0' : (m[1] ?? '0');
        this.emit(m[2] === undefined ? `{${min}}` : `{${min},${m[3] ?? ''}}`, this.i + m[0].length);
        quantifier = true;
      } else {
        this.emit('\\{', this.i + 1);
      }
    } else if (c === '}') {
      this.emit('\\}', this.i + 1);
    } else if (c === '$') {
      this.emit(this.flags.has('m') ? '$' : END_OF_STRING_OR_FINAL_NEWLINE, this.i + 1);
    } else if (c === '.') {
      // JavaScript's `.` also refuses \r and the Unicode line separators; Python's only \n.
      this.emit(this.flags.has('s') ? '.' : '[^\\n]', this.i + 1);
    } else {
      this.emit(c, this.i + 1);
    }
    this.afterQuantifier = quantifier;
    return undefined;
  }

  private characterClass(): Failure | undefined {
    const start = this.i;
    this.emit('[', this.i + 1);
    if (this.pattern.charAt(this.i) === '^') this.emit('^', this.i + 1);
    // Python reads a `]` right after `[` or `[^` as a literal; JavaScript as the end of the class.
    if (this.pattern.charAt(this.i) === ']') this.emit('\\]', this.i + 1);
    let previousWasShorthand = false;
    while (this.i < this.pattern.length) {
      const c = this.pattern.charAt(this.i);
      if (c === ']') {
        this.emit(']', this.i + 1);
        this.afterQuantifier = false;
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
        this.emit(c, this.i + 1);
      }
    }
    return fail('unterminated character set', start);
  }

  private openGroup(): Failure | undefined {
    const at = this.i;
    if (this.pattern.charAt(at + 1) !== '?') {
      this.openGroups.push(++this.groupCount);
      this.emit('(', at + 1);
      return undefined;
    }
    const rest = this.pattern.slice(at + 2);
    const kind = rest.charAt(0);
    if (kind === 'P') {
      const named = /^P<([^>]*)>/.exec(rest);
      if (named) {
        const name = named[1] ?? '';
        this.openGroups.push(++this.groupCount);
        this.groupNames.set(this.groupCount, name);
        this.emit(`(?<${name}>`, at + 2 + named[0].length);
        return undefined;
      }
      const reference = /^P=([^)]*)\)/.exec(rest);
      if (reference) {
        const name = reference[1] ?? '';
        if (!this.closedNames.has(name)) return fail(`unknown group name '${name}'`, at);
        this.emit(`\\k<${name}>`, at + 2 + reference[0].length);
        return undefined;
      }
      return fail(`unknown extension ?P${rest.charAt(1)}`, at);
    }
    if (kind === ':' || kind === '=' || kind === '!') {
      this.openGroups.push(0);
      this.emit(`(?${kind}`, at + 3);
      return undefined;
    }
    if (kind === '<') {
      const look = rest.charAt(1);
      if (look !== '=' && look !== '!') return fail('named groups are written (?P<name>...)', at);
      this.openGroups.push(0);
      this.emit(`(?<${look}`, at + 4);
      return undefined;
    }
    if (kind === '#') {
      const end = this.pattern.indexOf(')', at);
      if (end < 0) return fail('missing ), unterminated comment', at);
      this.i = end + 1;
      return undefined;
    }
    if (kind === '>') return fail('atomic groups (?>...) are not supported', at);
    if (kind === '(') return fail('conditional groups (?(...)...) are not supported', at);
    const flags = INLINE_FLAGS.exec(rest);
    if (flags && (flags[1] !== '' || flags[2] !== undefined)) {
      if (/[^aiLmsux]/.test((flags[1] ?? '') + (flags[2] ?? ''))) return fail('unknown flag', at);
      if (flags[3] === ')') {
        return fail(
          flags[2] === undefined ? 'global flags not at the start of the expression' : 'missing :',
          at,
        );
      }
      const turnedOn = flags[1] ?? '';
      if (flags[2] === undefined && [...turnedOn].every((flag) => 'iau'.includes(flag))) {
        // Case is ignored for the whole pattern already; a and u change nothing for ASCII names.
        this.openGroups.push(0);
        this.emit('(?:', at + 2 + flags[0].length);
        return undefined;
      }
      return fail(`scoped inline flags (?${flags[0]}...) are not supported`, at);
    }
    return fail(`unknown extension ?${kind}`, at);
  }

  private escape(inClass: boolean): Step {
    const at = this.i;
    const d = this.pattern.charAt(at + 1);
    const next = at + 2;
    if (d === '') return fail('bad escape (end of pattern)', at);
    if (/[0-9]/.test(d)) return this.numericEscape(inClass);
    if (!/[A-Za-z]/.test(d) || ESCAPES_KEPT_AS_IS.has(d)) return { ok: true, text: `\\${d}`, next };
    switch (d) {
      case 'A':
        return inClass ? fail('bad escape \\A', at) : { ok: true, text: '(?<![\\s\\S])', next };
      case 'Z':
        return inClass ? fail('bad escape \\Z', at) : { ok: true, text: '(?![\\s\\S])', next };
      case 'B':
        return inClass ? fail('bad escape \\B', at) : { ok: true, text: '\\B', next };
      case 'a':
        return { ok: true, text: '\\x07', next };
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return fail('\\U escapes are not supported', at);
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
      return { ok: true, text: `\\x${code.toString(16).padStart(2, '0')}`, next: at + 1 + text.length };
    }
    const reference = digits.slice(0, 2);
    const group = Number(reference);
    if (group > this.groupCount) return fail(`invalid group reference ${group}`, at);
    if (this.openGroups.includes(group)) return fail('cannot refer to an open group', at);
    // Wrapped, so that a digit after the reference is not read into it.
    return { ok: true, text: `(?:\\${group})`, next: at + 1 + reference.length };
  }

  private hexEscape(digits: number): Step {
    const at = this.i;
    const hex = this.pattern.slice(at + 2, at + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
      return fail(`incomplete escape \\${this.pattern.charAt(at + 1)}${hex}`, at);
    }
    return { ok: true, text: this.pattern.slice(at, at + 2 + digits), next: at + 2 + digits };
  }

  private rest(): string {
    return this.pattern.slice(this.i);
  }

  private emit(text: string, next: number): void {
    this.out += text;
    this.i = next;
  }
}

function fail(reason: string, position: number): Failure {
  return { ok: false, reason: `${reason} at position ${position}` };
}
