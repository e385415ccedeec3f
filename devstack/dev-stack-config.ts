// temporal-dev.yaml: the local development stack's ports, namespace and persistence.
// Pipeline: read -> YAML parse -> schema (defaults, unknown keys rejected) -> paths resolved.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { projectRoot } from '../client/local-temporal/temporal-cli.js';

/** Thrown when temporal-dev.yaml cannot be read, is not YAML, or does not match the schema. */
export class DevStackConfigError extends Error {
  readonly code = 'DEV_STACK_CONFIG_INVALID';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DevStackConfigError';
  }
}

const port = z.int().min(1).max(65535);
const searchAttributeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier');
const searchAttributeType = z.enum(['Keyword', 'Text', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList']);

const devStackConfigSchema = z.strictObject({
  temporal: z
    .strictObject({
      ip: z.string().min(1).default('127.0.0.1'),
      port: port.default(7233),
      uiPort: port.default(8233),
      ui: z.boolean().default(true),
      namespace: z.string().min(1).default('default'),
      dbFilename: z.string().min(1).default('.devstack/temporal.db'),
      logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
      searchAttributes: z.record(searchAttributeName, searchAttributeType).default({}),
    })
    .prefault({}),
  kinesisLocal: z
    .strictObject({
      port: port.default(4568),
      region: z.string().min(1).default('us-east-1'),
    })
    .prefault({}),
  openMetadata: z
    .strictObject({
      port: port.default(8585),
      jwtToken: z.string().min(1).optional(),
    })
    .prefault({}),
  taskQueue: z.string().min(1).default('om-kinesis'),
});

export type DevStackConfig = z.output<typeof devStackConfigSchema>;

/** Where `npm run temporal:dev` reads its configuration from. */
export function defaultDevStackConfigPath(): string {
  return path.join(projectRoot(), 'temporal-dev.yaml');
}

/** Reads and validates the file; relative paths in it are resolved against its directory. */
export function loadDevStackConfig(file = defaultDevStackConfigPath()): DevStackConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DevStackConfigError(`${file}: cannot be read (${(cause as Error).message}).`, [], { cause });
  }
  return parseDevStackConfig(text, { source: file, baseDir: path.dirname(file) });
}

/** Parses YAML text; `source` names it in error messages. */
export function parseDevStackConfig(
  text: string,
  options: { source: string; baseDir: string },
): DevStackConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new DevStackConfigError(`${options.source}: not valid YAML: ${(cause as Error).message}`, [], {
      cause,
    });
  }
  const result = devStackConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw new DevStackConfigError(`${options.source}: invalid\n  ${problems.join('\n  ')}`, problems);
  }
  const config = result.data;
  config.temporal.dbFilename = path.resolve(options.baseDir, config.temporal.dbFilename);
  return config;
}
