// What a token says of itself, read without verifying it: only the server can verify it, and
// the product only uses it for advice (a person's token rather than a bot's).

/** The claims of a JWT, unverified (only the server can verify them); undefined when it is none. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const [, payload] = token.split('.');
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
