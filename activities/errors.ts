import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type FailureTypeName } from '../common/failure-types.js';

/**
 * Errors raised by activities. Each class maps to one failure type of the retry contract
 * (common/failure-types.ts); whether Temporal retries it is decided here, at the activity
 * boundary, and nowhere else.
 */
export class IngestionActivityError extends Error {
  constructor(
    readonly type: FailureTypeName,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = type;
  }
}

/** Thrown when the run input or config is invalid. */
export class InvalidRunInputError extends IngestionActivityError {
  constructor(message: string) {
    super(FailureType.InvalidRunInput, message, false);
  }
}

/** Thrown when a secret reference cannot be resolved on this worker. */
export class SecretUnavailableError extends IngestionActivityError {
  constructor(message: string) {
    super(FailureType.SecretUnavailable, message, false);
  }
}

/**
 * Thrown when OpenMetadata answers a version this product does not speak. The official client
 * insists on the same major.minor; this product speaks the 1.x API.
 */
export class OpenMetadataVersionMismatchError extends IngestionActivityError {
  constructor(message: string) {
    super(FailureType.OpenMetadataVersionMismatch, message, false);
  }
}

/**
 * Converts whatever an activity threw into the ApplicationFailure Temporal records. Secrets
 * are removed from the message first: failures are stored in history and shown in the UI.
 */
export function toActivityFailure(error: unknown, secrets: readonly string[]): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const classified = error instanceof IngestionActivityError ? error : classifyUnknownError(error);
  return ApplicationFailure.create({
    type: classified.type,
    message: redactSecrets(classified.message, secrets),
    nonRetryable: !classified.retryable,
  });
}

function classifyUnknownError(error: unknown): IngestionActivityError {
  const message = error instanceof Error ? error.message : String(error);
  // Anything unforeseen is retried (bounded by the activity's retry policy): a bug shows up
  // as a failed stream with its message, a passing fault heals on its own.
  return new IngestionActivityError(FailureType.Unexpected, `unexpected error: ${message}`, true, {
    cause: error,
  });
}

/** Replaces every occurrence of each secret (of a useful length) with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length >= 4) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}
