// Where the development stack's moto_server comes from: (1) env MOTO_SERVER_PATH, (2)
// .tools/venv/bin/moto_server, (3) PATH. The tools folder comes before PATH because the tests
// depend on the behaviour of the version that scripts/install-tools.sh pins, and a Python moto
// found on PATH may be any version. An env var set to nothing usable is an error.
import path from 'node:path';
import {
  findOnPath,
  isExecutableFile,
  projectRoot,
  type ResolvedTool,
  type ToolLookupOptions,
} from '../client/local-temporal/temporal-cli.js';

const INSTALL_HINT = 'Run `npm run tools` (or `bash scripts/install-tools.sh`)';

/** Thrown when no moto_server can be found, or MOTO_SERVER_PATH points at nothing. */
export class MotoServerNotFoundError extends Error {
  readonly code = 'MOTO_SERVER_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'MotoServerNotFoundError';
  }
}

/** Finds moto_server (see the order at the top of this file). */
export function resolveMotoServer(options: ToolLookupOptions = {}): ResolvedTool {
  const env = options.env ?? process.env;
  const root = options.projectRoot ?? projectRoot();
  const inToolsPath = path.join(root, '.tools', 'venv', 'bin', 'moto_server');
  const fromEnv = env.MOTO_SERVER_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return { path: fromEnv, source: 'env' };
    throw new MotoServerNotFoundError(
      `MOTO_SERVER_PATH is set to "${fromEnv}", but no executable file is there. ` +
        `Point it at moto_server, or unset it to use the project tools. ${INSTALL_HINT} to install them.`,
    );
  }
  if (isExecutableFile(inToolsPath)) return { path: inToolsPath, source: 'tools' };
  const onPath = findOnPath('moto_server', env);
  if (onPath) return { path: onPath, source: 'path' };
  throw new MotoServerNotFoundError(
    `No moto_server found: MOTO_SERVER_PATH is not set, ${inToolsPath} does not exist, and ` +
      `\`moto_server\` is not on PATH. ${INSTALL_HINT} to install it into .tools/, ` +
      'or set MOTO_SERVER_PATH.',
  );
}
