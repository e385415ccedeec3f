import { inflateSync } from 'node:zlib';

/**
 * The header the AWS Glue Schema Registry serializers put before each record: version byte 3,
 * a compression byte (0: none, 5: zlib), and the 16-byte schema version id.
 */
const HEADER_VERSION = 3;
const COMPRESSION_NONE = 0;
const COMPRESSION_ZLIB = 5;
const HEADER_LENGTH = 18;
/** A record holds at most 10 MiB; its payload inflated beyond this is not a real payload. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

export interface GlueFrame {
  /** The schema version id, as GetSchemaVersion takes it (a UUID). */
  schemaVersionId: string;
  compressed: boolean;
  /** The serialized payload, still compressed when `compressed`. */
  body: Uint8Array;
}

/** The Glue Schema Registry frame of a record; undefined when it has no such header. */
export function glueFrameOf(data: Uint8Array): GlueFrame | undefined {
  if (data.length < HEADER_LENGTH || data[0] !== HEADER_VERSION) return undefined;
  if (data[1] !== COMPRESSION_NONE && data[1] !== COMPRESSION_ZLIB) return undefined;
  const hex = Buffer.from(data.buffer, data.byteOffset + 2, 16).toString('hex');
  return {
    schemaVersionId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    compressed: data[1] === COMPRESSION_ZLIB,
    body: data.subarray(HEADER_LENGTH),
  };
}

/** The frame's payload, inflated if it was compressed; undefined when it does not inflate (cut short, corrupt). */
export function gluePayloadOf(frame: GlueFrame): Uint8Array | undefined {
  if (!frame.compressed) return frame.body;
  try {
    return inflateSync(frame.body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    return undefined;
  }
}
