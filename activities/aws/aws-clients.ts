import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createHash } from 'node:crypto';
import { GlueClient } from '@aws-sdk/client-glue';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsConfig } from '../../common/config/index.js';
import { resolveAwsCredentials, type SecretSources } from '../secrets.js';
import { destroyGuardedAgents, guardedAgents } from '../network/guarded-agents.js';
import type { ActivityMetrics } from '../metrics.js';
import { countThrottles, GLUE_ACCOUNT_QUOTAS, paceCalls, type AwsRateLimitOptions } from './rate-limits.js';

/** What the AWS clients of a worker report (the first caller's, for the clients it builds). */
export type AwsCallMetrics = Partial<Pick<ActivityMetrics, 'awsThrottled' | 'pacerWaited'>>;

/** The AWS clients of one awsConfig, shared by every activity of the worker that uses it. */
export interface AwsClients {
  kinesis: KinesisClient;
  /** STS with the same (possibly assumed) identity, for GetCallerIdentity. */
  sts: STSClient;
  /** The Glue Schema Registry, for the schemas of records its serializers wrote. */
  glue: GlueClient;
  /** The resolved secret values, so that error messages can be scrubbed of them. */
  secrets: readonly string[];
  assumedRole: boolean;
}

export interface AwsClientOptions {
  /** Assumed-role session length; AWS's default is 3600. Shorter only for tests of refresh. */
  assumeRoleDurationSeconds?: number;
  /** Sockets per client: bounds the in-flight AWS calls of one worker. */
  maxSockets?: number;
  /**
   * STS endpoint override (the YAML's endPointURL is Kinesis's alone). Without it the SDK
   * honours AWS_ENDPOINT_URL_STS, then the regional endpoint.
   */
  stsEndpoint?: string;
  /**
   * Glue endpoint override (the Glue Schema Registry). Without it the SDK honours
   * AWS_ENDPOINT_URL_GLUE, then the regional endpoint.
   */
  glueEndpoint?: string;
  /**
   * Pacing of the per-account Kinesis calls (default: AWS's quotas, all of them for this
   * worker). With N workers on one account, give each `share: 1 / N`; `false` turns it off.
   */
  rateLimits?: AwsRateLimitOptions | false;
  /**
   * Hosts the worker's policy lists: with it, every connection is checked where it is made
   * (activities/network/guarded-agents.ts). Activities always pass it; only direct tests of
   * the SDK wiring go without.
   */
  listedHosts?: readonly string[];
}

const cache = new Map<string, AwsClients>();
const MAX_CACHED = 16;

/**
 * Returns the clients for an awsConfig, built once per worker process: the assumed-role
 * provider then keeps and refreshes one session (the SDK renews credentials shortly before they
 * expire), instead of calling AssumeRole for every activity.
 */
export function awsClientsFor(
  aws: AwsConfig,
  sources: SecretSources,
  options: AwsClientOptions = {},
  metrics: AwsCallMetrics = {},
): AwsClients {
  const { accessKeyId, secretAccessKey, sessionToken } = resolveAwsCredentials(aws, sources);
  const key = createHash('sha256')
    .update(JSON.stringify([aws, accessKeyId, secretAccessKey, sessionToken, options]))
    .digest('hex');
  const cached = cache.get(key);
  if (cached) return cached;

  const maxSockets = options.maxSockets ?? 64;
  const agents = options.listedHosts
    ? guardedAgents(options.listedHosts, { maxSockets })
    : {
        http: new HttpAgent({ keepAlive: true, maxSockets }),
        https: new HttpsAgent({ keepAlive: true, maxSockets }),
      };
  // Node's HTTP client follows no redirect, and neither does the SDK: an endpoint answering
  // 3xx gets no second request, and no credentials go anywhere else.
  const requestHandler = new NodeHttpHandler({
    httpAgent: agents.http,
    httpsAgent: agents.https,
    connectionTimeout: 10_000,
    requestTimeout: 60_000,
  });
  const baseCredentials = baseCredentialsFor(aws, accessKeyId, secretAccessKey, sessionToken);
  const credentials = aws.assumeRoleArn
    ? fromTemporaryCredentials({
        masterCredentials: baseCredentials,
        params: {
          RoleArn: aws.assumeRoleArn,
          RoleSessionName: aws.assumeRoleSessionName,
          // OpenMetadata sends SourceIdentity only when it is set: an empty one is an error at AWS.
          ...(aws.assumeRoleSourceIdentity ? { SourceIdentity: aws.assumeRoleSourceIdentity } : {}),
          ...(options.assumeRoleDurationSeconds
            ? { DurationSeconds: options.assumeRoleDurationSeconds }
            : {}),
        },
        clientConfig: {
          region: aws.awsRegion,
          // AssumeRole goes through the same checked connections as every other call.
          requestHandler,
          ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
        },
      })
    : baseCredentials;

  const clients: AwsClients = {
    kinesis: new KinesisClient({
      region: aws.awsRegion,
      credentials,
      // The default HTTP/2 handler fails against HTTP/1.1 endpoints (emulators, proxies); this
      // product makes no streaming calls that need HTTP/2.
      requestHandler,
      retryMode: 'adaptive',
      maxAttempts: 5,
      ...(aws.endPointURL ? { endpoint: aws.endPointURL } : {}),
    }),
    sts: new STSClient({
      region: aws.awsRegion,
      credentials,
      requestHandler,
      maxAttempts: 3,
      ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    }),
    glue: new GlueClient({
      region: aws.awsRegion,
      credentials,
      requestHandler,
      maxAttempts: 3,
      ...(options.glueEndpoint ? { endpoint: options.glueEndpoint } : {}),
    }),
    secrets: [secretAccessKey, sessionToken].filter((s): s is string => !!s),
    assumedRole: !!aws.assumeRoleArn,
  };
  countThrottles(clients.kinesis, metrics.awsThrottled);
  countThrottles(clients.sts, metrics.awsThrottled);
  countThrottles(clients.glue, metrics.awsThrottled);
  if (options.rateLimits !== false) {
    paceCalls(clients.kinesis, options.rateLimits, undefined, metrics.pacerWaited);
    paceCalls(clients.glue, options.rateLimits, GLUE_ACCOUNT_QUOTAS, metrics.pacerWaited);
  }
  if (cache.size >= MAX_CACHED) {
    // Dropped from the cache, not destroyed: an activity still running may be using it; its
    // idle sockets close on their own (keep-alive timeout).
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, clients);
  return clients;
}

/** Credentials as OpenMetadata resolves them: static keys, else a named profile, else the default chain. */
function baseCredentialsFor(
  aws: AwsConfig,
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
  sessionToken: string | undefined,
): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  if (accessKeyId && secretAccessKey) {
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  if (aws.profileName) return fromIni({ profile: aws.profileName });
  return fromNodeProviderChain();
}

/** Closes every cached client and the guarded agents' idle connections (worker shutdown, tests). */
export function destroyAwsClients(): void {
  destroyGuardedAgents();
  for (const clients of cache.values()) {
    clients.kinesis.destroy();
    clients.sts.destroy();
    clients.glue.destroy();
  }
  cache.clear();
}
