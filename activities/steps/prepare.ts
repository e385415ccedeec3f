import { formatConfigIssue, validateIngestionConfigObject } from '../../common/config/index.js';
import type { PreparedRun, RunContext } from '../../common/run-context.js';
import {
  DEFAULT_RUN_OPTIONS,
  RUN_OPTION_LIMITS,
  type IngestionRunInput,
  type NormalizedRunOptions,
} from '../../common/run-input.js';
import { isSealed } from '../../common/sealed-secrets.js';
import { environmentReference } from '../../common/secret-references.js';
import { InvalidRunInputError } from '../errors.js';
import type { RunResources } from '../run-resources.js';
import { resolveSecretField, secretFieldsOf } from '../secrets.js';

export function createPrepareActivities({
  secrets,
  authorize,
  boundary,
}: Pick<RunResources, 'secrets' | 'authorize' | 'boundary'>) {
  return {
    /** Validates the run input on the worker: a run started with the Temporal CLI gets the same checks as one from our CLI. */
    async prepareRun(input: IngestionRunInput): Promise<PreparedRun> {
      return boundary(undefined, () => {
        if (!input || typeof input !== 'object' || !('config' in input)) {
          throw new InvalidRunInputError(
            'the run input must be a JSON object {"config": <the ingestion YAML as JSON>, "options": {...}}',
          );
        }
        const result = validateIngestionConfigObject(input.config);
        const config = result.config;
        if (!config || result.errors.length > 0) {
          throw new InvalidRunInputError(
            `the config in the run input is invalid:\n${result.errors.map(formatConfigIssue).join('\n')}`,
          );
        }
        const ctx: RunContext = { config, options: normalizeRunOptions(input.options) };
        // Before any secret is resolved: what the run asks for must be allowed on this worker.
        authorize(config);
        const warnings = result.warnings.map(formatConfigIssue);
        for (const secret of secretFieldsOf(ctx.config)) {
          // Resolving now makes a missing variable or key fail the run at once, not per stream.
          resolveSecretField(secret, ctx.config, secrets);
          const plaintext = environmentReference(secret.value) === undefined && !isSealed(secret.value);
          if (
            plaintext &&
            (secret.field.endsWith('awsSecretAccessKey') ||
              secret.field.endsWith('awsSessionToken') ||
              secret.kind === 'token')
          ) {
            warnings.push(
              `${secret.field} was given in plaintext in the run input, so it is stored in this run's Temporal history: reference an environment variable of the workers (\${NAME}) or start runs with om-kinesis, which seals it`,
            );
          }
        }
        return { ...ctx, warnings };
      });
    },
  };
}

/** What AWS allows in a tag key (or nothing, for no owner tag). */
const AWS_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,128}$/u;

/** Clamps run options to their bounds and fills defaults. */
export function normalizeRunOptions(options: IngestionRunInput['options']): NormalizedRunOptions {
  const normalized: NormalizedRunOptions = { ...DEFAULT_RUN_OPTIONS };
  if (!options) return normalized;
  if (typeof options !== 'object') throw new InvalidRunInputError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_RUN_OPTIONS)) {
      throw new InvalidRunInputError(
        `options.${key}: Unknown key (expected one of ${Object.keys(DEFAULT_RUN_OPTIONS).join(', ')})`,
      );
    }
  }
  for (const key of ['dryRun', 'streamTags'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new InvalidRunInputError(`options.${key}: Expected boolean`);
    normalized[key] = value;
  }
  if (options.ownerTagKey !== undefined) {
    if (typeof options.ownerTagKey !== 'string' || !AWS_TAG_KEY.test(options.ownerTagKey)) {
      throw new InvalidRunInputError(
        'options.ownerTagKey: Expected an AWS tag key (up to 128 letters, digits, spaces and _.:/=+-@), or an empty string for none',
      );
    }
    // The topic step reads the tags for it, and stores them only with streamTags.
    normalized.ownerTagKey = options.ownerTagKey;
  }
  for (const key of Object.keys(RUN_OPTION_LIMITS) as Array<keyof typeof RUN_OPTION_LIMITS>) {
    const value = options[key];
    if (value === undefined) continue;
    const { min, max } = RUN_OPTION_LIMITS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidRunInputError(`options.${key}: Expected an integer from ${min} to ${max}`);
    }
    normalized[key] = value;
  }
  return normalized;
}
