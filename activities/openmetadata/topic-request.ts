import { createHash } from 'node:crypto';
import type { StreamFacts } from '../../common/stream-facts.js';
import {
  canonicalJson,
  SAMPLE_DIGEST_KEY,
  toCreateTopicRequest,
  type CreateTopicRequest,
  type TopicDetails,
} from '../../common/topic-mapping.js';
import type { StoredTopicState } from './stored-topics.js';

/**
 * The topic a run writes for a stream: its mapping, the digest of the sample data the stored
 * topic carries (kept: only the sample step changes it), and the request's sourceHash.
 */
export function topicRequestOf(
  facts: StreamFacts,
  serviceFqn: string,
  region: string,
  sampleDigest: string | undefined,
  details: TopicDetails = {},
): CreateTopicRequest {
  const request = toCreateTopicRequest(facts, serviceFqn, region, details);
  if (sampleDigest !== undefined)
    request.topicConfig = { ...request.topicConfig, [SAMPLE_DIGEST_KEY]: sampleDigest };
  return withSourceHash(request);
}

/** The request with its sourceHash, computed over everything else it sends. */
export function withSourceHash<T extends object>(request: T): T & { sourceHash: string } {
  return { ...request, sourceHash: sourceHashOf(request) };
}

/** The digest of the sample data a stored topic says it holds. */
export function storedSampleDigest(stored: StoredTopicState | undefined): string | undefined {
  const config = stored?.fields.topicConfig as Record<string, unknown> | undefined;
  const digest = config?.[SAMPLE_DIGEST_KEY];
  return typeof digest === 'string' ? digest : undefined;
}

/**
 * OpenMetadata's `sourceHash` of a create request, as the official client computes it
 * (metadata/utils/source_hash.py): the MD5 hex digest (32 characters, the field's limit) of
 * the request's JSON without `sourceHash`, keys sorted so that equal requests hash alike.
 */
export function sourceHashOf(request: object): string {
  const { sourceHash: _ignored, ...rest } = request as { sourceHash?: unknown };
  return md5Hex(canonicalJson(rest));
}

/**
 * The digest of a message schema's type and text, as the topic records the schema this product
 * wrote. Field descriptions and tags that users add in OpenMetadata change neither, and
 * OpenMetadata keeps them when the same fields are written again.
 */
export function schemaDigestOf(schema: { schemaType?: unknown; schemaText?: unknown }): string {
  return md5Hex(canonicalJson({ schemaType: schema.schemaType, schemaText: schema.schemaText }));
}

/** The digest of a sample as its topic records it: equal messages, equal digest. */
export function sampleDigestOf(messages: readonly string[]): string {
  return md5Hex(JSON.stringify(messages));
}

function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
