import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type FailureTypeName } from '../common/failure-types.js';
import { printable } from '../common/printable.js';

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

/** One thing a worker's policy refuses a run, and what would allow it. */
export interface Refusal {
  /** The YAML path of the value refused. */
  field: string;
  /** What is refused, without any secret value. */
  problem: string;
  /** The rule of the policy (stable words, for people and tests). */
  rule: string;
  /** The worker option that would allow it; none for what no worker allows. */
  allowedBy?: string;
}

/**
 * Thrown when the worker's policy refuses a run, before any secret is resolved or any
 * connection made. Never retried: the same input meets the same policy.
 */
export class RunRefusedError extends IngestionActivityError {
  constructor(readonly refusals: readonly Refusal[]) {
    super(
      FailureType.WorkerPolicyRefused,
      `this worker's policy refuses the run (its operator decides what runs may reach):\n${refusals.map(describeRefusal).join('\n')}`,
      false,
    );
  }
}

function describeRefusal({ field, problem, rule, allowedBy }: Refusal): string {
  const allow = allowedBy
    ? `the worker's operator can allow it with ${allowedBy}`
    : 'no worker option allows it';
  return `  - ${field}: ${problem} [rule ${rule}; ${allow}]`;
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
    message: printable(redactSecrets(classified.message, secrets)),
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

/**
 * Replaces every occurrence of each secret (of a useful length) with `***`: as written, and in
 * the forms a server or a library may echo it in: URL-encoded, JSON-escaped, and base64 (also
 * base64url, and inside a longer base64 text such as a Basic credential, at any alignment).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
    for (const encoded of base64Forms(secret)) if (encoded.length >= 8) forms.add(encoded);
  }
  let redacted = text;
  // Longest first, so that a form containing another is replaced whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length))
    redacted = redacted.split(form).join('***');
  return redacted;
}

/** The base64 characters that encode `secret` whatever the byte offset it starts at in a longer text. */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters that depend on the secret's bytes alone.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
