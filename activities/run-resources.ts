import { awsClientsFor, type AwsClientOptions, type AwsClients } from './aws/aws-clients.js';
import type { MetricMeter } from '@temporalio/common';
import { redactSecrets, toActivityFailure } from './errors.js';
import { activityMetrics } from './metrics.js';
import { OpenMetadataClient } from './openmetadata/openmetadata-client.js';
import { StoredTopics } from './openmetadata/stored-topics.js';
import { guardedAgents } from './network/guarded-agents.js';
import { authorizeRun, type RunAccess } from './policy/authorize-run.js';
import { readAllowedFile } from './policy/allowed-files.js';
import type { RunPolicy } from './policy/run-policy.js';
import { resolveSecretField, secretFieldsOf, type SecretSources } from './secrets.js';
import type { IngestionConfig } from '../common/config/index.js';
import type { RunContext } from '../common/run-context.js';

/** What the worker gives its activities: where secrets come from, what runs may reach, how to reach AWS. */
export interface ActivityDependencies extends SecretSources {
  /** What runs may make this worker reach (see activities/policy/run-policy.ts). */
  policy: RunPolicy;
  aws?: AwsClientOptions;
  /** Where the product's metrics go (the worker's Temporal metric meter); none by default. */
  metrics?: MetricMeter;
  /** Page sizes of the Kinesis listings (AWS's maximums by default; small ones exercise paging). */
  pageSizes?: { streams?: number; shards?: number };
}

/**
 * What the steps of a run share: clients built from the run's config on this worker, and the
 * boundary every activity body runs inside. Each step module declares the part it uses
 * (`Pick<RunResources, ...>`), so its dependencies show in its signature.
 */
export interface RunResources {
  /** The secret sources of this worker (prepare resolves every secret once, up front). */
  readonly secrets: SecretSources;
  readonly pageSizes: NonNullable<ActivityDependencies['pageSizes']>;
  /**
   * Checks a run's config against the worker's policy: RunRefusedError when it asks for what
   * the worker does not allow. Every client below is built only after this check.
   */
  authorize(config: IngestionConfig): RunAccess;
  /** The AWS clients of the run's awsConfig, cached per worker process. */
  aws(ctx: RunContext): AwsClients;
  /** An OpenMetadata client with the run's token and headers resolved on this worker. */
  openMetadata(ctx: RunContext): OpenMetadataClient;
  /** Each run's stored topics, read once per run on this worker in pages of the service's topics. */
  readonly storedTopics: StoredTopics;
  /**
   * Runs an activity body and converts its failure at the boundary: Temporal records the
   * failure in history and shows it in the UI, so every resolved secret is removed first.
   * With a run context, the run is authorized first (workflow input reaches activities
   * without prepare's checks when a workflow is started with a forged state).
   */
  boundary<T>(ctx: RunContext | undefined, body: () => Promise<T> | T): Promise<T>;
  /** Removes the run's secrets from a message an activity returns rather than throws (a warning). */
  redact(ctx: RunContext, message: string): string;
}

export function createRunResources(deps: ActivityDependencies): RunResources {
  const authorize = (config: IngestionConfig) =>
    authorizeRun(config, deps.policy, {
      ...(deps.aws?.stsEndpoint ? { stsEndpoint: deps.aws.stsEndpoint } : {}),
      ...(deps.aws?.glueEndpoint ? { glueEndpoint: deps.aws.glueEndpoint } : {}),
    });

  const metrics = activityMetrics(deps.metrics);
  /** The resolved values of every secret of an authorized run (token files read), to scrub from messages. */
  const knownSecrets = (ctx: RunContext): string[] => {
    try {
      authorize(ctx.config);
    } catch {
      // Nothing of a refused run was resolved: nothing to scrub.
      return [];
    }
    const secrets: string[] = [];
    for (const secret of secretFieldsOf(ctx.config)) {
      try {
        secrets.push(resolveSecretField(secret, ctx.config, deps));
      } catch {
        // An unresolvable secret cannot appear in a message either.
      }
    }
    return secrets;
  };

  return {
    secrets: deps,
    pageSizes: deps.pageSizes ?? {},
    storedTopics: new StoredTopics(),
    authorize,
    aws(ctx) {
      const { listedHosts } = authorize(ctx.config);
      return awsClientsFor(ctx.config.aws, deps, { ...deps.aws, listedHosts: [...listedHosts] }, metrics);
    },
    openMetadata(ctx) {
      const { listedHosts } = authorize(ctx.config);
      const om = ctx.config.openMetadata;
      let token: string | undefined;
      const extraHeaders: Record<string, string> = {};
      for (const secret of secretFieldsOf(ctx.config)) {
        if (secret.kind === 'token') token = resolveSecretField(secret, ctx.config, deps);
        if (secret.kind === 'header' && secret.header)
          extraHeaders[secret.header] = resolveSecretField(secret, ctx.config, deps);
      }
      const caField = 'workflowConfig.openMetadataServerConfig.sslConfig.caCertificate';
      return new OpenMetadataClient({
        hostPort: om.hostPort,
        agents: guardedAgents(listedHosts),
        extraHeaders,
        verifySSL: om.verifySSL,
        onWrite: (write, outcome) => metrics.openMetadataWrite(ctx.config.serviceName, write, outcome),
        ...(token ? { jwtToken: token } : {}),
        ...(om.caCertificate && om.verifySSL === 'validate'
          ? { certificateAuthority: readAllowedFile(om.caCertificate, deps.policy, caField, true) }
          : {}),
      });
    },
    redact: (ctx, message) => redactSecrets(message, knownSecrets(ctx)),
    async boundary(ctx, body) {
      try {
        if (ctx) authorize(ctx.config);
        return await body();
      } catch (error) {
        throw toActivityFailure(error, ctx ? knownSecrets(ctx) : []);
      }
    },
  };
}
