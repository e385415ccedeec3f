/**
 * The input of the `kinesisMetadataIngestion` workflow: plain JSON, so that
 * `temporal workflow start --input-file run.json` can start a run as well as our CLI.
 *
 * `config` is the YAML document users give `metadata ingest -c`, as JSON. Its secret
 * values must not be plaintext (they would be stored in workflow history): each is either
 * an environment variable reference resolved on the worker (`${AWS_SECRET_ACCESS_KEY}`),
 * a value sealed for the workers (`sealed:v1:...`, see common/sealed-secrets.ts), or, for
 * `jwtToken`, the path of a file on the worker that holds the token.
 */
export interface IngestionRunInput {
  config: unknown;
  options?: IngestionRunOptions;
}

export interface IngestionRunOptions {
  /** Most sample messages stored per topic. Default 50. */
  sampleSize?: number;
  /** Compute everything, write nothing to OpenMetadata. Default false. */
  dryRun?: boolean;
  /**
   * Streams processed at once within a batch. Default 20: with 2 batches, 40 streams in flight
   * keep the describe steps at the AWS quota while earlier streams finish their other steps.
   */
  streamConcurrency?: number;
  /**
   * Streams per batch (one child workflow each). Default 200: a batch's history grows by ~20
   * events per stream, and must stay well under Temporal's 10,240-event warning.
   */
  batchSize?: number;
  /** Batches processed at once. Default 2. */
  batchConcurrency?: number;
  /**
   * Read each stream's tags (ListTagsForStream) into its topic's topicConfig. Default false:
   * the call's quota, 5 per second per account, becomes the run's pace (1,000 streams: 200 s).
   */
  streamTags?: boolean;
  /**
   * A tag key whose value names the topic's owner, an OpenMetadata user or team (a topic
   * that has an owner keeps it). Reads the tags, but stores them in topicConfig only with
   * `streamTags`: tags may say more than their readers in OpenMetadata should see. Default ''
   * (none).
   */
  ownerTagKey?: string;
}

export type NormalizedRunOptions = Required<IngestionRunOptions>;

export const DEFAULT_RUN_OPTIONS: NormalizedRunOptions = {
  sampleSize: 50,
  dryRun: false,
  streamConcurrency: 20,
  batchSize: 200,
  batchConcurrency: 2,
  streamTags: false,
  ownerTagKey: '',
};

/** Bounds that keep history, payloads and OpenMetadata requests within their limits. */
export const RUN_OPTION_LIMITS = {
  sampleSize: { min: 0, max: 500 },
  streamConcurrency: { min: 1, max: 200 },
  batchSize: { min: 1, max: 300 },
  batchConcurrency: { min: 1, max: 20 },
} as const;

/** The workflow id every run of one OpenMetadata service uses: one active run per service. */
export function ingestionWorkflowId(serviceName: string): string {
  return `om-kinesis-${serviceName}`;
}

export const INGESTION_WORKFLOW_TYPE = 'kinesisMetadataIngestion';
export const DEFAULT_TASK_QUEUE = 'om-kinesis';

/**
 * The task queue of the describe step of runs on `taskQueue`. Every worker polls it too, with
 * a task-queue rate limit: DescribeStreamSummary's quota is per AWS account, so Temporal
 * paces that step across all workers at once (see worker/create-worker.ts).
 */
export function describeTaskQueueOf(taskQueue: string): string {
  return `${taskQueue}${DESCRIBE_TASK_QUEUE_SUFFIX}`;
}

export const DESCRIBE_TASK_QUEUE_SUFFIX = '-describe';
