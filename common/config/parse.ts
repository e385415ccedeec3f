import { secretPathsIn } from '../secret-fields.js';
import {
  containsReferenceTo,
  expandEnvironmentVariablesWithReport,
  substitutedVariables,
} from './env-expansion.js';
import { InvalidIngestionConfigError } from './errors.js';
import { formatPath, issueAt, issuesFromZod, sortByDocumentOrder, valueAtIssuePath } from './issues.js';
import type { IssuePath } from './issues.js';
import { normalizeIngestionConfig } from './normalize.js';
import { AWS_CONFIG_PATH, checkCrossFieldRules, isRecord, SERVER_CONFIG_PATH } from './rules.js';
import { workflowDocumentSchema } from './schema.js';
import type { ConfigIssue, ConfigResult, Environment, IngestionConfig } from './types.js';
import { parseYamlText } from './yaml-document.js';

// The config pipeline, pure: text -> environment expansion -> YAML -> schema -> cross-field rules
// -> normalized config, collecting every error and warning on the way. Nothing here throws for bad
// input; only requireIngestionConfig turns errors into an exception, for callers that want one.

/** Dotted paths, in the YAML, of the values that are secrets: never log or echo them. */
export const SECRET_CONFIG_PATHS: readonly string[] = [
  formatPath([...AWS_CONFIG_PATH, 'awsSecretAccessKey']),
  formatPath([...AWS_CONFIG_PATH, 'awsSessionToken']),
  formatPath([...SERVER_CONFIG_PATH, 'securityConfig', 'jwtToken']),
  formatPath([...SERVER_CONFIG_PATH, 'sslConfig', 'sslKey']),
];

export const MAX_CONFIG_BYTES = 1024 * 1024;

const EXPECTED_TOP_LEVEL = 'a mapping with source, sink and workflowConfig';

export interface ParseOptions {
  /** Variables for `$VAR` / `${VAR}` expansion; defaults to the process environment. */
  env?: Environment;
  /** Named in whole-file messages (YAML syntax errors, empty file). */
  fileName?: string;
}

export function parseIngestionConfig(text: string, options: ParseOptions = {}): ConfigResult {
  const subject = options.fileName ?? 'The config';
  const size = utf8Length(text);
  if (size > MAX_CONFIG_BYTES) {
    return failure(
      `${subject} is larger than 1 MiB (${size} bytes): an ingestion config is a small YAML file`,
    );
  }
  if (text.includes('\u0000'))
    return failure(`${subject} contains binary data (NUL bytes): expected YAML text`);

  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const expansion = expandEnvironmentVariablesWithReport(withoutBom, options.env ?? processEnvironment());
  const yaml = parseYamlText(expansion.text, options.fileName);
  if (!yaml.ok) return { errors: yaml.errors, warnings: [] };
  if (yaml.document === null || yaml.document === undefined) {
    return failure(`${subject} is empty: expected ${EXPECTED_TOP_LEVEL}`);
  }
  const validated = validateIngestionConfigObject(yaml.document);
  const result = {
    ...validated,
    errors: naming(validated.errors, withoutBom, options.env ?? processEnvironment()),
  };
  const unset = unsetVariableWarnings(yaml.document, expansion.unsetVariables);
  const warnings = sortByDocumentOrder([...yaml.warnings, ...unset, ...result.warnings], yaml.document);
  const keyErrors = referencesTo(yaml.document, expansion.sealingKeyVariables).map(({ path, names }) => ({
    path,
    message: `Refers to ${names.join(', ')}, the key that seals secrets: it is never put into a config (a config is stored in Temporal history and sent to servers)`,
  }));
  if (keyErrors.length > 0) {
    return { errors: sortByDocumentOrder([...keyErrors, ...result.errors], yaml.document), warnings };
  }
  return { ...result, warnings };
}

/** The same rules on an already-parsed document (e.g. JSON workflow input); no environment expansion. */
export function validateIngestionConfigObject(document: unknown): ConfigResult {
  if (document === null || document === undefined)
    return failure(`The config is empty: expected ${EXPECTED_TOP_LEVEL}`);
  if (!isRecord(document)) {
    return failure(`Expected ${EXPECTED_TOP_LEVEL} at the top level, received ${topLevelTypeName(document)}`);
  }
  const parsed = workflowDocumentSchema.safeParse(document);
  const schemaErrors = parsed.success
    ? []
    : issuesFromZod(parsed.error.issues, document, workflowDocumentSchema);
  const rules = checkCrossFieldRules(document);
  const found = withoutConsequentialIssues([...schemaErrors, ...rules.errors], rules.warnings);
  const errors = sortByDocumentOrder(found.errors, document);
  const warnings = sortByDocumentOrder(found.warnings, document);
  if (!parsed.success || errors.length > 0) return { errors, warnings };
  return { config: normalizeIngestionConfig(parsed.data), errors: [], warnings };
}

/** The config of a valid result; throws InvalidIngestionConfigError listing the errors otherwise. */
export function requireIngestionConfig(result: ConfigResult, source?: string): IngestionConfig {
  if (result.config !== undefined && result.errors.length === 0) return result.config;
  throw new InvalidIngestionConfigError(result.errors, source);
}

// When a discriminating key is wrong (another connector's connection, another pipeline type, an
// unsupported auth provider), what lies under it was written for something else: reporting each of
// its keys would bury the one error that matters.
const CONSEQUENCES: readonly { cause: string; under: string }[] = [
  { cause: 'source.serviceConnection.config.type', under: 'source.serviceConnection.config.' },
  { cause: 'source.sourceConfig.config.type', under: 'source.sourceConfig.config.' },
  {
    cause: 'workflowConfig.openMetadataServerConfig.authProvider',
    under: 'workflowConfig.openMetadataServerConfig.securityConfig',
  },
];

function withoutConsequentialIssues(
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const hidden = CONSEQUENCES.filter(({ cause }) => errors.some((error) => error.path === cause));
  const keep = (issue: ConfigIssue) =>
    !hidden.some(({ cause, under }) => issue.path !== cause && issue.path.startsWith(under));
  return { errors: errors.filter(keep), warnings: warnings.filter(keep) };
}

function unsetVariableWarnings(document: unknown, unsetVariables: readonly string[]): ConfigIssue[] {
  return referencesTo(document, unsetVariables).map(({ path, names }) =>
    // In a secret the "reference" may be part of the secret itself: do not repeat it.
    SECRET_CONFIG_PATHS.includes(path)
      ? {
          path,
          message: 'References an environment variable that is not set: the reference is kept as written',
        }
      : {
          path,
          message: `Environment variable ${names.join(', ')} is not set: ${names.length === 1 ? 'its reference is' : 'their references are'} kept as written`,
        },
  );
}

/** The string values of the document that refer to any of `variables`, with the names each refers to. */
function referencesTo(
  document: unknown,
  variables: readonly string[],
): Array<{ path: string; names: string[] }> {
  if (variables.length === 0) return [];
  const found: Array<{ path: string; names: string[] }> = [];
  // YAML anchors can make a document refer to itself.
  const visited = new WeakSet<object>();
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (typeof value === 'object' && value !== null) {
      if (visited.has(value)) return;
      visited.add(value);
    }
    if (typeof value === 'string') {
      const names = variables.filter((name) => containsReferenceTo(value, name));
      if (names.length > 0) found.push({ path: formatPath(path), names });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(document, []);
  return found;
}

function failure(message: string, path: IssuePath = []): ConfigResult {
  return { errors: [issueAt(path, message)], warnings: [] };
}

function topLevelTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'string' ? 'a plain string' : `a ${typeof value}`;
}

function processEnvironment(): Environment {
  // Guarded: this module is pure and may be loaded where `process` does not exist.
  return typeof process === 'undefined' ? {} : process.env;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Variables are put into the YAML text before it is read, as OpenMetadata's loader does: a
 * value `${FLAG}` whose variable holds `yes` reads as a boolean, an empty one as null. A type
 * error on such a value says which variable it came from and how to keep it text. Only names
 * of variables that were set are said, never a value, and nothing of a secret field or a URL.
 */
function naming(errors: ConfigIssue[], text: string, env: Record<string, string | undefined>): ConfigIssue[] {
  if (errors.length === 0) return errors;
  const raw = parseYamlText(text);
  if (!raw.ok) return errors;
  const secretPaths = new Set(secretPathsIn(raw.document).map(({ path }) => path.join('.')));
  return errors.map((issue) => {
    if (!/^Expected .+, received /.test(issue.message)) return issue;
    if (secretPaths.has(issue.path) || /(hostPort|URL)$/.test(issue.path)) return issue;
    const written = valueAtIssuePath(raw.document, issue.path);
    if (typeof written !== 'string') return issue;
    const names = substitutedVariables(written, env);
    if (names.length === 0) return issue;
    const empty = names.filter((name) => env[name] === '');
    const why =
      empty.length > 0
        ? `${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} set but empty here`
        : `the value of ${names.join(', ')} is read as YAML where it stands`;
    return {
      ...issue,
      message: `${issue.message} (its value comes from \${${names.join('}, ${')}}: ${why}; to keep it text, put the value in quotes in the file, e.g. "\${${names[0]}}")`,
    };
  });
}
