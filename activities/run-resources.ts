import { awsClientsFor, type AwsClientOptions, type AwsClients } from './aws/aws-clients.js';
import { redactSecrets, toActivityFailure } from './errors.js';
import { OpenMetadataClient } from './openmetadata/openmetadata-client.js';
import { resolveSecretField, secretFieldsOf, type SecretSources } from './secrets.js';
import type { RunContext } from '../common/run-context.js';

/** What the worker gives its activities: where secrets come from, and how to reach AWS. */
export interface ActivityDependencies extends SecretSources {
  aws?: AwsClientOptions;
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
  /** The AWS clients of the run's awsConfig, cached per worker process. */
  aws(ctx: RunContext): AwsClients;
  /** An OpenMetadata client with the run's token and headers resolved on this worker. */
  openMetadata(ctx: RunContext): OpenMetadataClient;
  /**
   * Runs an activity body and converts its failure at the boundary: Temporal records the
   * failure in history and shows it in the UI, so every resolved secret is removed first.
   */
  boundary<T>(ctx: RunContext | undefined, body: () => Promise<T> | T): Promise<T>;
  /** Removes the run's secrets from a message an activity returns rather than throws (a warning). */
  redact(ctx: RunContext, message: string): string;
}

export function createRunResources(deps: ActivityDependencies): RunResources {
  /** The resolved values of every secret of the run (token files read), to scrub from messages. */
  const knownSecrets = (ctx: RunContext): string[] => {
    const secrets: string[] = [];
    for (const secret of secretFieldsOf(ctx.config)) {
      try {
        secrets.push(resolveSecretField(secret, deps));
      } catch {
        // An unresolvable secret cannot appear in a message either.
      }
    }
    return secrets;
  };

  return {
    secrets: deps,
    pageSizes: deps.pageSizes ?? {},
    aws: (ctx) => awsClientsFor(ctx.config.aws, deps, deps.aws),
    openMetadata(ctx) {
      const om = ctx.config.openMetadata;
      let token: string | undefined;
      const extraHeaders: Record<string, string> = {};
      for (const secret of secretFieldsOf(ctx.config)) {
        if (secret.kind === 'token') token = resolveSecretField(secret, deps);
        if (secret.kind === 'header' && secret.header)
          extraHeaders[secret.header] = resolveSecretField(secret, deps);
      }
      return new OpenMetadataClient({
        hostPort: om.hostPort,
        extraHeaders,
        verifySSL: om.verifySSL,
        ...(token ? { jwtToken: token } : {}),
        ...(om.caCertificate ? { caCertificate: om.caCertificate } : {}),
      });
    },
    redact: (ctx, message) => redactSecrets(message, knownSecrets(ctx)),
    async boundary(ctx, body) {
      try {
        return await body();
      } catch (error) {
        throw toActivityFailure(error, ctx ? knownSecrets(ctx) : []);
      }
    },
  };
}
