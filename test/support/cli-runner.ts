// Runs commands as child processes, the way users run them, for tests of the CLI.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../client/local-temporal/temporal-cli.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The om-kinesis CLI of this checkout (built in dist/). */
export const OM_KINESIS_BIN = path.join(projectRoot(), 'bin', 'om-kinesis.js');

/** Runs `file args` with `env` and resolves with its exit code and output (never rejects). */
export function runCommand(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `om-kinesis args`. The test process's environment is passed on with `env` on top, but
 * without TEMPORAL_ADDRESS unless `env` sets it (so that no cluster is configured by accident),
 * and without the variables named in `unset`.
 */
export function runOmKinesis(
  args: string[],
  env: Record<string, string> = {},
  options: { unset?: string[]; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('TEMPORAL_ADDRESS' in env)) delete childEnv.TEMPORAL_ADDRESS;
  for (const name of options.unset ?? []) delete childEnv[name];
  return runCommand(process.execPath, [OM_KINESIS_BIN, ...args], childEnv, options.timeoutMs);
}
