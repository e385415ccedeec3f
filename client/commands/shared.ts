import { readFile } from 'node:fs/promises';
import { formatConfigIssue, type ConfigIssue } from '../../common/config/index.js';
import { printable } from '../../common/printable.js';

/** Thrown by a command to end the CLI with a message and an exit code (no stack trace). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_CONFIG = 2;

/** Reads the config file, turning a missing or unreadable file into a config error. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliExit(EXIT_BAD_CONFIG, `${file}: cannot read the config file (${reason})`);
  }
}

export function configErrorExit(file: string, errors: ConfigIssue[]): CliExit {
  const lines = errors.map((issue) => `  ${formatConfigIssue(issue)}`);
  return new CliExit(
    EXIT_BAD_CONFIG,
    `${file}: the config is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}); no run was started:\n${lines.join('\n')}`,
  );
}

export function printWarnings(warnings: ConfigIssue[]): void {
  for (const warning of warnings) console.error(printable(`warning: ${formatConfigIssue(warning)}`));
}
