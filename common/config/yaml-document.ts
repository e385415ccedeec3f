import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';

import { issueAt } from './issues.js';
import type { ConfigIssue } from './types.js';

// YAML text -> plain data, read the way the official loader (PyYAML safe_load) reads it: YAML 1.1
// scalars (yes/no/on/off are booleans, 0777 is octal), merge keys, and a repeated key silently
// keeps its last value (reported here as a warning). Unknown tags, which safe_load refuses, are
// errors.

export type YamlParseOutcome =
  { ok: true; document: unknown; warnings: ConfigIssue[] } | { ok: false; errors: ConfigIssue[] };

const MAX_ALIAS_EXPANSIONS = 100;

export function parseYamlText(text: string, fileName?: string): YamlParseOutcome {
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, {
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  const where = fileName === undefined ? '' : ` in ${fileName}`;
  const problems = [...parsed.errors, ...parsed.warnings].map((problem) => {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    const reason =
      problem.code === 'MULTIPLE_DOCS'
        ? 'A config holds one YAML document, this has several'
        : problem.message;
    return issueAt([], `Invalid YAML${where} at line ${line}, column ${col}: ${reason}`);
  });
  if (problems.length > 0) return { ok: false, errors: problems };

  let document: unknown;
  try {
    document = parsed.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [issueAt([], `Invalid YAML${where}: ${reason}`)] };
  }
  return { ok: true, document, warnings: duplicateKeyWarnings(parsed.contents, lineCounter) };
}

function duplicateKeyWarnings(root: Node | null, lineCounter: LineCounter): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key !== '<<' && seen.has(key)) {
          const line = pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
          const at = line === undefined ? '' : ` (again at line ${line})`;
          warnings.push(issueAt([...path, key], `Duplicate key${at}: the last value is used`));
        }
        seen.add(key);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(root, []);
  return warnings;
}
