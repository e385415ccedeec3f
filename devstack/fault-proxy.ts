// A fault-injecting HTTP proxy for tests and benchmarks: it sits in front of a real server
// (kinesis-local, the OpenMetadata test server) and, per API or route, enforces rate quotas
// the way AWS answers them, adds latency, answers errors, resets connections or truncates
// bodies, on every request or at random from a seed (so a failing run can be replayed).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { forward, readAll, reply } from './http-forwarding.js';

/** What a request is, for matching rules: Kinesis `DescribeStreamSummary`, or `PUT /api/v1/topics`. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** The AWS API (from X-Amz-Target) or, for other servers, `METHOD path`. */
  api: string;
  body: Buffer;
}

export type FaultAction =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'reset' }
  | { kind: 'truncate' };

export interface FaultRule {
  /** Which requests the rule applies to. */
  match: (request: ProxiedRequest) => boolean;
  /** Share of matching requests that get the fault (0..1), drawn from the proxy's seeded generator. */
  probability?: number;
  /** Or: every Nth matching request (1 = all). */
  every?: number;
  /** The fault, or a function choosing it per matching request (undefined: none this time). */
  action: FaultAction | (() => FaultAction | undefined);
}

export interface QuotaRule {
  /** The AWS API, e.g. `DescribeStreamSummary`. */
  api: string;
  perSecond: number;
  /** What the quota is counted per. */
  per: 'account' | 'stream' | 'shard';
  /** The error AWS answers when the quota is exceeded. */
  error: 'LimitExceededException' | 'ProvisionedThroughputExceededException';
}

export interface FaultProxyOptions {
  target: string;
  seed?: number;
  /** Added before forwarding, per request (ms). */
  latencyMs?: number | ((request: ProxiedRequest) => number);
  quotas?: QuotaRule[];
  faults?: FaultRule[];
  /** Awaited before each request is handled: lets a test keep a run at a known point. */
  hold?: (request: ProxiedRequest) => Promise<void> | undefined;
}

export interface ApiStats {
  requests: number;
  forwarded: number;
  throttled: number;
  faults: number;
  /** Most forwarded requests seen in any one-second window (per quota key). */
  peakPerSecond: number;
}

export interface FaultProxy {
  endpoint: string;
  stats(): Record<string, ApiStats>;
  setFaults(faults: FaultRule[]): void;
  close(): Promise<void>;
}

/** The AWS per-account / per-stream / per-shard quotas of the calls the connector makes. */
export const KINESIS_QUOTAS: QuotaRule[] = [
  { api: 'ListStreams', perSecond: 5, per: 'account', error: 'LimitExceededException' },
  { api: 'DescribeStreamSummary', perSecond: 20, per: 'account', error: 'LimitExceededException' },
  { api: 'ListShards', perSecond: 1000, per: 'stream', error: 'LimitExceededException' },
  { api: 'GetShardIterator', perSecond: 5, per: 'shard', error: 'ProvisionedThroughputExceededException' },
  { api: 'GetRecords', perSecond: 5, per: 'shard', error: 'ProvisionedThroughputExceededException' },
  { api: 'ListStreamConsumers', perSecond: 5, per: 'stream', error: 'LimitExceededException' },
  { api: 'ListTagsForStream', perSecond: 5, per: 'account', error: 'LimitExceededException' },
];

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.target);
  const random = mulberry32(options.seed ?? 1);
  const stats: Record<string, ApiStats> = {};
  const windows = new Map<string, number[]>();
  const matched = new Map<FaultRule, number>();
  let faults = options.faults ?? [];
  const sockets = new Set<Socket>();

  // GetRecords names its shard only through the iterator: iterators handed out by
  // GetShardIterator and GetRecords are remembered with the shard they read.
  const iteratorShards = new Map<string, string>();
  const quotaKey = (quota: QuotaRule, request: ProxiedRequest): string => {
    if (quota.per === 'account') return 'account';
    const body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, string | undefined>;
    const stream = body.StreamName ?? body.StreamARN ?? 'unknown';
    if (quota.per === 'stream') return stream;
    if (body.ShardIterator) return iteratorShards.get(body.ShardIterator) ?? 'unknown-shard';
    return `${stream}/${body.ShardId ?? 'unknown'}`;
  };
  const rememberIterators = (request: ProxiedRequest, answer: Buffer): void => {
    if (request.api !== 'GetShardIterator' && request.api !== 'GetRecords') return;
    const output = JSON.parse(answer.toString('utf8') || '{}') as {
      ShardIterator?: string;
      NextShardIterator?: string;
    };
    const next = output.ShardIterator ?? output.NextShardIterator;
    if (!next) return;
    const body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, string | undefined>;
    const shard = body.ShardIterator
      ? iteratorShards.get(body.ShardIterator)
      : `${body.StreamName ?? body.StreamARN ?? 'unknown'}/${body.ShardId ?? 'unknown'}`;
    if (body.ShardIterator) iteratorShards.delete(body.ShardIterator);
    if (shard) iteratorShards.set(next, shard);
  };

  const statsOf = (api: string): ApiStats =>
    (stats[api] ??= { requests: 0, forwarded: 0, throttled: 0, faults: 0, peakPerSecond: 0 });

  /** Sliding one-second window per quota key: over the quota -> throttled, as AWS does. */
  const admit = (request: ProxiedRequest): QuotaRule | undefined => {
    const quota = options.quotas?.find((q) => q.api === request.api);
    if (!quota) return undefined;
    const key = `${quota.api}:${quotaKey(quota, request)}`;
    const now = Date.now();
    const window = (windows.get(key) ?? []).filter((t) => now - t < 1000);
    if (window.length >= quota.perSecond) {
      windows.set(key, window);
      return quota;
    }
    window.push(now);
    windows.set(key, window);
    const s = statsOf(request.api);
    s.peakPerSecond = Math.max(s.peakPerSecond, window.length);
    return undefined;
  };

  const chooseFault = (request: ProxiedRequest): FaultAction | undefined => {
    for (const rule of faults) {
      if (!rule.match(request)) continue;
      const count = (matched.get(rule) ?? 0) + 1;
      matched.set(rule, count);
      const hit = rule.every !== undefined ? count % rule.every === 0 : random() < (rule.probability ?? 1);
      if (hit) return typeof rule.action === 'function' ? rule.action() : rule.action;
    }
    return undefined;
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const body = await readAll(incoming);
    const target = String(incoming.headers['x-amz-target'] ?? '');
    const path = new URL(incoming.url ?? '/', 'http://proxy').pathname;
    const request: ProxiedRequest = {
      method: incoming.method ?? 'GET',
      path,
      api: target ? (target.split('.').pop() ?? target) : `${incoming.method ?? 'GET'} ${path}`,
      body,
    };
    const s = statsOf(request.api);
    s.requests += 1;
    await options.hold?.(request);
    const latency =
      typeof options.latencyMs === 'function' ? options.latencyMs(request) : (options.latencyMs ?? 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const throttledBy = admit(request);
    if (throttledBy) {
      s.throttled += 1;
      return reply(
        outgoing,
        400,
        JSON.stringify({ __type: throttledBy.error, message: `Rate exceeded for ${request.api}` }),
        'application/x-amz-json-1.1',
      );
    }
    const fault = chooseFault(request);
    if (fault?.kind === 'reset') {
      s.faults += 1;
      incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      s.faults += 1;
      return reply(outgoing, fault.status, fault.body ?? '', fault.contentType ?? 'application/json');
    }
    const answer = await forward(upstream, incoming, body);
    s.forwarded += 1;
    if (answer.status === 200) rememberIterators(request, answer.body);
    if (fault?.kind === 'truncate') {
      s.faults += 1;
      outgoing.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      outgoing.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      outgoing.socket?.destroy();
      return;
    }
    outgoing.writeHead(answer.status, answer.headers);
    outgoing.end(answer.body);
  };

  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) reply(outgoing, 502, String(error), 'text/plain');
      else outgoing.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => structuredClone(stats),
    setFaults: (rules) => {
      faults = rules;
      matched.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A small seeded PRNG: the same seed gives the same faults in the same order. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
