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
  /** The sample read with the topic, in runs with generateSampleData. */
  sample?: SampleDataResult;
  /**
   * Optional parts that failed without failing the stream: a permission missing (each names
   * the IAM action), a registry lookup, the sample data write (`sinkError`).
   */
  warnings?: TopicWarning[];
  /** In a dry run, when the message schema would be written: its fields on one line. */
  schemaPreview?: string;
}

export interface TopicWarning {
  step: 'upsertTopic' | 'sampleData';
  message: string;
  /** A write to OpenMetadata failed (counted as a sink error, as metadata ingest does). */
  sinkError?: boolean;
}

export interface SampleDataResult {
  messages: number;
  written: boolean;
  /** Time spent inferring the message schema from the sample (ms); what the benchmark reports. */
  inferenceMs?: number;
}

export interface SweepResult {
  deleted: number;
  /** The first deleted (or, in a dry run, to-be-deleted) topic names. */
  names: string[];
  /** Why nothing was deleted although the service has topics without a kept stream. */
  withheld?: string;
}
