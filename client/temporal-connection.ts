import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';

/** How to reach a Temporal cluster: flags first, then the Temporal CLI's environment variables. */
export interface TemporalTarget {
  address: string;
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
      ...(serverRootCaCertPath ? { serverRootCACertificate: readFileSync(serverRootCaCertPath) } : {}),
      ...(clientCertPath && clientKeyPath
        ? { clientCertPair: { crt: readFileSync(clientCertPath), key: readFileSync(clientKeyPath) } }
        : {}),
    };
  }
  if (target.apiKey) options.apiKey = target.apiKey;
  return options;
}
