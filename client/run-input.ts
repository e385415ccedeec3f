import { isAbsolute } from 'node:path';
import {
  expandEnvironmentVariables,
  parseIngestionConfig,
  type ConfigIssue,
  type IngestionConfig,
} from '../common/config/index.js';
import type { IngestionRunInput, IngestionRunOptions } from '../common/run-input.js';
import { parseYamlText } from '../common/config/yaml-document.js';
import { sealSecret, type SecretsKey } from '../common/sealed-secrets.js';
import { sealingContext, secretPathsIn, valueAt } from '../common/secret-fields.js';
import { environmentReference, SECRETS_KEY_ENV } from '../common/secret-references.js';

export interface RunInputResult {
  input?: IngestionRunInput;
  config?: IngestionConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** Variables secrets refer to that are not set here, for the workers to have (cluster runs). */
  workerVariables: string[];
}

/**
 * Builds the workflow input from the YAML a user gives `metadata ingest`: validated like the
 * official loader (environment expanded), then every secret of the document made safe for
 * history (see common/secret-fields.ts). With a sealing key, secrets are sealed for the
 * workers, bound to their field and to what they are sent with; without one, a secret must be
 * an environment variable reference, passed on for the workers to resolve. A secret whose
 * variable is not set here is an error when it must be sealed here (a local run, or a key is
 * set), and otherwise a variable every worker must have.
 */
export function buildRunInput(
  text: string,
  options: {
    env: Record<string, string | undefined>;
    sealingKey?: SecretsKey;
    runOptions?: IngestionRunOptions;
    fileName?: string;
    /** The run is local: the CLI's process is the worker. */
    local?: boolean;
  },
): RunInputResult {
  const parsed = parseIngestionConfig(text, {
    env: options.env,
    ...(options.fileName ? { fileName: options.fileName } : {}),
  });
  // A config that fails its schema is still checked for its secrets, so that one pass names
  // every error; nothing is sealed for it, as no run input is built.
  const config = parsed.errors.length > 0 ? undefined : parsed.config;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Parsed as the validator parsed it (YAML 1.1, like the official loader).
  const document = yamlDocument(expandEnvironmentVariables(source, options.env));
  const raw = yamlDocument(source);
  const errors: ConfigIssue[] = [];
  const workerVariables = new Set<string>();
  const added: ConfigIssue[] = [];
  // Secrets whose unset variable is dealt with below, more precisely than the loader's warning.
  const handled = new Set<string>();

  for (const { path, literal } of secretPathsIn(document)) {
    const value = valueAt(document, path);
    if (typeof value !== 'string' || value === '') continue;
    const field = path.join('.');
    const rawValue = valueAt(raw, path);
    const variable = typeof rawValue === 'string' ? environmentReference(rawValue) : undefined;
    if (variable !== undefined && options.env[variable] === undefined) {
      handled.add(field);
      if (options.sealingKey) {
        // The value is needed here, to seal it: `${NAME}` itself is no secret.
        errors.push({
          path: field,
          message: `refers to the environment variable ${variable}, which is not set: set it (${
            options.local
              ? 'a local run reads its secrets here'
              : `${SECRETS_KEY_ENV} is set, so secrets are sealed here`
          })`,
        });
      } else {
        workerVariables.add(variable);
        setValueAt(document, path, rawValue);
      }
      continue;
    }
    if (options.sealingKey) {
      if (config)
        setValueAt(document, path, sealSecret(value, options.sealingKey, sealingContext(field, config)));
    } else if (variable !== undefined) {
      setValueAt(document, path, rawValue);
    } else if (literal === 'keep') {
      added.push({
        path: field,
        message: `stored in Temporal history as written: if it is a secret, write it as \${NAME} or set ${SECRETS_KEY_ENV} so that it is sealed`,
      });
    } else if (!(literal === 'refuse-unless-path' && isAbsolute(value))) {
      errors.push({
        path: field,
        message: `a literal secret would be stored in Temporal history: write it as an environment variable reference the workers can resolve (\${NAME}), or set ${SECRETS_KEY_ENV} for the CLI and every worker so that it is sealed`,
      });
    }
  }
  const warnings = [...parsed.warnings.filter((warning) => !handled.has(warning.path)), ...added];
  if (!config || errors.length > 0)
    return { errors: [...parsed.errors, ...errors], warnings, workerVariables: [] };
  const input: IngestionRunInput = {
    config: document,
    ...(options.runOptions ? { options: options.runOptions } : {}),
  };
  return { input, config, errors: [], warnings, workerVariables: [...workerVariables] };
}

function yamlDocument(text: string): Record<string, unknown> {
  const parsed = parseYamlText(text);
  return (parsed.ok ? parsed.document : {}) as Record<string, unknown>;
}

function setValueAt(document: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current: Record<string, unknown> = document;
  for (const key of path.slice(0, -1)) current = current[key] as Record<string, unknown>;
  current[path[path.length - 1] as string] = value;
}
