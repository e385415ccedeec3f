// How OpenMetadata's answers become the product's failures: each names the call (method and
// path, never the token) and what to check, and says whether it is worth retrying.
import { HTTPError, ParseError, RequestError } from 'got';
import { FailureType } from '../../common/failure-types.js';
import { IngestionActivityError, redactSecrets } from '../errors.js';
import { networkRefusal } from '../network/guarded-agents.js';

/** Thrown for an HTTP error answer: carries the status for callers that expect some (404). */
export class OpenMetadataHttpError extends IngestionActivityError {
  constructor(
    type: (typeof FailureType)[keyof typeof FailureType],
    message: string,
    retryable: boolean,
    readonly status: number,
  ) {
    super(type, message, retryable);
  }
}
/** A redirect is not followed: where it points is named (its origin only), not requested. */
export function redirectRefused(
  status: number,
  location: string | undefined,
  call: string,
): IngestionActivityError {
  let target = 'elsewhere';
  try {
    if (location) target = new URL(location, 'http://unknown.invalid').origin;
  } catch {
    // An unparseable Location says nothing worth repeating.
  }
  return new OpenMetadataHttpError(
    FailureType.OpenMetadataRequestRejected,
    `OpenMetadata answered ${status} to ${call}, a redirect to ${target}: redirects are not followed, since they would carry the token elsewhere. Set workflowConfig.openMetadataServerConfig.hostPort to the server's own address`,
    false,
    status,
  );
}
export function classifyOpenMetadataError(
  error: unknown,
  call: string,
  secrets: readonly string[],
): IngestionActivityError {
  const refused = networkRefusal(error, 'workflowConfig.openMetadataServerConfig.hostPort');
  if (refused) return refused;
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const serverMessage = messageOf(error.response.body, secrets);
    const said = serverMessage ? `: ${serverMessage}` : '';
    if (status === 401) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataAuthRejected,
        `OpenMetadata refused the token (401 on ${call})${said}. Check workflowConfig.openMetadataServerConfig.securityConfig.jwtToken: it must be a valid bot token of this server`,
        false,
        status,
      );
    }
    if (status === 403) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataForbidden,
        `OpenMetadata forbade ${call} (403)${said}. The bot needs a role that may create and edit messaging services and topics (e.g. the ingestion bot role)`,
        false,
        status,
      );
    }
    if (status === 429 || status >= 500) {
      return new OpenMetadataHttpError(
        FailureType.OpenMetadataUnavailable,
        `OpenMetadata answered ${status} to ${call}${said}`,
        true,
        status,
      );
    }
    return new OpenMetadataHttpError(
      FailureType.OpenMetadataRequestRejected,
      `OpenMetadata rejected ${call} (${status})${said}`,
      false,
      status,
    );
  }
  if (error instanceof ParseError) return badResponse(call, 'the body is not JSON', true);
  if (error instanceof RequestError) {
    return new IngestionActivityError(
      FailureType.OpenMetadataUnavailable,
      `OpenMetadata could not be reached for ${call} (${error.code}): ${error.message}. Check workflowConfig.openMetadataServerConfig.hostPort`,
      true,
      { cause: error },
    );
  }
  if (error instanceof IngestionActivityError) return error;
  return new IngestionActivityError(
    FailureType.OpenMetadataUnavailable,
    `${call} failed: ${String(error)}`,
    true,
    { cause: error },
  );
}
/** What the server said, secrets removed before it is shortened (a cut could split one). */
export function messageOf(body: unknown, secrets: readonly string[]): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return redactSecrets(parsed.message, secrets);
  } catch {
    // Not JSON: a proxy's HTML error page, for instance.
  }
  const redacted = redactSecrets(body, secrets);
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
}
/**
 * A body that is not JSON is usually a passing fault (a truncated answer, a proxy's error
 * page): retried. Well-formed JSON of the wrong shape is what the server really says (another
 * API version): retrying would get the same answer, so it is reported at once.
 */
export function badResponse(call: string, what: string, retryable = false): IngestionActivityError {
  return new IngestionActivityError(
    FailureType.OpenMetadataBadResponse,
    `OpenMetadata's answer to ${call} is not valid: ${what}`,
    retryable,
  );
}
