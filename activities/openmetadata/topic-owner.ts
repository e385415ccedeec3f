// A topic's owner, the one part of a CreateTopic whose shape depends on the server's version:
// `owner` (one EntityReference) up to 1.4, `owners` (a list) from 1.5. Everything about it is
// in this module, so that a per-version dialect of the client can take it over in one place.
import type { OpenMetadataClient } from './openmetadata-client.js';

export interface OwnerReference {
  id: string;
  type: 'user' | 'team';
}

/** Whether the server takes `owners` (1.5 and later) rather than `owner`. */
function takesOwnersList(serverVersion: string): boolean {
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(serverVersion) ?? []).slice(1).map(Number);
  return major > 1 || (major === 1 && minor >= 5);
}

/** The `fields=` value that makes a topic read show its owners. */
export function ownerReadField(serverVersion: string): string {
  return takesOwnersList(serverVersion) ? 'owners' : 'owner';
}

/** The CreateTopic fields that set the owner, as this server version takes them. */
export function ownerRequestFields(owner: OwnerReference, serverVersion: string): Record<string, unknown> {
  return takesOwnersList(serverVersion) ? { owners: [owner] } : { owner };
}

/** Whether a stored topic (read with {@link ownerReadField}) has an owner, under either field. */
export function hasOwner(topic: Record<string, unknown>): boolean {
  const { owner, owners } = topic as { owner?: unknown; owners?: unknown };
  return (owner !== null && typeof owner === 'object') || (Array.isArray(owners) && owners.length > 0);
}

/** Lookups shared by the streams of a run: most streams of a team name the same few owners. */
const LOOKUP_TTL_MS = 5 * 60_000;
const MAX_CACHED = 1000;
const cache = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.value as Promise<T>;
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  const value = load();
  // A failed lookup is not remembered: the next stream asks again.
  value.catch(() => cache.delete(key));
  cache.set(key, { value, expiresAt: Date.now() + LOOKUP_TTL_MS });
  return value;
}

/** The server's version (`GET /v1/system/version`), asked once per server and worker every few minutes. */
export function serverVersionOf(client: OpenMetadataClient, hostPort: string): Promise<string> {
  return cached(`version ${hostPort}`, () => client.serverVersion());
}

/** The user, else the team, of that name; undefined when neither exists. */
export function ownerNamed(
  client: OpenMetadataClient,
  hostPort: string,
  name: string,
): Promise<OwnerReference | undefined> {
  return cached(`owner ${hostPort} ${name}`, async () => {
    const user = await client.userByName(name);
    if (user) return { id: user.id, type: 'user' as const };
    const team = await client.teamByName(name);
    return team ? { id: team.id, type: 'team' as const } : undefined;
  });
}
