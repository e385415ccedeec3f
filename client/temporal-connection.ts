import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { connect as connectTcp } from 'node:net';
import {
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { CliExit, EXIT_BAD_CONFIG, EXIT_RUN_FAILED } from './cli-exit.js';
import { errorText } from './error-text.js';

/** How to reach a Temporal cluster: flags first, then the Temporal CLI's environment variables. */
export interface TemporalTarget {
  address: string;
  /** Where the address came from, for messages: the flag or the variable. */
  addressSource: '--address' | 'TEMPORAL_ADDRESS';
  namespace: string;
  tls?: {
    clientCertPath?: string;
    clientKeyPath?: string;
    serverRootCaCertPath?: string;
    serverName?: string;
  };
  apiKey?: string;
}

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  apiKey?: string;
}

/**
 * The Temporal cluster named by flags or environment, or undefined when none is (the CLI then
 * runs locally). The variables are the ones the Temporal CLI reads, so one environment serves
 * both tools.
 */
export function temporalTargetFrom(flags: TemporalFlags, env: NodeJS.ProcessEnv): TemporalTarget | undefined {
  const address = flags.address ?? env.TEMPORAL_ADDRESS;
  if (!address) return undefined;
  const target: TemporalTarget = {
    address,
    addressSource: flags.address ? '--address' : 'TEMPORAL_ADDRESS',
    namespace: flags.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
  };
  const certPath = flags.tlsCertPath ?? env.TEMPORAL_TLS_CLIENT_CERT_PATH ?? env.TEMPORAL_TLS_CERT;
  const keyPath = flags.tlsKeyPath ?? env.TEMPORAL_TLS_CLIENT_KEY_PATH ?? env.TEMPORAL_TLS_KEY;
  const caPath = flags.tlsCaPath ?? env.TEMPORAL_TLS_SERVER_CA_CERT_PATH ?? env.TEMPORAL_TLS_CA;
  const serverName = flags.tlsServerName ?? env.TEMPORAL_TLS_SERVER_NAME;
  const apiKey = flags.apiKey ?? env.TEMPORAL_API_KEY;
  if (flags.tls || certPath || keyPath || caPath || serverName || env.TEMPORAL_TLS === 'true' || apiKey) {
    target.tls = {
      ...(certPath ? { clientCertPath: certPath } : {}),
      ...(keyPath ? { clientKeyPath: keyPath } : {}),
      ...(caPath ? { serverRootCaCertPath: caPath } : {}),
      ...(serverName ? { serverName } : {}),
    };
  }
  if (apiKey) target.apiKey = apiKey;
  return target;
}

/** The cluster a command cannot do without: exit 2 naming the flag and variable when none is given. */
export function requiredTemporalTarget(flags: TemporalFlags, what: string): TemporalTarget {
  const target = temporalTargetFrom(flags, process.env);
  if (!target) {
    throw new CliExit(
      EXIT_BAD_CONFIG,
      `${what} needs a Temporal cluster: pass --address HOST:PORT or set TEMPORAL_ADDRESS (and --namespace / TEMPORAL_NAMESPACE unless it is "default")`,
    );
  }
  return target;
}

/** `--address 127.0.0.1:7233` or `TEMPORAL_ADDRESS=127.0.0.1:7233`: the address as the user gave it. */
export function addressWithSource(target: TemporalTarget): string {
  return target.addressSource === '--address'
    ? `${target.address} (from --address)`
    : `${target.address} (from TEMPORAL_ADDRESS)`;
}

/** Options accepted by both Connection (client) and NativeConnection (worker). */
export function connectionOptionsFor(
  target: TemporalTarget,
): Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } {
  const options: Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } = {
    address: target.address,
  };
  if (target.tls) {
    const { clientCertPath, clientKeyPath, serverRootCaCertPath, serverName } = target.tls;
    options.tls = {
      ...(serverName ? { serverNameOverride: serverName } : {}),
      ...(serverRootCaCertPath
        ? { serverRootCACertificate: readTlsFile(serverRootCaCertPath, '--tls-ca-path') }
        : {}),
      ...(clientCertPath && clientKeyPath
        ? {
            clientCertPair: {
              crt: readTlsFile(clientCertPath, '--tls-cert-path'),
              key: readTlsFile(clientKeyPath, '--tls-key-path'),
            },
          }
        : {}),
    };
  }
  if (target.apiKey) options.apiKey = target.apiKey;
  return options;
}

function readTlsFile(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliExit(EXIT_BAD_CONFIG, `${flag} ${file}: cannot read it (${errorText(error)})`);
  }
}

/**
 * Connects a client to the cluster. A failure names the address, where it came from and why
 * (the SDK only says "Failed to connect before the deadline").
 */
export async function connectToCluster(target: TemporalTarget): Promise<Connection> {
  try {
    return await connectClient({ ...connectionOptionsFor(target), connectTimeout: '10s' });
  } catch (error) {
    throw await unreachable(target, error);
  }
}

/** The CLI exit for a cluster that could not be reached, naming the address, its source and the reason. */
export async function unreachable(target: TemporalTarget, error: unknown): Promise<CliExit> {
  const [host, port] = splitAddress(target.address);
  const tcp = host && port ? await tcpProblem(host, port) : undefined;
  return new CliExit(
    EXIT_RUN_FAILED,
    `cannot reach the Temporal cluster at ${addressWithSource(target)}: ${tcp ?? errorText(error)}. Check the address (and --namespace, TLS, --api-key), or that the cluster is up`,
    { cause: error },
  );
}

/**
 * `Connection.connect` whose closing cannot crash the process: the SDK's gRPC retry interceptor
 * retries a call on a timer, and a retry that fires after `close()` throws "Channel has been
 * shut down" from that timer, uncaught. The interceptor below, placed under the retry one, turns
 * such a late call into a cancelled one, which is not retried.
 */
export function connectClient(options: ConnectionOptions): Promise<Connection> {
  return Connection.connect({
    ...options,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), cancelCallsAfterClose],
  });
}

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
type InterceptingCall = ReturnType<Interceptor>;

const cancelCallsAfterClose: Interceptor = (options, nextCall) => {
  try {
    // What the next interceptor (or the channel) returns is already an intercepting call.
    return nextCall(options) as InterceptingCall;
  } catch (error) {
    if (!(error instanceof Error) || !/Channel has been shut down/.test(error.message)) throw error;
    return cancelledCall();
  }
};

/** A call that ends at once with status CANCELLED (1), without touching the closed channel. */
function cancelledCall(): InterceptingCall {
  const call = {
    start(_metadata: unknown, listener: { onReceiveStatus?: (status: unknown) => void }) {
      queueMicrotask(() =>
        listener.onReceiveStatus?.({ code: 1, details: 'the connection was closed', metadata: undefined }),
      );
    },
    sendMessage() {},
    sendMessageWithContext(context: { callback?: () => void }) {
      context.callback?.();
    },
    startRead() {},
    halfClose() {},
    cancelWithStatus() {},
    getPeer: () => '',
  };
  return call as unknown as InterceptingCall;
}

function splitAddress(address: string): [string | undefined, number | undefined] {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return match ? [match[1], Number(match[2])] : [undefined, undefined];
}

/** Why a TCP connection to host:port fails (refused, unknown host, timeout), or undefined when it succeeds. */
function tcpProblem(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    const done = (problem: string | undefined): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(3_000, () => done('no answer within 3 s (a firewall, or the wrong host?)'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reasons: Record<string, string> = {
        ECONNREFUSED: 'connection refused (nothing listens there)',
        ENOTFOUND: `unknown host ${host}`,
        EAI_AGAIN: `unknown host ${host} (DNS lookup failed)`,
        EHOSTUNREACH: `host ${host} unreachable`,
      };
      done(reasons[error.code ?? ''] ?? error.message);
    });
  });
}

/**
 * Runs `call` (one request, or a few, of `client`) under an abort signal of its own that follows
 * the signal of the surrounding `withAbortSignal` scope. The SDK adds a listener to the scope's
 * signal for every request and never removes it: a run followed for hours, with a progress
 * query every second, would pile up tens of thousands (and Node warns from the 11th). This
 * signal goes with the call. A long poll (a run's result) makes a request every minute or so:
 * those few listeners stay until it ends, with no warning.
 */
export async function withCallScope<T>(client: { connection: unknown }, call: () => Promise<T>): Promise<T> {
  const connection = client.connection;
  if (!(connection instanceof Connection)) return call();
  const outer = connection.callContextStorage.getStore()?.abortSignal;
  if (outer === undefined) return call();
  const own = new AbortController();
  setMaxListeners(0, own.signal);
  const follow = (): void => own.abort(outer.reason);
  if (outer.aborted) follow();
  else outer.addEventListener('abort', follow, { once: true });
  try {
    return await connection.withAbortSignal(own.signal, call);
  } finally {
    outer.removeEventListener('abort', follow);
  }
}
