import { createServer } from 'node:net';
import type { Server } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago: the OS picks it (listen on port 0) and we
 * release it at once. Another process could take it before the caller binds it, which on a
 * test machine is rare enough; the point is that no test hard-codes a port.
 */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await getFreePorts(1, host);
  if (port === undefined) throw new Error(`Could not get a free port on ${host}`);
  return port;
}

/** `count` distinct free ports: each is held until all are picked, so none repeats. */
export async function getFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listenOnAnyPort(host)));
  try {
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        throw new Error(`Could not read the port the OS assigned on ${host}`);
      }
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listenOnAnyPort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => resolve(server));
  });
}
