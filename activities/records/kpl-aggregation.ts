import kplAggregation from 'aws-kinesis-agg';

/** The Kinesis Producer Library's aggregated-record magic number. */
const KPL_MAGIC = [0xf3, 0x89, 0x9a, 0xc2] as const;
/** Magic number, at least one byte of protobuf, MD5 trailer. */
const MIN_AGGREGATED_LENGTH = KPL_MAGIC.length + 1 + 16;

/** What aws-kinesis-agg's synchronous deaggregation takes and gives (Lambda's record shape). */
interface Deaggregation {
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (error: Error | null | undefined, userRecords?: Array<{ data: string }>) => void,
  ): void;
}

export function hasKplMagic(data: Uint8Array): boolean {
  return data.length >= MIN_AGGREGATED_LENGTH && KPL_MAGIC.every((byte, i) => data[i] === byte);
}

/**
 * The user records of a record the KPL aggregated (magic number, protobuf AggregatedRecord, MD5
 * of the protobuf), unpacked by AWS Labs' aws-kinesis-agg with the checksum checked. Undefined
 * for any other record, and for one whose MD5 does not match or that is cut short: such a
 * record is just bytes, and is shown as any binary record is.
 */
export function kplUserRecords(data: Uint8Array): Uint8Array[] | undefined {
  if (!hasKplMagic(data)) return undefined;
  let failed = false;
  let records: Array<{ data: string }> = [];
  try {
    (kplAggregation as unknown as Deaggregation).deaggregateSync(
      {
        data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
        partitionKey: '',
        sequenceNumber: '',
      },
      true,
      (error, userRecords) => {
        // Called once at the end, and once more per user record that could not be read.
        if (error) failed = true;
        else if (userRecords) records = userRecords;
      },
    );
  } catch {
    failed = true;
  }
  if (failed || records.length === 0) return undefined;
  return records.map((record) => new Uint8Array(Buffer.from(record.data, 'base64')));
}
