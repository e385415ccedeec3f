/**
 * What the describe step learns about one stream: everything the topic is built from, and
 * nothing else, so that it stays small in workflow history.
 */
export interface StreamFacts {
  name: string;
  arn: string;
  status: string;
  mode?: string;
  retentionPeriodHours: number;
  /** Open shards (closed parents of splits and merges are not partitions any more). */
  openShardCount: number;
  consumerCount?: number;
  encryptionType?: string;
  /** ISO-8601. */
  createdAt: string;
  /** The stream's record size limit, when Kinesis reports one. */
  maxRecordSizeInKiB?: number;
}

/** An enhanced fan-out consumer of a stream, as the topic's config lists it. */
export interface StreamConsumer {
  name: string;
  /** CREATING | DELETING | ACTIVE */
  status: string;
  /** ISO-8601. */
  creationTime: string;
}
