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
