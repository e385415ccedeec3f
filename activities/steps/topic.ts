import { activityInfo, heartbeat } from '@temporalio/activity';
import type { TopicUpsertResult } from '../../common/activity-results.js';
import { messageSchemaPreview } from '../../common/message-schema/index.js';
import type { RunContext } from '../../common/run-context.js';
import type { StreamFacts } from '../../common/stream-facts.js';
import {
  changedTopicFields,
  CONSUMERS_CONFIG_KEY,
  keepStoredConfigValues,
  SAMPLE_DIGEST_KEY,
  SCHEMA_DIGEST_KEY,
  TAGS_CONFIG_KEY,
  toCreateTopicRequest,
  topicFqn,
  UnmappableStreamError,
} from '../../common/topic-mapping.js';
import { lookUpSchemaVersion } from '../aws/glue-schema-registry.js';
import { sampleStreamRecords } from '../aws/shard-sampling.js';
import { listStreamConsumers, listStreamTags } from '../aws/stream-details.js';
import { heartbeatAtMostEvery } from '../heartbeats.js';
import { storedTopicState, type StoredTopicState } from '../openmetadata/stored-topics.js';
import {
  sampleDigestOf,
  schemaDigestOf,
  storedSampleDigest,
  withSourceHash,
} from '../openmetadata/topic-request.js';
import { messageSchemaDecision, userFieldsToSendBack } from '../openmetadata/topic-ownership.js';
import {
  hasOwner,
  ownerNamed,
  ownerReadField,
  ownerRequestFields,
  serverVersionOf,
} from '../openmetadata/topic-owner.js';
import { StreamSample, type StreamSampleResult } from '../records/stream-sample.js';
import { forgetSampleDigest, writeSampleData } from './topic-sample-data.js';
import type { RunResources } from '../run-resources.js';
import { OptionalParts } from './optional-parts.js';

/** What an attempt of the topic step that wrote the topic tells the attempts after it. */
interface EarlierAttempt {
  outcome: 'created' | 'updated' | 'unchanged';
  changedFields: string[];
}

export function createTopicActivities({
  aws,
  openMetadata,
  storedTopics,
  pageSizes,
  boundary,
  redact,
}: Pick<RunResources, 'aws' | 'openMetadata' | 'storedTopics' | 'pageSizes' | 'boundary' | 'redact'>) {
  /** Reads the stream's sample: its messages, and its registered or inferred message schema. */
  const readSample = async (
    ctx: RunContext,
    streamName: string,
    progress: () => void,
  ): Promise<StreamSampleResult> => {
    const { kinesis, glue } = aws(ctx);
    const sample = new StreamSample(ctx.options.sampleSize, (id) => lookUpSchemaVersion(glue, id));
    await sampleStreamRecords(
      kinesis,
      streamName,
      sample,
      pageSizes.shards ? { shardPageSize: pageSizes.shards } : {},
      progress,
    );
    return sample.result();
  };

  return {
    /**
     * The topic of one stream, written in one PUT with everything known of it: the described
     * facts, and (each optional, see OptionalParts) the message schema of the sampled records,
     * the enhanced fan-out consumers, the tags and the owner they name; then the sample data.
     * Written only when a field this product owns changed (or the topic is new, or was
     * soft-deleted and its stream is back); what users own is sent back as stored (see
     * topic-ownership.ts), and an owner is set only on a topic that has none. Reading the
     * sample first, in this activity, keeps the schema (tens of KB) out of workflow history
     * and costs one topic write, not two: the topic records its sample's digest, so that the
     * next run tells an unchanged sample without reading it back. The stored topic comes from the run's index of the service's topics
     * (pages of ~100): an unchanged topic costs no request of its own.
     */
    async upsertTopic(ctx: RunContext, serviceFqn: string, facts: StreamFacts): Promise<TopicUpsertResult> {
      return boundary(ctx, async () => {
        const region = ctx.config.aws.awsRegion;
        try {
          toCreateTopicRequest(facts, serviceFqn, region);
        } catch (error) {
          if (error instanceof UnmappableStreamError)
            return { outcome: 'skipped', changedFields: [], reason: error.message };
          throw error;
        }
        const parts = new OptionalParts((message) => redact(ctx, message));
        // An earlier attempt that wrote the topic and then failed (writing the sample data, say)
        // left what it did in its heartbeat: this attempt reports it, not "unchanged".
        const earlier = activityInfo().heartbeatDetails as EarlierAttempt | undefined;
        const progress = heartbeatAtMostEvery(1000, () => earlier);
        const { kinesis } = aws(ctx);
        const sample =
          ctx.config.generateSampleData && ctx.options.sampleSize > 0
            ? await parts.run('sample', 'sampleData', () => readSample(ctx, facts.name, progress))
            : undefined;
        for (const warning of sample?.warnings ?? []) parts.warn('sampleData', warning);
        // Only a count of zero spares the call: an endpoint that does not report one may have consumers.
        const consumers =
          facts.consumerCount === 0
            ? undefined
            : await parts.run('consumers', 'upsertTopic', () => listStreamConsumers(kinesis, facts.arn));
        const tags =
          ctx.options.streamTags || ctx.options.ownerTagKey
            ? await parts.run('tags', 'upsertTopic', () => listStreamTags(kinesis, facts.name))
            : undefined;

        const client = openMetadata(ctx);
        const ownerName = ctx.options.ownerTagKey ? tags?.[ctx.options.ownerTagKey] : undefined;
        const serverVersion = ownerName
          ? (ctx.openMetadataVersion ?? (await serverVersionOf(client, ctx.config.openMetadata.hostPort)))
          : undefined;
        const fqn = topicFqn(ctx.config.serviceName, facts.name);
        // Whether the topic has an owner is read with the topic by name, and only when a tag may
        // set one; everything else comes from the run's index of the service's topics.
        const withOwner = serverVersion
          ? await client.topicByFqn(fqn, {
              include: 'all',
              fields: [ownerReadField(serverVersion), 'sourceHash'],
            })
          : undefined;
        const stored: StoredTopicState | undefined = serverVersion
          ? withOwner && storedTopicState(withOwner)
          : await storedTopics.stateOf(client, ctx.runId, serviceFqn, facts.name, fqn);
        const storedDigest = storedSampleDigest(stored);
        const sampleDigest =
          sample && sample.messages.length > 0 ? sampleDigestOf(sample.messages) : undefined;
        const schema = messageSchemaDecision(sample?.messageSchema, stored);
        if (schema.keptForeign)
          parts.warn(
            'upsertTopic',
            `the topic's message schema was not written by om-kinesis (a user, a schema registry or another tool wrote it): it is left as it is, and the schema read from the stream's records is not written`,
          );
        const request = toCreateTopicRequest(facts, serviceFqn, region, {
          ...(schema.write ? { messageSchema: schema.write } : {}),
          ...(consumers ? { consumers } : {}),
          ...(tags && ctx.options.streamTags ? { tags } : {}),
        });
        // What was not learnt this run stays as stored: a failed call, tags not asked for, a
        // sample not read.
        keepStoredConfigValues(request, stored?.fields, [
          ...(parts.didFail('consumers') ? [CONSUMERS_CONFIG_KEY] : []),
          ...(parts.didFail('tags') || !ctx.options.streamTags ? [TAGS_CONFIG_KEY] : []),
          ...(sampleDigest === undefined ? [SAMPLE_DIGEST_KEY] : []),
          ...(schema.write === undefined ? [SCHEMA_DIGEST_KEY] : []),
        ]);
        if (sampleDigest !== undefined) request.topicConfig[SAMPLE_DIGEST_KEY] = sampleDigest;
        if (schema.write) request.topicConfig[SCHEMA_DIGEST_KEY] = schemaDigestOf(schema.write);
        // Sent with every write, outside the sourceHash: what users own stays as they stored it.
        const sentBack = userFieldsToSendBack(stored, schema);
        let ownerFields: Record<string, unknown> = {};
        if (ownerName && serverVersion && !(withOwner && hasOwner(withOwner))) {
          const owner = await parts.run('owner', 'upsertTopic', () =>
            ownerNamed(client, ctx.config.openMetadata.hostPort, ownerName),
          );
          if (owner) ownerFields = ownerRequestFields(owner, serverVersion);
          else if (!parts.didFail('owner'))
            parts.warn(
              'upsertTopic',
              `no OpenMetadata user or team is named "${ownerName}" (tag ${ctx.options.ownerTagKey} of stream ${facts.name}): the topic's owner is left unset`,
            );
        }

        // The owner is set only on a topic without one: when it is in the request, it is a change.
        const changedFieldsOf = (topic: Record<string, unknown>): string[] => [
          ...changedTopicFields(request, topic),
          ...Object.keys(ownerFields),
        ];
        const body = withSourceHash({ ...request, ...ownerFields });
        // Unchanged: the same sourceHash, or (a topic another client wrote) the same fields.
        const changedSince = (topic: StoredTopicState): string[] =>
          topic.sourceHash === body.sourceHash ? [] : changedFieldsOf(topic.fields);
        const result: TopicUpsertResult = { outcome: 'unchanged', changedFields: [] };
        if (ctx.options.dryRun) {
          result.changedFields = stored ? changedSince(stored) : [];
          result.outcome = !stored
            ? 'created'
            : result.changedFields.length > 0 || stored.deleted
              ? 'updated'
              : 'unchanged';
          if (stored) result.topicId = stored.id;
          if (request.messageSchema && (!stored || result.changedFields.includes('messageSchema')))
            result.schemaPreview = messageSchemaPreview(request.messageSchema);
        } else {
          let restored = false;
          if (stored?.deleted) {
            // The stream is back (or filtered in again): its topic returns with its history.
            await client.restoreTopic(stored.id);
            restored = true;
          }
          result.changedFields = stored ? changedSince(stored) : [];
          if (stored && result.changedFields.length === 0) {
            result.topicId = stored.id;
            result.outcome = restored ? 'updated' : 'unchanged';
            if (restored) result.changedFields = ['deleted'];
          } else {
            const { entity, change } = await client.putTopic({ ...body, ...sentBack });
            result.topicId = entity.id;
            result.outcome =
              change === 'entityCreated'
                ? 'created'
                : change === 'entityNoChange' && !restored
                  ? 'unchanged'
                  : 'updated';
          }
        }
        if (earlier && result.outcome === 'unchanged' && earlier.outcome !== 'unchanged') {
          result.outcome = earlier.outcome;
          result.changedFields = earlier.changedFields;
        }
        if (sample && sample.messages.length > 0) {
          const topicId = result.topicId;
          const done: EarlierAttempt = { outcome: result.outcome, changedFields: result.changedFields };
          const written = await parts.run(
            'sampleData',
            'sampleData',
            () =>
              writeSampleData(
                client,
                ctx,
                topicId,
                result.outcome === 'created',
                storedDigest,
                sample.messages,
              ).catch((error: unknown) => {
                // Only an attempt that fails after writing the topic tells the next one what it did
                // (a heartbeat per stream costs the worker's main thread).
                heartbeat(done);
                throw error;
              }),
            { write: true },
          );
          if (written === undefined && !ctx.options.dryRun && topicId && sampleDigest !== storedDigest) {
            // The topic now records a sample that was not stored: record the stored one again
            // (or none), so that the next run writes the sample rather than trust the digest.
            await forgetSampleDigest(client, body, sentBack, storedDigest).catch(() => undefined);
          }
          result.sample = {
            messages: sample.messages.length,
            written: written ?? false,
            inferenceMs: sample.inferenceMs,
          };
        } else if (sample) {
          result.sample = { messages: 0, written: false, inferenceMs: sample.inferenceMs };
        }
        if (parts.warnings.length > 0) result.warnings = parts.warnings;
        return result;
      });
    },
  };
}
