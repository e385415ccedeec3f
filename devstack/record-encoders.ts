// Records as producers write them, for tests and the demo: KPL-aggregated records (with AWS
// Labs' aggregator, and with an encoder of our own written from the format's description, so
// that the decoder is not only checked against its own library), and Glue Schema Registry frames.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import kplAggregation from 'aws-kinesis-agg';

const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field. */
function lengthDelimited(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

/**
 * A KPL-aggregated record, encoded from amazon-kinesis-producer's aggregation-format.md:
 * magic number, protobuf `AggregatedRecord { repeated string partition_key_table = 1; repeated
 * Record records = 3 }` with `Record { uint64 partition_key_index = 1; bytes data = 3 }`, and
 * the MD5 of the protobuf.
 */
export function kplAggregatedRecord(
  userRecords: ReadonlyArray<string | Uint8Array>,
  partitionKey = 'pk',
): Uint8Array {
  const body = Buffer.concat([
    lengthDelimited(1, Buffer.from(partitionKey)),
    ...userRecords.map((record) =>
      lengthDelimited(
        3,
        Buffer.concat([
          varint((1 << 3) | 0),
          varint(0),
          lengthDelimited(3, typeof record === 'string' ? Buffer.from(record) : record),
        ]),
      ),
    ),
  ]);
  return new Uint8Array(Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]));
}

interface Aggregation {
  aggregate(
    records: Array<{ partitionKey: string; data: Buffer }>,
    onEncoded: (encoded: { partitionKey: string; data: Buffer }, done: (error?: Error) => void) => void,
    afterAll: () => void,
    onError: (error: Error) => void,
  ): void;
}

/** KPL-aggregated records made by AWS Labs' aws-kinesis-agg (its own size limits decide how many). */
export function awsLabsAggregatedRecords(userRecords: ReadonlyArray<string>): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const encoded: Uint8Array[] = [];
    (kplAggregation as unknown as Aggregation).aggregate(
      userRecords.map((record, i) => ({ partitionKey: `pk-${i}`, data: Buffer.from(record) })),
      (record, done) => {
        encoded.push(new Uint8Array(record.data));
        done();
      },
      () => resolve(encoded),
      reject,
    );
  });
}

/**
 * A record as the Glue Schema Registry serializers write it: version byte 3, compression byte
 * (0, or 5 for zlib, Java's Deflater default), the schema version id's 16 bytes, the payload.
 */
export function glueFramedRecord(
  schemaVersionId: string,
  payload: Uint8Array,
  options: { compress?: boolean } = {},
): Uint8Array {
  const id = Buffer.from(schemaVersionId.replaceAll('-', ''), 'hex');
  if (id.length !== 16) throw new Error(`not a schema version id (a UUID): ${schemaVersionId}`);
  const body = options.compress ? deflateSync(payload) : payload;
  return new Uint8Array(Buffer.concat([Buffer.from([3, options.compress ? 5 : 0]), id, body]));
}
