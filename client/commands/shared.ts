import { formatConfigIssue, type ConfigIssue } from '../../common/config/index.js';
import { CliExit, EXIT_BAD_CONFIG } from '../cli-exit.js';
import { printable } from '../../common/printable.js';

export { CliExit, EXIT_BAD_CONFIG, EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED } from '../cli-exit.js';

export function configErrorExit(
  file: string,
  errors: ConfigIssue[],
  nothingDone = 'no run was started',
): CliExit {
  const lines = errors.map((issue) => `  ${formatConfigIssue(issue)}`);
  return new CliExit(
    EXIT_BAD_CONFIG,
    `${file}: the config is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}); ${nothingDone}:\n${lines.join('\n')}`,
  );
}

export function printWarnings(warnings: ConfigIssue[]): void {
  for (const warning of warnings) console.error(printable(`warning: ${formatConfigIssue(warning)}`));
}
