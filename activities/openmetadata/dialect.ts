import type { FilterRule } from '../../common/config/index.js';

/**
 * What differs, for this product's requests, between the OpenMetadata versions it supports
 * (1.3 to 2.0; compared from the official client 1.3.4 -> 2.0.7). A difference takes effect
 * from the first version known to have it, so a server is never sent something its version
 * does not know. The owner/owners rename of 1.5 is spoken by topic-owner.ts (an owner is sent
 * only with the owner-tag option); the domain/domains rename of 1.9 needs no entry: this
 * product never sends a domain.
 */
export interface OpenMetadataDialect {
  /** The version spoken: the server's major.minor, or the nearest supported one. */
  readonly version: string;
  /**
   * topicFilterPattern: up to 1.4 a name matching an include is kept whatever the excludes
   * say; from 1.5 it must also match no exclude.
   */
  readonly filterRule: FilterRule;
  /**
   * 2.0 deletes a service's stale topics with one `DELETE /v1/topics/deleteStale`; earlier
   * versions (and a 2.0 server answering it with 404) one DELETE per topic.
   */
  readonly staleDeleteEndpoint: boolean;
  /** PipelineStatus.pipelineState `stopped` exists from 1.13 (a cancelled run is `failed` before). */
  readonly pipelineStateStopped: boolean;
  /** Connection keys newer versions added, stored with a new service only where the server knows them. */
  readonly connectionKeys: {
    /** awsConfig.enabled (1.13). */
    readonly awsConfigEnabled: boolean;
    /** The connection's own topicFilterPattern (1.9). */
    readonly topicFilterPattern: boolean;
    /** supportsProfiler (2.0). */
    readonly supportsProfiler: boolean;
  };
}

export interface ServerVersion {
  major: number;
  minor: number;
}

/** The versions this product speaks, by major.minor. */
export const SUPPORTED_VERSIONS = { oldest: { major: 1, minor: 3 }, newest: { major: 2, minor: 0 } } as const;
export const SUPPORTED_RANGE_TEXT = '1.3 to 2.0';

/** `x.y.z` at the start of the version text (`1.6.2`, `2.0.7-SNAPSHOT`), or undefined. */
export function parseServerVersion(text: string): ServerVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

const compare = (a: ServerVersion, b: ServerVersion): number => a.major - b.major || a.minor - b.minor;
const atLeast = (version: ServerVersion, major: number, minor: number): boolean =>
  compare(version, { major, minor }) >= 0;

export function isSupportedServerVersion(version: ServerVersion): boolean {
  return compare(version, SUPPORTED_VERSIONS.oldest) >= 0 && compare(version, SUPPORTED_VERSIONS.newest) <= 0;
}

/**
 * The dialect of a server version (its text as GET /v1/system/version answers it). A version
 * outside the range (only reached with enableVersionValidation: false) speaks the nearest
 * supported one; one that does not parse, the oldest.
 */
export function dialectFor(versionText: string | undefined): OpenMetadataDialect {
  const parsed = versionText === undefined ? undefined : parseServerVersion(versionText);
  let version: ServerVersion = parsed ?? SUPPORTED_VERSIONS.oldest;
  if (compare(version, SUPPORTED_VERSIONS.oldest) < 0) version = SUPPORTED_VERSIONS.oldest;
  if (compare(version, SUPPORTED_VERSIONS.newest) > 0) version = SUPPORTED_VERSIONS.newest;
  return {
    version: `${version.major}.${version.minor}`,
    filterRule: atLeast(version, 1, 5) ? 'includesAndExcludes' : 'includesWin',
    staleDeleteEndpoint: atLeast(version, 2, 0),
    pipelineStateStopped: atLeast(version, 1, 13),
    connectionKeys: {
      awsConfigEnabled: atLeast(version, 1, 13),
      topicFilterPattern: atLeast(version, 1, 9),
      supportsProfiler: atLeast(version, 2, 0),
    },
  };
}
