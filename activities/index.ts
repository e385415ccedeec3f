import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import type {
  AwsIdentity,
  SampleDataResult,
  ServiceUpsertResult,
  StreamBatchCursor,
  StreamBatchListing,
  SweepResult,
  TopicUpsertResult,
} from '../common/activity-results.js';
import {
  compileFilterPattern,
  validateIngestionConfigObject,
  formatConfigIssue,
} from '../common/config/index.js';
import type { PreparedRun, RunContext } from '../common/run-context.js';
import {
  DEFAULT_RUN_OPTIONS,
  RUN_OPTION_LIMITS,
  type IngestionRunInput,
  type NormalizedRunOptions,
} from '../common/run-input.js';
import type { StreamFacts } from '../common/stream-facts.js';
import {
  changedTopicFields,
  quoteFqnPart,
  toCreateTopicRequest,
  topicFqn,
  UnmappableStreamError,
} from '../common/topic-mapping.js';
import { isSealed } from '../common/sealed-secrets.js';
import { awsClientsFor, type AwsClientOptions, type AwsClients } from './aws/aws-clients.js';
import { classifyAwsError } from './aws/aws-errors.js';
import {
  describeStreamFacts,
  listAllStreamNames,
  listStreamNamesPage,
  type StreamListingCursor,
} from './aws/kinesis-listing.js';
import { sampleStreamMessages } from './aws/shard-sampling.js';
import { heartbeatAtMostEvery } from './heartbeats.js';
import { InvalidRunInputError, OpenMetadataVersionMismatchError, toActivityFailure } from './errors.js';
import { OpenMetadataClient } from './openmetadata/openmetadata-client.js';
import { toCreateMessagingServiceRequest } from './openmetadata/service-request.js';
import { environmentReference } from '../common/secret-references.js';
import { resolveSecretField, secretFieldsOf, type SecretSources } from './secrets.js';

export interface ActivityDependencies extends SecretSources {
  aws?: AwsClientOptions;
  /** Page sizes of the Kinesis listings (AWS's maximums by default; small ones exercise paging). */
  pageSizes?: { streams?: number; shards?: number };
}

/**
 * The activities of an ingestion run: every piece of I/O (STS, Kinesis, OpenMetadata) happens
 * here. Each one decides at its boundary whether a failure is worth retrying, and removes
 * secret values from what it reports.
 */
export function createActivities(deps: ActivityDependencies) {
  const clientsOf = (ctx: RunContext): AwsClients => awsClientsFor(ctx.config.aws, deps, deps.aws);

  const openMetadataOf = (ctx: RunContext): OpenMetadataClient => {
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
  };

  /** Runs an activity body, converting its failure at the boundary (secrets redacted). */
  async function boundary<T>(ctx: RunContext | undefined, body: () => Promise<T> | T): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw toActivityFailure(error, ctx ? knownSecrets(ctx) : []);
    }
  }

  /** The resolved values of every secret of the run (token files read), to scrub from messages. */
  function knownSecrets(ctx: RunContext): string[] {
    const secrets: string[] = [];
    for (const secret of secretFieldsOf(ctx.config)) {
      try {
        secrets.push(resolveSecretField(secret, deps));
      } catch {
        // An unresolvable secret cannot appear in a message either.
      }
    }
    return secrets;
  }

  return {
    /** Validates the run input on the worker: a run started with the Temporal CLI gets the same checks as one from our CLI. */
    async prepareRun(input: IngestionRunInput): Promise<PreparedRun> {
      return boundary(undefined, () => {
        if (!input || typeof input !== 'object' || !('config' in input)) {
          throw new InvalidRunInputError(
            'the run input must be a JSON object {"config": <the ingestion YAML as JSON>, "options": {...}}',
          );
        }
        const result = validateIngestionConfigObject(input.config);
        const config = result.config;
        if (!config || result.errors.length > 0) {
          throw new InvalidRunInputError(
            `the config in the run input is invalid:\n${result.errors.map(formatConfigIssue).join('\n')}`,
          );
        }
        const ctx: RunContext = { config, options: normalizeRunOptions(input.options) };
        const warnings = result.warnings.map(formatConfigIssue);
        for (const secret of secretFieldsOf(ctx.config)) {
          // Resolving now makes a missing variable or key fail the run at once, not per stream.
          resolveSecretField(secret, deps);
          const plaintext = environmentReference(secret.value) === undefined && !isSealed(secret.value);
          if (
            plaintext &&
            (secret.field.endsWith('awsSecretAccessKey') ||
              secret.field.endsWith('awsSessionToken') ||
              secret.kind === 'token')
          ) {
            warnings.push(
              `${secret.field} was given in plaintext in the run input, so it is stored in this run's Temporal history: reference an environment variable of the workers (\${NAME}) or start runs with om-kinesis, which seals it`,
            );
          }
        }
        return { ...ctx, warnings };
      });
    },

    async verifyAwsIdentity(ctx: RunContext): Promise<AwsIdentity> {
      return boundary(ctx, async () => {
        if (!ctx.config.aws.assumeRoleArn) return { assumedRole: false };
        const { sts } = clientsOf(ctx);
        try {
          const identity = await sts.send(new GetCallerIdentityCommand({}));
          return { assumedRole: true, account: identity.Account ?? '', arn: identity.Arn ?? '' };
        } catch (error) {
          throw classifyAwsError(error, 'sts:AssumeRole', ctx.config.aws.assumeRoleArn);
        }
      });
    },

    async checkOpenMetadata(ctx: RunContext): Promise<{ version: string }> {
      return boundary(ctx, async () => {
        const client = openMetadataOf(ctx);
        const version = await client.serverVersion();
        if (ctx.config.openMetadata.enableVersionValidation && !isSupportedServerVersion(version)) {
          throw new OpenMetadataVersionMismatchError(
            `OpenMetadata server version ${version} is not supported (1.3 or a later 1.x is): upgrade the server, or set workflowConfig.openMetadataServerConfig.enableVersionValidation: false to try anyway`,
          );
        }
        // The version endpoint needs no token: an authenticated read proves the token works.
        await client.messagingServiceByName(ctx.config.serviceName);
        return { version };
      });
    },

    async checkKinesisConnection(ctx: RunContext): Promise<void> {
      return boundary(ctx, async () => {
        try {
          await clientsOf(ctx).kinesis.send(new ListStreamsCommand({ Limit: 1 }));
        } catch (error) {
          throw classifyAwsError(error, 'kinesis:ListStreams');
        }
      });
    },

    async upsertMessagingService(ctx: RunContext): Promise<ServiceUpsertResult> {
      return boundary(ctx, async () => {
        const serviceFqn = quoteFqnPart(ctx.config.serviceName);
        const client = openMetadataOf(ctx);
        if (ctx.options.dryRun) {
          const existing = await client.messagingServiceByName(serviceFqn);
          return { serviceFqn, outcome: existing ? 'unchanged' : 'created' };
        }
        const { entity, change } = await client.putMessagingService(
          toCreateMessagingServiceRequest(ctx.config),
        );
        return {
          serviceFqn: entity.fullyQualifiedName,
          outcome:
            change === 'entityCreated' ? 'created' : change === 'entityUpdated' ? 'updated' : 'unchanged',
        };
      });
    },

    /**
     * Lists stream names after `cursor` until `batchSize` names are kept or the listing ends.
     * Tokens are followed within this call only; the returned cursor is the last name consumed.
     */
    async listStreamsBatch(ctx: RunContext, cursor?: StreamBatchCursor): Promise<StreamBatchListing> {
      return boundary(ctx, async () => {
        const { kinesis } = clientsOf(ctx);
        const keep = compileFilterPattern(ctx.config.filter);
        const progress = heartbeatAtMostEvery();
        const listing: StreamBatchListing = { names: [], seen: 0, filtered: 0 };
        let pageCursor: StreamListingCursor | undefined = cursor
          ? { afterName: cursor.afterName }
          : undefined;
        for (;;) {
          const page = await listStreamNamesPage(kinesis, pageCursor, deps.pageSizes?.streams);
          for (const [index, name] of page.names.entries()) {
            listing.seen += 1;
            if (keep(name)) listing.names.push(name);
            else listing.filtered += 1;
            if (listing.names.length >= ctx.options.batchSize) {
              const listingEndsHere = !page.next && index === page.names.length - 1;
              if (!listingEndsHere) listing.next = { afterName: name };
              return listing;
            }
          }
          if (!page.next) return listing;
          pageCursor = page.next;
          progress();
        }
      });
    },

    async describeStream(ctx: RunContext, streamName: string): Promise<StreamFacts> {
      return boundary(ctx, () =>
        describeStreamFacts(
          clientsOf(ctx).kinesis,
          streamName,
          deps.pageSizes?.shards,
          heartbeatAtMostEvery(),
        ),
      );
    },

    async upsertTopic(ctx: RunContext, serviceFqn: string, facts: StreamFacts): Promise<TopicUpsertResult> {
      return boundary(ctx, async () => {
        let request;
        try {
          request = toCreateTopicRequest(facts, serviceFqn, ctx.config.aws.awsRegion);
        } catch (error) {
          if (error instanceof UnmappableStreamError)
            return { outcome: 'skipped', changedFields: [], reason: error.message };
          throw error;
        }
        const client = openMetadataOf(ctx);
        const fqn = topicFqn(ctx.config.serviceName, facts.name);
        let stored = await client.topicByFqn(fqn, { include: 'all' });
        if (ctx.options.dryRun) {
          if (!stored) return { outcome: 'created', changedFields: [] };
          const changedFields = changedTopicFields(request, stored);
          const outcome = changedFields.length > 0 || stored.deleted ? 'updated' : 'unchanged';
          return { topicId: stored.id, outcome, changedFields };
        }
        let restored = false;
        if (stored?.deleted) {
          // The stream is back (or filtered in again): its topic returns with its history.
          stored = await client.restoreTopic(stored.id);
          restored = true;
        }
        const changedFields = stored ? changedTopicFields(request, stored) : [];
        if (stored && changedFields.length === 0) {
          return {
            topicId: stored.id,
            outcome: restored ? 'updated' : 'unchanged',
            changedFields: restored ? ['deleted'] : [],
          };
        }
        const { entity, change } = await client.putTopic(request);
        const outcome =
          change === 'entityCreated'
            ? 'created'
            : change === 'entityNoChange' && !restored
              ? 'unchanged'
              : 'updated';
        return { topicId: entity.id, outcome, changedFields };
      });
    },

    /** Samples the stream and stores the messages as the topic's sample data (only if they changed). */
    async ingestSampleData(
      ctx: RunContext,
      streamName: string,
      topicId: string | undefined,
      /** The topic was created by this run's upsert: it has no sample data to compare with yet. */
      topicIsNew = false,
    ): Promise<SampleDataResult> {
      return boundary(ctx, async () => {
        const limits = {
          maxMessages: ctx.options.sampleSize,
          ...(deps.pageSizes?.shards ? { shardPageSize: deps.pageSizes.shards } : {}),
        };
        const messages = await sampleStreamMessages(
          clientsOf(ctx).kinesis,
          streamName,
          limits,
          heartbeatAtMostEvery(),
        );
        if (messages.length === 0) return { messages: 0, written: false };
        const client = openMetadataOf(ctx);
        const stored = topicId && !topicIsNew ? await client.sampleData(topicId) : undefined;
        if (stored && sameMessages(stored, messages)) return { messages: messages.length, written: false };
        // In a dry run, `written` says that it would be written.
        if (ctx.options.dryRun || !topicId) return { messages: messages.length, written: ctx.options.dryRun };
        await client.putSampleData(topicId, messages);
        return { messages: messages.length, written: true };
      });
    },

    /**
     * Soft-deletes the service's topics whose stream is gone from Kinesis or filtered out. It
     * lists Kinesis again, in full, itself: a topic whose stream exists is never deleted, even
     * if that stream failed in this run, and a listing that fails deletes nothing.
     */
    async sweepStaleTopics(ctx: RunContext, serviceFqn: string): Promise<SweepResult> {
      return boundary(ctx, async () => {
        const keep = compileFilterPattern(ctx.config.filter);
        const names = await listAllStreamNames(
          clientsOf(ctx).kinesis,
          () => heartbeat(),
          deps.pageSizes?.streams,
        );
        const live = new Set(names.filter(keep));
        const client = openMetadataOf(ctx);
        const stale: Array<{ id: string; name: string }> = [];
        for await (const page of client.topicsOfService(serviceFqn, { include: 'non-deleted', limit: 500 })) {
          for (const topic of page) if (!live.has(topic.name)) stale.push({ id: topic.id, name: topic.name });
          heartbeat();
        }
        // A retried sweep lists again (deleted topics no longer appear) and keeps counting from
        // what earlier attempts deleted, carried in their heartbeats.
        const earlier = activityInfo().heartbeatDetails as SweepResult | undefined;
        const result: SweepResult = { deleted: earlier?.deleted ?? 0, names: [...(earlier?.names ?? [])] };
        for (const topic of stale) {
          if (!ctx.options.dryRun) await client.deleteTopic(topic.id);
          result.deleted += 1;
          if (result.names.length < 100) result.names.push(topic.name);
          heartbeat(result);
        }
        if (result.deleted > 0)
          log.info('stale topics soft-deleted', {
            service: serviceFqn,
            count: result.deleted,
            dryRun: ctx.options.dryRun,
          });
        return result;
      });
    },
  };
}

export type IngestionActivities = ReturnType<typeof createActivities>;

function isSupportedServerVersion(version: string): boolean {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major === 1 && minor !== undefined && minor >= 3;
}

function sameMessages(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((message, i) => message === b[i]);
}

/** Clamps run options to their bounds and fills defaults. */
export function normalizeRunOptions(options: IngestionRunInput['options']): NormalizedRunOptions {
  const normalized: NormalizedRunOptions = { ...DEFAULT_RUN_OPTIONS };
  if (!options) return normalized;
  if (typeof options !== 'object') throw new InvalidRunInputError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_RUN_OPTIONS)) {
      throw new InvalidRunInputError(
        `options.${key}: Unknown key (expected one of ${Object.keys(DEFAULT_RUN_OPTIONS).join(', ')})`,
      );
    }
  }
  if (options.dryRun !== undefined) {
    if (typeof options.dryRun !== 'boolean')
      throw new InvalidRunInputError('options.dryRun: Expected boolean');
    normalized.dryRun = options.dryRun;
  }
  for (const key of Object.keys(RUN_OPTION_LIMITS) as Array<keyof typeof RUN_OPTION_LIMITS>) {
    const value = options[key];
    if (value === undefined) continue;
    const { min, max } = RUN_OPTION_LIMITS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidRunInputError(`options.${key}: Expected an integer from ${min} to ${max}`);
    }
    normalized[key] = value;
  }
  return normalized;
}
