import type { StreamFacts } from './stream-facts.js';

/**
 * Where the next batch of a stream listing starts: after the last name the previous batch
 * consumed. Not a NextToken: tokens expire (ExpiredNextTokenException), and the next batch may
 * be listed minutes later, so they are followed within one activity call only.
 */
export interface StreamBatchCursor {
  afterName: string;
}

export interface AwsIdentity {
  assumedRole: boolean;
  account?: string;
  arn?: string;
}

export interface OpenMetadataCheck {
  /** The server's version, as GET /v1/system/version answers it. */
  version: string;
  /** E.g. a version outside the supported range, with enableVersionValidation: false. */
  warnings: string[];
}

export interface ServiceUpsertResult {
  serviceFqn: string;
  /** An existing service is never written: `unchanged`; a soft-deleted one is `restored` as it was. */
  outcome: 'created' | 'restored' | 'unchanged';
  /** For `created`: the connection keys stored (`awsConfig.awsRegion`, ...); empty when none. */
  connectionKeys?: string[];
}

export interface StreamBatchListing {
  /** Names kept by the filter, in listing order. */
  names: string[];
  /** Names listed in all (kept + filtered). */
  seen: number;
  filtered: number;
  /** Absent when the listing is complete. */
  next?: StreamBatchCursor;
}

export interface TopicUpsertResult {
  /** Absent in a dry run for a topic that does not exist yet, and when skipped. */
  topicId?: string;
  /** `skipped`: the stream cannot be a topic now (e.g. no open shards); `reason` says why. */
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped';
  changedFields: string[];
  reason?: string;
  /** The digest of the sample data the stored topic records (topicConfig.sampleDataMd5). */
  sampleDigest?: string;
}

/**
 * The topic whose sample data a step stores: the digest it records, compared with the new
 * sample's, and what its topic is made of, to record the new digest.
 */
export interface SampleTarget {
  serviceFqn: string;
  facts: StreamFacts;
  storedDigest?: string;
}

export interface SampleDataResult {
  messages: number;
  written: boolean;
}

export interface SweepResult {
  deleted: number;
  /** The first deleted (or, in a dry run, to-be-deleted) topic names. */
  names: string[];
}
