// The topic step's sample data: written only when it differs from what the topic holds, and
// the topic's record of it set back when that write fails.
import type { SampleDataResult } from '../../common/activity-results.js';
import type { RunContext } from '../../common/run-context.js';
import { SAMPLE_DIGEST_KEY, type CreateTopicRequest } from '../../common/topic-mapping.js';
import type { OpenMetadataClient } from '../openmetadata/openmetadata-client.js';
import { sampleDigestOf, withSourceHash } from '../openmetadata/topic-request.js';

/**
 * Stores the messages as the topic's sample data unless they are what it holds: known from the
 * digest the stored topic records, or, for a topic that records none (written before digests,
 * or by another client), by reading the stored sample back. A topic this run created holds
 * none; in a dry run, true says it would be written.
 */
export async function writeSampleData(
  client: OpenMetadataClient,
  ctx: RunContext,
  topicId: string | undefined,
  topicIsNew: boolean,
  storedDigest: string | undefined,
  messages: string[],
): Promise<SampleDataResult['written']> {
  const digest = sampleDigestOf(messages);
  if (!topicIsNew && topicId) {
    if (storedDigest !== undefined) {
      if (storedDigest === digest) return false;
    } else {
      const stored = await client.sampleData(topicId);
      if (stored && sampleDigestOf(stored) === digest) return false;
    }
  }
  if (ctx.options.dryRun || !topicId) return ctx.options.dryRun;
  await client.putSampleData(topicId, messages);
  return true;
}

/** Writes the topic again recording `storedDigest` (or no digest) instead of the new sample's. */
export async function forgetSampleDigest(
  client: OpenMetadataClient,
  written: CreateTopicRequest,
  sentBack: Record<string, unknown>,
  storedDigest: string | undefined,
): Promise<void> {
  const { [SAMPLE_DIGEST_KEY]: _unstored, ...topicConfig } = written.topicConfig;
  const { sourceHash: _hash, ...request } = written;
  await client.putTopic({
    ...withSourceHash({
      ...request,
      topicConfig:
        storedDigest === undefined ? topicConfig : { ...topicConfig, [SAMPLE_DIGEST_KEY]: storedDigest },
    }),
    ...sentBack,
  });
}
