// How the CLI words an error it did not expect. The Temporal SDK throws generic top-level
// errors ("Failed to start Workflow", "Failed to query Workflow") and keeps the server's own
// reason in `cause`: a gRPC status whose message reads "3 INVALID_ARGUMENT: <details>". The user
// needs that reason, so every error is shown with its whole cause chain.

/** A gRPC status found in an error's cause chain. */
export interface GrpcStatus {
  /** The numeric gRPC code, e.g. 3 for INVALID_ARGUMENT. */
  code: number;
  /** The code's name, e.g. INVALID_ARGUMENT. */
  name: string;
  /** The server's own words. */
  details: string;
}

// grpc-js words a status error as "<code> <NAME>: <details>".
const GRPC_MESSAGE = /^(\d+) ([A-Z_]+): ([\s\S]*)$/;

/** The first gRPC status in `error`'s cause chain, if any. */
export function grpcStatusOf(error: unknown): GrpcStatus | undefined {
  for (const e of causeChain(error)) {
    const match = GRPC_MESSAGE.exec(e.message);
    const code = (e as { code?: unknown }).code;
    if (match && typeof code === 'number') {
      const details = (e as { details?: unknown }).details;
      return {
        code,
        name: match[2] ?? '',
        details: typeof details === 'string' && details !== '' ? details : (match[3] ?? ''),
      };
    }
  }
  return undefined;
}

/**
 * `error`'s message followed by its causes' (`outer: inner: root`), each said once; a gRPC
 * status reads `details (CODE_NAME)`.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts: string[] = [];
  for (const e of causeChain(error)) {
    const match = GRPC_MESSAGE.exec(e.message);
    const text = (match ? `${match[3]} (${match[2]})` : e.message).trim();
    if (text && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.join(': ') || error.name;
}

function* causeChain(error: unknown): Generator<Error> {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    yield e;
  }
}
