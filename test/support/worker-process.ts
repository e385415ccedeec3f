// `om-kinesis worker` as a child process, as operators run it, for tests of worker flags and
// of workers that die or are replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { isProcessAlive } from '../../client/local-temporal/processes.js';
import { OM_KINESIS_BIN } from './cli-runner.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** Resolves once it printed `text` on stderr (its startup line names its queues and flags). */
  printed(text: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startWorkerProcess(
  address: string,
  taskQueue: string,
  extra: { args?: string[]; env?: Record<string, string> } = {},
): WorkerProcess {
  const child = spawn(
    process.execPath,
    [OM_KINESIS_BIN, 'worker', '--address', address, '--task-queue', taskQueue, ...(extra.args ?? [])],
    { env: { ...process.env, ...extra.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stderr: () => stderr,
    async printed(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stderr.includes(text)) {
        if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}): ${stderr}`);
        if (Date.now() > deadline) throw new Error(`the worker did not print "${text}": ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 10_000) {
      if (!child.pid || !isProcessAlive(child.pid) || child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
