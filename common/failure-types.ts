/**
 * Failure type names shared by activities (which throw them) and workflows (which decide
 * what a failure means for the run). They are part of the retry contract: Temporal matches
 * on these strings, so renaming one is a breaking change for running workflows.
 */
export const FailureType = {
  /** The run input or config is invalid: nothing will fix it by retrying. */
  InvalidRunInput: 'InvalidRunInput',
  /**
   * The worker's policy (what its operator allows runs to reach) refuses the run: a server,
   * endpoint, environment variable, file or AWS identity it does not hand to runs.
   */
  WorkerPolicyRefused: 'WorkerPolicyRefused',
  /** A secret reference in the config cannot be resolved on the worker. */
  SecretUnavailable: 'SecretUnavailable',
  /** AWS refused the credentials (wrong key, expired static token, AssumeRole denied). */
  AwsCredentialsRejected: 'AwsCredentialsRejected',
  /** AWS refused an action for lack of permission (IAM). */
  AwsAccessDenied: 'AwsAccessDenied',
  /** AWS throttled the call (LimitExceeded / ProvisionedThroughputExceeded). Retryable. */
  AwsThrottled: 'AwsThrottled',
  /** AWS (or the network to it) failed in a way worth retrying. */
  AwsUnavailable: 'AwsUnavailable',
  /** AWS rejected the request as malformed or invalid: retrying sends the same request. */
  AwsRequestRejected: 'AwsRequestRejected',
  /** The stream disappeared between listing and describing it. */
  StreamNotFound: 'StreamNotFound',
  /** OpenMetadata refused the token (401). */
  OpenMetadataAuthRejected: 'OpenMetadataAuthRejected',
  /** OpenMetadata forbade the action (403). */
  OpenMetadataForbidden: 'OpenMetadataForbidden',
  /** OpenMetadata rejected the request (400, 404, 409, ...): retrying sends the same request. */
  OpenMetadataRequestRejected: 'OpenMetadataRequestRejected',
  /** OpenMetadata (or the network to it) failed in a way worth retrying (5xx, 429, reset). */
  OpenMetadataUnavailable: 'OpenMetadataUnavailable',
  /** OpenMetadata answered something that is not the API's shape (invalid JSON, missing fields). */
  OpenMetadataBadResponse: 'OpenMetadataBadResponse',
  /** The OpenMetadata server's version is not one this product speaks. */
  OpenMetadataVersionMismatch: 'OpenMetadataVersionMismatch',
  /** Anything no class above covers: retried within the activity's policy, then reported. */
  Unexpected: 'UnexpectedActivityError',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/**
 * Failures that no stream can succeed after: when one of them reaches the workflow, the run
 * ends at once with that message instead of failing every remaining stream one by one.
 */
export const RUN_FATAL_FAILURE_TYPES: ReadonlySet<string> = new Set<string>([
  FailureType.InvalidRunInput,
  FailureType.WorkerPolicyRefused,
  FailureType.SecretUnavailable,
  FailureType.AwsCredentialsRejected,
  FailureType.OpenMetadataAuthRejected,
  FailureType.OpenMetadataForbidden,
  FailureType.OpenMetadataVersionMismatch,
]);
