// An HTTP hop in front of kinesis-local that pages ListStreams the way AWS has since 2022:
// with an opaque NextToken (and a request that carries NextToken must carry nothing else),
// where kinesis-local and moto only answer HasMoreStreams. Every other call passes through
// unchanged. It lets the tests exercise both paging styles against a real emulator.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, readAll, reply } from './http-forwarding.js';

export interface ListStreamsTokenProxy {
  endpoint: string;
  /** The ListStreams request bodies clients sent, in order. */
  listStreamsRequests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const AMZ_JSON = 'application/x-amz-json-1.1';

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
            const message = 'NextToken cannot be combined with other parameters';
            return reply(
              outgoing,
              400,
              JSON.stringify({ __type: 'InvalidArgumentException', message }),
              AMZ_JSON,
            );
          }
          const state = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as TokenState;
          forwardBody = Buffer.from(
            JSON.stringify({ ExclusiveStartStreamName: state.afterName, Limit: state.limit }),
          );
        }
      }
      const answer = await forward(upstream, incoming, forwardBody);
      if (!isListStreams || answer.status !== 200)
        return reply(outgoing, answer.status, answer.body, answer.headers['content-type'] ?? AMZ_JSON);
      const output = JSON.parse(answer.body.toString('utf8')) as {
        StreamNames?: string[];
        HasMoreStreams?: boolean;
      };
      const last = output.StreamNames?.at(-1);
      const limit = (JSON.parse(forwardBody.toString('utf8') || '{}') as { Limit?: number }).Limit;
      const token: TokenState | undefined =
        output.HasMoreStreams && last ? { afterName: last, ...(limit ? { limit } : {}) } : undefined;
      const nextToken = token ? { NextToken: Buffer.from(JSON.stringify(token)).toString('base64') } : {};
      return reply(outgoing, 200, JSON.stringify({ ...output, ...nextToken }), AMZ_JSON);
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
