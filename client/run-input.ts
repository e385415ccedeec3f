import { isAbsolute } from 'node:path';
import {
  expandEnvironmentVariables,
  parseIngestionConfig,
  type ConfigIssue,
  type IngestionConfig,
} from '../common/config/index.js';
import type { IngestionRunInput, IngestionRunOptions } from '../common/run-input.js';
import { parseYamlText } from '../common/config/yaml-document.js';
import { SECRETS_KEY_ENV, sealSecret, secretBinding } from '../common/sealed-secrets.js';
import { environmentReference } from '../common/secret-references.js';

/** YAML paths of secrets that must never reach Temporal history in plaintext. */
const AWS_SECRET_PATHS = [
  ['source', 'serviceConnection', 'config', 'awsConfig', 'awsSecretAccessKey'],
  ['source', 'serviceConnection', 'config', 'awsConfig', 'awsSessionToken'],
] as const;
const TOKEN_PATH = ['workflowConfig', 'openMetadataServerConfig', 'securityConfig', 'jwtToken'] as const;
const HEADERS_PATH = ['workflowConfig', 'openMetadataServerConfig', 'extraHeaders'] as const;

export interface RunInputResult {
  input?: IngestionRunInput;
  config?: IngestionConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /**
   * Variables that secrets refer to, passed on for the workers to resolve, and not set here:
   * every worker must have them (a worker without one fails the run at once, naming it).
   */
  workerVariables: string[];
}

/**
 * Builds the workflow input from the YAML a user gives `metadata ingest`: validated like the
 * official loader (environment expanded), then every secret made safe for history. With a
 * sealing key, secrets are sealed for the workers (bound to their field, and the token and
 * headers to the OpenMetadata server); without one, a secret must be an environment variable
 * reference, which is passed on for the workers to resolve.
 */
export function buildRunInput(
  text: string,
  options: {
    env: Record<string, string | undefined>;
    sealingKey?: Buffer;
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
  if (!parsed.config || parsed.errors.length > 0)
    return { errors: parsed.errors, warnings: parsed.warnings, workerVariables: [] };
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Parsed as the validator parsed it (YAML 1.1, like the official loader).
  const document = yamlDocument(expandEnvironmentVariables(source, options.env));
  const raw = yamlDocument(source);
  const server = parsed.config.openMetadata.hostPort;
  const errors: ConfigIssue[] = [];
  const workerVariables = new Set<string>();
  const added: ConfigIssue[] = [];
  // Secrets whose unset variable is dealt with below, more precisely than the loader's warning.
  const handled = new Set<string>();

  const protect = (
    path: readonly string[],
    boundTo: string,
    literal: 'refuse' | 'keep' | 'keep-if-path',
  ): void => {
    const value = valueAt(document, path);
    if (typeof value !== 'string' || value === '') return;
    const rawValue = valueAt(raw, path);
    const variable = typeof rawValue === 'string' ? environmentReference(rawValue) : undefined;
    if (variable !== undefined && options.env[variable] === undefined) {
      handled.add(path.join('.'));
      if (options.sealingKey) {
        // The value is needed here, to seal it: `${NAME}` itself is no secret.
        errors.push({
          path: path.join('.'),
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
      return;
    }
    if (options.sealingKey) {
      setValueAt(document, path, sealSecret(value, options.sealingKey, boundTo));
    } else if (typeof rawValue === 'string' && environmentReference(rawValue) !== undefined) {
      setValueAt(document, path, rawValue);
    } else if (literal === 'keep' || (literal === 'keep-if-path' && isAbsolute(value))) {
      if (literal === 'keep') {
        added.push({
          path: path.join('.'),
          message:
            'stored in Temporal history as written: if it is a secret, write it as ${NAME} or set OM_KINESIS_SECRETS_KEY so that it is sealed',
        });
      }
    } else {
      errors.push({
        path: path.join('.'),
        message:
          'a literal secret would be stored in Temporal history: write it as an environment variable reference the workers can resolve (${NAME}), or set OM_KINESIS_SECRETS_KEY for the CLI and every worker so that it is sealed',
      });
    }
  };

  for (const path of AWS_SECRET_PATHS) protect(path, path.join('.'), 'refuse');
  // A token may also be the absolute path of a file holding it, on the workers.
  protect(TOKEN_PATH, secretBinding(TOKEN_PATH.join('.'), server), 'keep-if-path');
  const headers = valueAt(document, HEADERS_PATH);
  if (headers && typeof headers === 'object') {
    for (const name of Object.keys(headers)) {
      const path = [...HEADERS_PATH, name];
      protect(path, secretBinding(path.join('.'), server), 'keep');
    }
  }
  const warnings = [...parsed.warnings.filter((warning) => !handled.has(warning.path)), ...added];
  if (errors.length > 0) return { errors, warnings, workerVariables: [] };
  const input: IngestionRunInput = {
    config: document,
    ...(options.runOptions ? { options: options.runOptions } : {}),
  };
  return { input, config: parsed.config, errors: [], warnings, workerVariables: [...workerVariables] };
}

function yamlDocument(text: string): Record<string, unknown> {
  const parsed = parseYamlText(text);
  return (parsed.ok ? parsed.document : {}) as Record<string, unknown>;
}

function valueAt(document: unknown, path: readonly string[]): unknown {
  let current = document;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function setValueAt(document: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current: Record<string, unknown> = document;
  for (const key of path.slice(0, -1)) current = current[key] as Record<string, unknown>;
  current[path[path.length - 1] as string] = value;
}
