// An HTTP hop in front of kinesis-local that pages ListStreams the way AWS has since 2022:
// with an opaque NextToken (and a request that carries NextToken must carry nothing else),
// where kinesis-local and moto only answer HasMoreStreams. Every other call passes through
// unchanged. It lets the tests exercise both paging styles against a real emulator.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListStreamsTokenProxy {
  endpoint: string;
  /** The ListStreams request bodies clients sent, in order. */
  listStreamsRequests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

interface TokenState {
  afterName: string;
  limit?: number;
}

export async function startListStreamsTokenProxy(target: string): Promise<ListStreamsTokenProxy> {
  const upstream = new URL(target);
  const listStreamsRequests: Array<Record<string, unknown>> = [];

  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readAll(incoming);
      const isListStreams = String(incoming.headers['x-amz-target'] ?? '').endsWith('.ListStreams');
      let forwardBody = body;
      if (isListStreams) {
        const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        listStreamsRequests.push(input);
        if (typeof input.NextToken === 'string') {
          if (Object.keys(input).length > 1) {
            return reply(outgoing, 400, {
              __type: 'InvalidArgumentException',
              message: 'NextToken cannot be combined with other parameters',
            });
          }
          const state = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as TokenState;
          forwardBody = Buffer.from(
            JSON.stringify({ ExclusiveStartStreamName: state.afterName, Limit: state.limit }),
          );
        }
      }
      const answer = await forward(upstream, incoming, forwardBody);
      if (!isListStreams || answer.status !== 200)
        return reply(outgoing, answer.status, answer.body, answer.contentType);
      const output = JSON.parse(answer.body.toString('utf8')) as {
        StreamNames?: string[];
        HasMoreStreams?: boolean;
      };
      const last = output.StreamNames?.at(-1);
      const limit = (JSON.parse(forwardBody.toString('utf8') || '{}') as { Limit?: number }).Limit;
      const token: TokenState | undefined =
        output.HasMoreStreams && last ? { afterName: last, ...(limit ? { limit } : {}) } : undefined;
      return reply(outgoing, 200, {
        ...output,
        ...(token ? { NextToken: Buffer.from(JSON.stringify(token)).toString('base64') } : {}),
      });
    })().catch((error: unknown) =>
      outgoing.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    listStreamsRequests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function forward(
  upstream: URL,
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; body: Buffer; contentType: string }> {
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
          .then((data) =>
            resolve({
              status: res.statusCode ?? 502,
              body: data,
              contentType: String(res.headers['content-type'] ?? 'application/x-amz-json-1.1'),
            }),
          )
          .catch(reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function reply(
  outgoing: ServerResponse,
  status: number,
  body: Buffer | object,
  contentType = 'application/x-amz-json-1.1',
): void {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  outgoing.writeHead(status, { 'content-type': contentType, 'content-length': data.length });
  outgoing.end(data);
}
