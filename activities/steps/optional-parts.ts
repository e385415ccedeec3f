import { activityInfo } from '@temporalio/activity';
import type { TopicWarning } from '../../common/activity-results.js';
import { RUN_FATAL_FAILURE_TYPES } from '../../common/failure-types.js';
import { IngestionActivityError } from '../errors.js';

/**
 * Attempts of the activity in which a passing failure (throttling, a 5xx) of an optional part
 * is retried, by failing the attempt; from this attempt on it is a warning instead, so that
 * the topic is still written (as when sample data was a step of its own).
 */
export const OPTIONAL_PART_ATTEMPTS = 3;

/**
 * The parts of a topic step that may fail without failing the stream: sampling, a registry
 * lookup, consumers, tags, the owner, the sample data write. A failure that ends the run (bad
 * credentials, a 401/403 from OpenMetadata) is thrown on; one that retrying cannot fix (a
 * permission missing, a rejected request) becomes a warning at once; a passing one fails the
 * attempt while retries remain, then becomes a warning.
 */
export class OptionalParts {
  readonly warnings: TopicWarning[] = [];
  private readonly failed = new Set<string>();

  constructor(private readonly redact: (message: string) => string) {}

  /** Runs a part; undefined when it failed (and {@link didFail} says so). */
  async run<T>(
    part: string,
    step: TopicWarning['step'],
    body: () => Promise<T>,
    options: { write?: boolean } = {},
  ): Promise<T | undefined> {
    try {
      return await body();
    } catch (error) {
      const classified = error instanceof IngestionActivityError ? error : undefined;
      if (classified && RUN_FATAL_FAILURE_TYPES.has(classified.type)) throw error;
      const retryable = classified ? classified.retryable : true;
      if (retryable && activityInfo().attempt < OPTIONAL_PART_ATTEMPTS) throw error;
      this.failed.add(part);
      const message = error instanceof Error ? error.message : String(error);
      this.warn(
        step,
        message,
        options.write === true && (classified?.type.startsWith('OpenMetadata') ?? false),
      );
      return undefined;
    }
  }

  didFail(part: string): boolean {
    return this.failed.has(part);
  }

  warn(step: TopicWarning['step'], message: string, sinkError = false): void {
    this.warnings.push({ step, message: this.redact(message), ...(sinkError ? { sinkError } : {}) });
  }
}
