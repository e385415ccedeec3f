// Where the embedded mode's Temporal CLI comes from. The order is part of the documented contract:
//   (1) env TEMPORAL_CLI_PATH, (2) `temporal` on PATH, (3) the project's tools folder,
//   .tools/venv/bin/temporal then .tools/bin/temporal (`npm run tools` installs them).
// An env var that is set but points at nothing is an error, never silently skipped.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ToolSource = 'env' | 'path' | 'tools';

export interface ResolvedTool {
  path: string;
  source: ToolSource;
}

export interface ToolLookupOptions {
  /** Environment to read the override and PATH from (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Project root holding `.tools/` (default: {@link projectRoot}). */
  projectRoot?: string;
}

const INSTALL_HINT = 'Run `npm run tools` (or `bash scripts/install-tools.sh`)';

/** Thrown when no Temporal CLI binary can be found, or TEMPORAL_CLI_PATH points at nothing. */
export class TemporalCliNotFoundError extends Error {
  readonly code = 'TEMPORAL_CLI_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'TemporalCliNotFoundError';
  }
}

/** The project (or installed package) root: this file runs compiled from dist/client/local-temporal/. */
export function projectRoot(): string {
  return path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
}

/** Finds the Temporal CLI (see the order at the top of this file). */
export function resolveTemporalCli(options: ToolLookupOptions = {}): ResolvedTool {
  const env = options.env ?? process.env;
  const root = options.projectRoot ?? projectRoot();
  const toolsCandidates = [
    path.join(root, '.tools', 'venv', 'bin', 'temporal'),
    path.join(root, '.tools', 'bin', 'temporal'),
  ];
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return { path: fromEnv, source: 'env' };
    throw new TemporalCliNotFoundError(
      `TEMPORAL_CLI_PATH is set to "${fromEnv}", but no executable file is there. ` +
        'Point it at a Temporal CLI binary, or unset it to use `temporal` on PATH or the project tools. ' +
        `${INSTALL_HINT} to install the project's copy into .tools/.`,
    );
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'path' };
  const inTools = toolsCandidates.find(isExecutableFile);
  if (inTools) return { path: inTools, source: 'tools' };
  throw new TemporalCliNotFoundError(
    'No Temporal CLI found: TEMPORAL_CLI_PATH is not set, `temporal` is not on PATH, and neither ' +
      `${toolsCandidates.join(' nor ')} exists. ${INSTALL_HINT} to install it into .tools/, ` +
      'or set TEMPORAL_CLI_PATH to a Temporal CLI binary, or put `temporal` on PATH.',
  );
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
