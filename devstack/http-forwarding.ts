// HTTP forwarding shared by the test proxies (the fault proxy, the ListStreams token proxy).
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export interface ForwardedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends the incoming request (with `body`, which may differ from what arrived) to `upstream`. */
export function forward(upstream: URL, incoming: IncomingMessage, body: Buffer): Promise<ForwardedAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, host: upstream.host, 'content-length': String(body.length) };
    const req = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers,
      },
      (res) => {
        readAll(res)
          .then((data) => {
            const kept: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (!HOP_BY_HOP.has(name) && value !== undefined)
                kept[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            kept['content-length'] = String(data.length);
            resolve({ status: res.statusCode ?? 502, headers: kept, body: data });
          })
          .catch(reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function reply(
  outgoing: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
): void {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  outgoing.writeHead(status, { 'content-type': contentType, 'content-length': data.length });
  outgoing.end(data);
}
