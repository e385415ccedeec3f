/**
 * The API contract of the OpenMetadata version the server impersonates, as far as this
 * product's requests reach: which keys the create requests take, the pipeline states, and the
 * endpoints that exist. From the comparison of the official client's generated models,
 * 1.3.4 -> 2.0.7; a change applies from the first version known to have it. Kept apart from
 * the product's own table of dialects (activities/openmetadata/dialect.ts) on purpose: the
 * server is the product's independent check.
 */
export interface ApiContract {
  /** What GET /v1/system/version answers. */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  /** 1.5: `owners` (a list) replaces `owner` in create requests. */
  readonly owners: boolean;
  /** 1.9: `domains` (a list of FQNs) replaces `domain`. */
  readonly domains: boolean;
  /** 2.0: DELETE /v1/topics/deleteStale. */
  readonly deleteStale: boolean;
  /** 1.6: PipelineStatus.config; 2.0: PipelineStatus.metadata. */
  readonly pipelineStatusConfig: boolean;
  readonly pipelineStatusMetadata: boolean;
  /** 1.13: pipelineState `stopped`. */
  readonly pipelineStateStopped: boolean;
  /** 1.11: StepSummary.progress; 2.0: operationMetrics, sourceTimeMs, sinkTimeMs. */
  readonly stepProgress: boolean;
  readonly stepTimings: boolean;
  /** 1.5: messagingServiceMetadataPipeline.overrideMetadata. */
  readonly overrideMetadata: boolean;
  /** 1.9: kinesisConnection.topicFilterPattern; 2.0: supportsProfiler. */
  readonly connectionTopicFilterPattern: boolean;
  readonly connectionSupportsProfiler: boolean;
  /** 1.13: awsCredentials.enabled. */
  readonly awsConfigEnabled: boolean;
  /** 2.0: CreateMessagingService.ingestionRunner and style. */
  readonly serviceIngestionRunner: boolean;
}

export const DEFAULT_VERSION = '1.3.1';

/** The contract of `version` (`x.y.z...`). Versions outside 1.3 to 2.0 get the nearest one's. */
export function contractFor(version: string): ApiContract {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`version must look like 1.3.1, got "${version}"`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const from = (m: number, n: number): boolean => major > m || (major === m && minor >= n);
  return {
    version,
    major,
    minor,
    owners: from(1, 5),
    domains: from(1, 9),
    deleteStale: from(2, 0),
    pipelineStatusConfig: from(1, 6),
    pipelineStatusMetadata: from(2, 0),
    pipelineStateStopped: from(1, 13),
    stepProgress: from(1, 11),
    stepTimings: from(2, 0),
    overrideMetadata: from(1, 5),
    connectionTopicFilterPattern: from(1, 9),
    connectionSupportsProfiler: from(2, 0),
    awsConfigEnabled: from(1, 13),
    serviceIngestionRunner: from(2, 0),
  };
}
