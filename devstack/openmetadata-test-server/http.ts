/**
 * HTTP plumbing on node:http: reading a request into a {@link RecordedRequest} and its raw body,
 * and writing a {@link Reply} (JSON, with the X-OpenMetadata-Change header) or an error reply.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError } from './errors.js';
import type { RecordedRequest } from './types.js';

/** What a route answers: status, JSON body and, for writes, the X-OpenMetadata-Change value. */
export interface Reply {
  status: number;
  body: unknown;
  change?: string;
}

/** Whether a route that consumes JSON accepts this Content-Type (else 415). */
export const isJsonMediaType = (contentType: string | undefined): boolean => {
  if (contentType === undefined || contentType.trim() === '') return true; // Jersey matches any
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType === '*/*' || mediaType === 'application/*';
};

function flattenHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseRecordedBody(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

/** The request as recorded, before its body is read and it is answered. */
export function recordRequest(request: IncomingMessage): RecordedRequest {
  const at = Date.now();
  const target = new URL(request.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  for (const [name, value] of target.searchParams) if (!(name in query)) query[name] = value;
  return {
    method: request.method ?? 'GET',
    path: target.pathname,
    query,
    headers: flattenHeaders(request),
    body: undefined,
    status: 0,
    at,
  };
}

/** The raw body text and the parsed JSON to record (the text itself when it is not JSON). */
export async function readRequestBody(request: IncomingMessage): Promise<{ raw: string; recorded: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return { raw, recorded: parseRecordedBody(raw) };
}

export function send(response: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  if (reply.change !== undefined) response.setHeader('X-OpenMetadata-Change', reply.change);
  response.end(body);
}

/** An ApiError as the real server writes it; anything else as its 500. */
export function errorReply(error: unknown): Reply {
  if (error instanceof ApiError)
    return { status: error.status, body: { code: error.status, message: error.message } };
  const message = `There was an error processing your request. It has been logged (ID ${randomUUID()}).`;
  return { status: 500, body: { code: 500, message } };
}
