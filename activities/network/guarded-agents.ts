import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { RunRefusedError } from '../errors.js';
import { addressRefusal } from './address-classes.js';

const ADDRESS_REFUSED = 'ERR_OM_KINESIS_ADDRESS_REFUSED';

/** Raised on a connection the policy refuses: to a link-local address, or to a private one unlisted. */
export class AddressRefusedError extends Error {
  readonly code = ADDRESS_REFUSED;
  override readonly name = 'AddressRefusedError';
}

export interface GuardedAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

const cache = new Map<string, GuardedAgents>();

/**
 * HTTP(S) agents whose every connection is checked where it is made: each address a host name
 * resolves to (so that DNS cannot point an allowed name at a metadata service) and each
 * address written in a URL. Link-local addresses are never reached; loopback and private ones
 * only for `listedHosts`, the hosts the worker's policy lists. Shared per set of hosts, so
 * that activities reuse their keep-alive connections.
 */
export function guardedAgents(
  listedHosts: Iterable<string>,
  options: { maxSockets?: number } = {},
): GuardedAgents {
  const hosts = [...new Set(listedHosts)].sort();
  const key = JSON.stringify([hosts, options.maxSockets ?? null]);
  const cached = cache.get(key);
  if (cached) return cached;
  const listed = new Set(hosts);
  const agentOptions: AgentOptions = {
    keepAlive: true,
    ...(options.maxSockets ? { maxSockets: options.maxSockets } : {}),
    lookup: guardedLookup(listed),
  };
  const agents = {
    http: checkingLiteralAddresses(new HttpAgent(agentOptions), listed),
    https: checkingLiteralAddresses(new HttpsAgent(agentOptions), listed),
  };
  cache.set(key, agents);
  return agents;
}

/** Closes every guarded agent's idle connections (worker shutdown, tests). */
export function destroyGuardedAgents(): void {
  for (const agents of cache.values()) {
    agents.http.destroy();
    agents.https.destroy();
  }
  cache.clear();
}

type Lookup = NonNullable<AgentOptions['lookup']>;

function guardedLookup(listed: ReadonlySet<string>): Lookup {
  return ((hostname: string, options: LookupAllOptions | number, callback: (...args: unknown[]) => void) => {
    const all = typeof options === 'object' && options.all === true;
    const family = typeof options === 'number' ? options : options.family;
    dnsLookup(
      hostname,
      { ...(typeof options === 'object' ? options : {}), ...(family ? { family } : {}), all: true },
      (error, addresses: LookupAddress[]) => {
        if (error) return callback(error);
        for (const { address } of addresses) {
          const refusal = addressRefusal(address, listed.has(hostname));
          if (refusal) return callback(new AddressRefusedError(`${hostname} resolved to ${refusal}`));
        }
        if (all) return callback(null, addresses);
        const first = addresses[0];
        return first
          ? callback(null, first.address, first.family)
          : callback(new AddressRefusedError(`${hostname} resolved to nothing`));
      },
    );
  }) as Lookup;
}

/** An address written in the URL is not looked up: it is checked before connecting. */
function literalRefusal(
  host: string | null | undefined,
  listed: ReadonlySet<string>,
): AddressRefusedError | undefined {
  if (typeof host !== 'string' || isIP(host.replace(/^\[|\]$/g, '')) === 0) return undefined;
  const bare = host.replace(/^\[|\]$/g, '');
  const refusal = addressRefusal(bare, listed.has(host) || listed.has(`[${bare}]`) || listed.has(bare));
  return refusal ? new AddressRefusedError(refusal) : undefined;
}

/** Makes the agent refuse, before connecting, an address written in the URL that the policy refuses. */
function checkingLiteralAddresses<A extends HttpAgent>(agent: A, listed: ReadonlySet<string>): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (
    options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ) => {
    const refused = literalRefusal(options.host, listed);
    if (!refused) return create(options, callback);
    callback?.(refused, undefined as never);
    return undefined;
  };
  return agent;
}

/** The policy refusal a failed request carries (anywhere in its causes), if any. */
export function networkRefusal(error: unknown, field: string): RunRefusedError | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (candidate.code === ADDRESS_REFUSED) {
      return new RunRefusedError([{ field, problem: String(candidate.message), rule: 'address' }]);
    }
    current = candidate.cause;
  }
  return undefined;
}
