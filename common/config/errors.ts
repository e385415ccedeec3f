import type { ConfigIssue } from './types.js';

/** Base of the errors thrown by the config module; `code` is stable, messages are for people. */
export abstract class ConfigError extends Error {
  abstract readonly code: string;
}

/**
 * Thrown by requireIngestionConfig when a ConfigResult holds errors. The message lists every issue
 * (paths and expectations, never values of secret keys).
 */
export class InvalidIngestionConfigError extends ConfigError {
  readonly code = 'INVALID_INGESTION_CONFIG';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source?: string) {
    const where = source === undefined ? 'The ingestion config' : `The ingestion config ${source}`;
    const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
    super(`${where} has ${count}:\n${issues.map((issue) => `  - ${formatConfigIssue(issue)}`).join('\n')}`);
    this.name = 'InvalidIngestionConfigError';
    this.issues = issues;
  }
}

/** Thrown by compileFilterPattern when a filter entry is not a valid regular expression. */
export class InvalidFilterPatternError extends ConfigError {
  readonly code = 'INVALID_FILTER_PATTERN';
  readonly pattern: string;

  constructor(pattern: string, reason: string) {
    super(`Invalid regular expression in a filter pattern (${JSON.stringify(pattern)}): ${reason}`);
    this.name = 'InvalidFilterPatternError';
    this.pattern = pattern;
  }
}

/** 'source.serviceConnection.config.awsConfig.awsRegion: Required'; issues about the whole file have no path. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}
