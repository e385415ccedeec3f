// Long-running child processes of the local stack (Temporal dev server, kinesis-local, moto).
// One module on purpose, although long: the registry of started processes and the exit and
// signal handlers that clean it up must see the same state.
//
// Contract: every process started here is registered until it has exited, and the test (or
// dev) process never leaves one behind. Normal shutdown goes through `stop()` (SIGTERM, then
// SIGKILL after a grace period). If the parent ends abnormally, a synchronous `exit` handler
// SIGKILLs whatever is still registered, and SIGINT/SIGTERM/SIGHUP handlers stop them before
// exiting (unless the program installed its own handler for that signal, which then owns
// shutdown). Only pids we started are ever signalled. A SIGKILL of the parent itself cannot be
// caught.
//
// Each child runs in a process group of its own: a Ctrl-C in a terminal signals the whole
// foreground group, and a server that died of it at once would vanish under a parent that still
// needs it to wind down (`om-kinesis ingest` cancels its run on the local server first). The
// parent stops its children itself, as above.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import path from 'node:path';

/** How many trailing output lines are kept in memory for error messages. */
export const LOG_TAIL_LINES = 50;
const DEFAULT_GRACE_MS = 5_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartProcessOptions {
  /** Short name used in log file names and messages, e.g. `temporal`. */
  name: string;
  command: string;
  args?: readonly string[];
  /** Added to (and overriding) the parent's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Directory for the log file holding the child's stdout and stderr. Created if missing. */
  logDir: string;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The command line, for messages. */
  readonly commandLine: string;
  readonly logFile: string;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** Undefined while running. */
  readonly exit: ProcessExit | undefined;
  /** The last {@link LOG_TAIL_LINES} lines of output. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Thrown when a child process cannot be spawned (e.g. the executable does not exist). */
export class ProcessSpawnError extends Error {
  readonly code = 'PROCESS_SPAWN_FAILED';
  constructor(
    readonly commandLine: string,
    options: { cause: unknown },
  ) {
    super(
      `Could not start \`${commandLine}\`: ${errorMessage(options.cause)}. Check that the executable exists and is executable.`,
      options,
    );
    this.name = 'ProcessSpawnError';
  }
}

/** Thrown when a started process exits early or does not become ready before its deadline. */
export class ProcessNotReadyError extends Error {
  readonly code = 'PROCESS_NOT_READY';
  constructor(
    message: string,
    readonly commandLine: string,
    readonly logFile: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessNotReadyError';
  }
}

const EXITED = Symbol('exited');
const running = new Map<number, ManagedProcess>();
let handlersInstalled = false;

/** The processes started by this module that have not exited yet. */
export function runningProcesses(): ManagedProcess[] {
  return [...running.values()];
}

/**
 * Spawns `command` with its output captured to `<logDir>/<name>-<time>-<pid>.log`. Resolves
 * once the process has been spawned (not once it is ready: see {@link waitUntilReady}).
 */
export async function startProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  installExitHandlers();
  const args = options.args ?? [];
  const commandLine = [options.command, ...args].map(quoteArg).join(' ');
  mkdirSync(options.logDir, { recursive: true });

  const child = spawn(options.command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (cause) => reject(new ProcessSpawnError(commandLine, { cause })));
  });
  const pid = child.pid;
  if (pid === undefined) throw new ProcessSpawnError(commandLine, { cause: new Error('no pid') });

  const logFile = path.join(options.logDir, `${options.name}-${timestampForFileName()}-${pid}.log`);
  const log = createWriteStream(logFile);
  log.write(`$ ${commandLine}\n`);
  const tail = captureOutput(child, log);

  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(pid);
      resolve(exit);
    });
  });
  // Let the output drain into the log before anyone reads the tail after exit; a grandchild
  // still holding the pipes open must not keep us waiting, hence the cap after exit.
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => log.end(resolve));
    void exited.then(() => setTimeout(resolve, 1_000).unref());
  });

  let stopping: Promise<void> | undefined;
  const managed: ManagedProcess = {
    name: options.name,
    pid,
    commandLine,
    logFile,
    exited: exited.then(async (result) => {
      await closed;
      return result;
    }),
    get exit() {
      return exit;
    },
    logTail: () => tail.lines.join('\n'),
    stop(graceMs = DEFAULT_GRACE_MS) {
      stopping ??= terminate(child, exited, graceMs).then(() => closed);
      return stopping;
    },
  };
  running.set(pid, managed);
  return managed;
}

export interface WaitUntilReadyOptions {
  /** What is being waited for, for the message: e.g. `Temporal dev server at 127.0.0.1:7233`. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Calls `probe` until it resolves to anything but `false`. Fails with a
 * {@link ProcessNotReadyError} naming the command, the last probe error and the log tail if the
 * process exits first or the deadline passes.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  probe: () => Promise<boolean | void>,
  options: WaitUntilReadyOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  let lastError: unknown;
  // A probe that hangs must not outlive the deadline.
  let expiryTimer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    expiryTimer = setTimeout(() => reject(new Error(`readiness check timed out`)), options.timeoutMs);
  });
  expired.catch(() => undefined);
  const exitedNotice = proc.exited.then(() => EXITED);
  try {
    for (;;) {
      if (proc.exit) break;
      try {
        // An exit ends the wait at once, even while a probe hangs.
        const outcome = await Promise.race([probe(), expired, exitedNotice]);
        if (outcome === EXITED) break;
        if (outcome !== false) return;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (proc.exit || Date.now() >= deadline) break;
      await Promise.race([delay(intervalMs), proc.exited]);
    }
  } finally {
    clearTimeout(expiryTimer);
  }
  const exit = proc.exit ? await proc.exited : undefined;
  const reason = exit
    ? `exited (${describeExit(exit)}) before it was ready`
    : `was not ready after ${options.timeoutMs} ms`;
  const probeNote =
    lastError === undefined ? '' : `\nLast readiness check failed with: ${errorMessage(lastError)}`;
  throw new ProcessNotReadyError(
    `${options.what} ${reason}.\nCommand: ${proc.commandLine}${probeNote}\n` +
      `Log: ${proc.logFile}\n--- last output ---\n${proc.logTail() || '(no output)'}`,
    proc.commandLine,
    proc.logFile,
    { cause: lastError },
  );
}

/**
 * True while a process with this pid exists and is not a zombie (an exited child its new parent
 * has not reaped yet: on Linux that can take a while after its original parent died).
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 checks without signalling
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // /proc/<pid>/stat: "pid (comm) state ...", and comm may itself contain ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true; // gone since the kill(0) check: as good as dead
  }
}

/** Stops every process still registered, concurrently. */
export async function stopAllProcesses(graceMs = DEFAULT_GRACE_MS): Promise<void> {
  await Promise.all(runningProcesses().map((proc) => proc.stop(graceMs)));
}

async function terminate(child: ChildProcess, exited: Promise<ProcessExit>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => {
    const handle = setTimeout(() => resolve('timeout'), graceMs);
    void exited.then(() => clearTimeout(handle));
  });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function captureOutput(child: ChildProcess, log: WriteStream): { lines: string[] } {
  const tail = { lines: [] as string[] };
  let partial = '';
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    const pieces = (partial + chunk.toString('utf8')).split('\n');
    partial = pieces.pop() ?? '';
    for (const line of pieces) pushLine(tail.lines, line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('close', () => {
    if (partial) pushLine(tail.lines, partial);
    partial = '';
  });
  return tail;
}

function pushLine(lines: string[], line: string): void {
  lines.push(line.replace(/\r$/, ''));
  if (lines.length > LOG_TAIL_LINES) lines.shift();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
  for (const [signal, number] of Object.entries(signalNumbers) as Array<[NodeJS.Signals, number]>) {
    const onSignal = (): void => {
      // Another handler for this signal owns shutdown (and the exit handler is the backstop).
      // Prepended, this runs first and so still counts `once` listeners that are about to run.
      if (process.listenerCount(signal) > 1) return;
      const exitCode = 128 + number;
      const hardStop = setTimeout(() => process.exit(exitCode), DEFAULT_GRACE_MS + 1_000);
      void stopAllProcesses().finally(() => {
        clearTimeout(hardStop);
        process.exit(exitCode);
      });
    };
    process.prependListener(signal, onSignal);
  }
}

function killAllSync(): void {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function timestampForFileName(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
