import type { IngestionConfig } from './config/index.js';
import type { NormalizedRunOptions } from './run-input.js';

/**
 * What every activity of a run receives: the validated config (secret values still as
 * references or sealed, never plaintext) and the run options. Small on purpose: it is stored
 * in history with every activity call.
 */
export interface RunContext {
  config: IngestionConfig;
  options: NormalizedRunOptions;
  /**
   * The OpenMetadata server's version, once the checks read it: the dialect the later steps
   * speak (filter rule, stale delete, pipeline states). Absent for a run started before.
   */
  openMetadataVersion?: string;
  /**
   * The run's Temporal run id (its first execution's): scopes what workers cache for the run,
   * and names the run in OpenMetadata's pipeline status.
   */
  runId?: string;
}

/** The result of the prepare step. */
export interface PreparedRun extends RunContext {
  /** Problems that do not stop the run (e.g. a secret given in plaintext). */
  warnings: string[];
}
