/**
 * Who is calling and what they may do: the bearer token check and its 401 messages (JwtFilter),
 * the principal taken from the token, and the configured 403 rules.
 */
import { ApiError } from './errors.js';
import type { ForbiddenPathRule, OpenMetadataPrincipal } from './types.js';
import { isObject } from './values.js';

function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, payload] = parts
      .slice(0, 2)
      .map((part): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return isObject(header) && isObject(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

const BEARER = 'Bearer';

/** The 401 message the real server gives for this Authorization header, or undefined when valid. */
export function authenticationFailure(header: string | undefined, expectedToken: string): string | undefined {
  const notPresent = 'Not Authorized! Token not present';
  if (header === undefined || header === '' || !header.startsWith(BEARER)) return notPresent;
  if (header.length <= BEARER.length + 1) return notPresent;
  const token = header.slice(BEARER.length + 1);
  if (token === expectedToken) return undefined;
  const payload = decodeJwtPayload(token);
  if (payload === undefined) return 'Not Authorized! Unable to decode the token.';
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return 'Expired token!';
  // A well-formed JWT that is not the server's token: its signature does not verify.
  return (
    'Not Authorized! Token verification failed. Public key mismatch. due to ' +
    "com.auth0.jwt.exceptions.SignatureVerificationException: The Token's Signature resulted invalid " +
    'when verified using the Algorithm: SHA256withRSA'
  );
}

export function principalFromToken(token: string | undefined): OpenMetadataPrincipal {
  const payload = token === undefined ? undefined : decodeJwtPayload(token);
  const subject = payload?.sub ?? payload?.email;
  if (typeof subject !== 'string' || subject === '') return { name: 'ingestion-bot', isBot: true };
  return { name: subject.split('@')[0] ?? subject, isBot: payload?.isBot === true };
}

export function forbiddenMatches(rules: readonly ForbiddenPathRule[], method: string, path: string): boolean {
  return rules.some((rule) =>
    typeof rule === 'string'
      ? path === rule || path.startsWith(`${rule.replace(/\/$/, '')}/`)
      : rule.test(`${method} ${path}`),
  );
}

/** The 403 a real server gives when the principal's role lacks the operation. */
export const notAllowed = (principal: OpenMetadataPrincipal, operation: string): ApiError =>
  new ApiError(
    403,
    `Principal: CatalogPrincipal{name='${principal.name}'} operations [${operation}] not allowed`,
  );
