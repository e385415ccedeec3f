import { FailureType } from '../../common/failure-types.js';
import { IngestionActivityError } from '../errors.js';
import { networkRefusal } from '../network/guarded-agents.js';

/** Error names AWS uses when the caller's credentials themselves are refused. */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
]);
/** Error names AWS uses for a call over a quota or rate. */
export const THROTTLING_ERRORS = new Set([
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSThrottlingException',
]);
/** Conditions that pass: a stream being created or resharded, a token or iterator that aged. */
const TRANSIENT_ERRORS = new Set([
  'ResourceInUseException',
  'ExpiredNextTokenException',
  'ExpiredIteratorException',
]);
const ACCESS_DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'KMSAccessDeniedException']);
/** GetRecords on a stream encrypted with a customer managed key fails with these without kms:Decrypt on it. */
const KMS_KEY_ERRORS = new Set([
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

interface AwsErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns an error from the AWS SDK into the product's failure classes. `action` is the IAM
 * action of the call (e.g. `kinesis:DescribeStreamSummary`) so that a denial names the
 * permission to grant.
 */
export function classifyAwsError(error: unknown, action: string, subject?: string): IngestionActivityError {
  if (error instanceof IngestionActivityError) return error;
  const refused = networkRefusal(error, 'source.serviceConnection.config.awsConfig.endPointURL');
  if (refused) return refused;
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message ?? String(error)).trim();
  // A call whose assumed-role credentials could not be obtained fails with STS's error: name
  // the permission that is really missing, not the call that needed the credentials.
  if (/sts:AssumeRole/.test(detail) && action !== 'sts:AssumeRole') {
    return classifyAwsError(error, 'sts:AssumeRole');
  }
  if (KMS_KEY_ERRORS.has(name) && action !== 'kms:Decrypt')
    return classifyAwsError(error, 'kms:Decrypt', subject);
  const what = subject ? `${action} on ${subject}` : action;

  if (THROTTLING_ERRORS.has(name) || status === 429) {
    return new IngestionActivityError(
      FailureType.AwsThrottled,
      `${what} was throttled by AWS (${name}): ${detail}`,
      true,
      {
        cause: error,
      },
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new IngestionActivityError(
      FailureType.AwsCredentialsRejected,
      `AWS refused the credentials for ${what} (${name}): ${detail}. Check awsAccessKeyId / awsSecretAccessKey / awsSessionToken / profileName in source.serviceConnection.config.awsConfig, or the worker's default AWS credentials`,
      false,
      { cause: error },
    );
  }
  if (TRANSIENT_ERRORS.has(name)) {
    return new IngestionActivityError(
      FailureType.AwsUnavailable,
      `${what} failed for now (${name}): ${detail}`,
      true,
      {
        cause: error,
      },
    );
  }
  if (ACCESS_DENIED_ERRORS.has(name) || status === 403) {
    return new IngestionActivityError(
      FailureType.AwsAccessDenied,
      `AWS denied ${what} (${name}): the identity used needs the IAM permission ${action}. ${detail}`,
      false,
      { cause: error },
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new IngestionActivityError(FailureType.StreamNotFound, `${what}: ${detail}`, false, {
      cause: error,
    });
  }
  if (
    e.$fault === 'server' ||
    (status !== undefined && status >= 500) ||
    NETWORK_CODES.has(e.code ?? '') ||
    name === 'TimeoutError'
  ) {
    return new IngestionActivityError(
      FailureType.AwsUnavailable,
      `${what} failed (${name}): ${detail}`,
      true,
      { cause: error },
    );
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return new IngestionActivityError(
      FailureType.AwsRequestRejected,
      `AWS rejected ${what} (${name}): ${detail}`,
      false,
      {
        cause: error,
      },
    );
  }
  return new IngestionActivityError(FailureType.AwsUnavailable, `${what} failed (${name}): ${detail}`, true, {
    cause: error,
  });
}
