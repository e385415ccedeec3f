import { parse as parseYaml } from 'yaml';
import {
  expandEnvironmentVariables,
  parseIngestionConfig,
  type ConfigIssue,
  type IngestionConfig,
} from '../common/config/index.js';
import type { IngestionRunInput, IngestionRunOptions } from '../common/run-input.js';
import { sealSecret } from '../common/sealed-secrets.js';
import { environmentReference } from '../common/secret-references.js';

/** YAML paths whose values must never reach Temporal history in plaintext. */
export const SECRET_PATHS = [
  ['source', 'serviceConnection', 'config', 'awsConfig', 'awsSecretAccessKey'],
  ['source', 'serviceConnection', 'config', 'awsConfig', 'awsSessionToken'],
  ['workflowConfig', 'openMetadataServerConfig', 'securityConfig', 'jwtToken'],
] as const;

export interface RunInputResult {
  input?: IngestionRunInput;
  config?: IngestionConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Builds the workflow input from the YAML a user gives `metadata ingest`: validated like the
 * official loader (environment expanded), then every secret made safe for history. With a
 * sealing key, secrets are sealed for the workers; without one, a secret must be an
 * environment variable reference, which is passed on for the workers to resolve.
 */
export function buildRunInput(
  text: string,
  options: {
    env: Record<string, string | undefined>;
    sealingKey?: Buffer;
    runOptions?: IngestionRunOptions;
    fileName?: string;
  },
): RunInputResult {
  const parsed = parseIngestionConfig(text, {
    env: options.env,
    ...(options.fileName ? { fileName: options.fileName } : {}),
  });
  if (!parsed.config || parsed.errors.length > 0) return { errors: parsed.errors, warnings: parsed.warnings };
  const document = parseYaml(expandEnvironmentVariables(text, options.env)) as Record<string, unknown>;
  const raw = parseYaml(text) as Record<string, unknown>;
  const errors: ConfigIssue[] = [];
  for (const path of SECRET_PATHS) {
    const value = valueAt(document, path);
    if (typeof value !== 'string' || value === '') continue;
    const rawValue = valueAt(raw, path);
    if (options.sealingKey) {
      setValueAt(document, path, sealSecret(value, options.sealingKey));
    } else if (typeof rawValue === 'string' && environmentReference(rawValue) !== undefined) {
      setValueAt(document, path, rawValue);
    } else {
      errors.push({
        path: path.join('.'),
        message:
          'a literal secret would be stored in Temporal history: write it as an environment variable reference the workers can resolve (${NAME}), or set OM_KINESIS_SECRETS_KEY for the CLI and every worker so that it is sealed',
      });
    }
  }
  if (errors.length > 0) return { errors, warnings: parsed.warnings };
  const input: IngestionRunInput = {
    config: document,
    ...(options.runOptions ? { options: options.runOptions } : {}),
  };
  return { input, config: parsed.config, errors: [], warnings: parsed.warnings };
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
