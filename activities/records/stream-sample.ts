import {
  inferredMessageSchema,
  JsonSchemaInference,
  registeredMessageSchema,
  type MessageSchema,
  type RegistryDataFormat,
} from '../../common/message-schema/index.js';
import { capped, decodeText, DEFAULT_MAX_MESSAGE_CHARS, markedBinaryMessage } from '../sample-messages.js';
import { avroRendererFor, type AvroRenderer } from './avro-payloads.js';
import { glueFrameOf, gluePayloadOf, type GlueFrame } from './glue-frames.js';
import { kplUserRecords } from './kpl-aggregation.js';

/** A schema version of the Glue Schema Registry, as GetSchemaVersion returns it. */
export interface SchemaVersion {
  schemaVersionId: string;
  dataFormat: RegistryDataFormat;
  definition: string;
  schemaArn: string;
  versionNumber: number;
}

/** Looks a schema version up; rejects with an error whose message names what failed and why. */
export type SchemaVersionLookup = (schemaVersionId: string) => Promise<SchemaVersion>;

/**
 * JSON records larger than this are not parsed for the schema: a parsed 1 MiB record already
 * takes several times that in memory, and many streams are sampled at once.
 */
export const MAX_INFERRED_RECORD_BYTES = 1024 * 1024;

interface VersionState {
  version?: SchemaVersion;
  render?: AvroRenderer;
  records: number;
}

export interface StreamSampleResult {
  messages: string[];
  /** The registered schema of the records, or one inferred from their JSON; undefined for neither. */
  messageSchema?: MessageSchema;
  /** Lookups that failed, each naming glue:GetSchemaVersion and the reason. */
  warnings: string[];
  /** Time spent parsing records for the schema and building it (ms). */
  inferenceMs: number;
}

/**
 * What a stream's sample shows, built record by record as the shards are read, so that no
 * record is kept longer than it takes to read it: KPL-aggregated records are split into their
 * user records (each one message), Glue Schema Registry records are decoded with their
 * registered schema (looked up as they are met), and the JSON objects among the rest feed one
 * schema inference.
 */
export class StreamSample {
  private readonly messages: string[] = [];
  private readonly inference = new JsonSchemaInference();
  private readonly versions = new Map<string, VersionState>();
  private readonly warnings = new Set<string>();
  /** User records without a registered schema: the ones the inferred schema is to describe. */
  private unregisteredRecords = 0;
  private jsonObjects = 0;
  private oversized = 0;
  private inferenceMs = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly lookUpSchemaVersion: SchemaVersionLookup,
    private readonly maxMessageChars = DEFAULT_MAX_MESSAGE_CHARS,
  ) {}

  /** Messages still wanted. */
  get wanted(): number {
    return Math.max(0, this.maxMessages - this.messages.length);
  }

  /** Adds one Kinesis record: one message, or one per user record of a KPL-aggregated record. */
  async add(data: Uint8Array): Promise<void> {
    for (const record of kplUserRecords(data) ?? [data]) {
      if (this.wanted === 0) return;
      const frame = glueFrameOf(record);
      this.messages.push(frame ? await this.registeredMessage(frame) : this.unregisteredMessage(record));
    }
  }

  result(): StreamSampleResult {
    const started = performance.now();
    const messageSchema = this.registeredSchema() ?? this.inferredSchema();
    this.inferenceMs += performance.now() - started;
    return {
      messages: this.messages,
      ...(messageSchema ? { messageSchema } : {}),
      warnings: [...this.warnings],
      inferenceMs: Math.round(this.inferenceMs * 100) / 100,
    };
  }

  private unregisteredMessage(record: Uint8Array, binaryLabel = 'binary record'): string {
    this.unregisteredRecords += 1;
    const text = decodeText(record);
    if (text === undefined) return markedBinaryMessage(binaryLabel, record, this.maxMessageChars);
    this.inferFrom(text, record.length);
    return capped(text, this.maxMessageChars, record.length);
  }

  private inferFrom(text: string, bytes: number): void {
    if (!text.trimStart().startsWith('{')) return;
    if (bytes > MAX_INFERRED_RECORD_BYTES) {
      this.oversized += 1;
      return;
    }
    const started = performance.now();
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.inference.add(value as Record<string, unknown>);
        this.jsonObjects += 1;
      }
    } catch {
      // Text that starts like JSON and is not: a record like any other text.
    } finally {
      this.inferenceMs += performance.now() - started;
    }
  }

  private async registeredMessage(frame: GlueFrame): Promise<string> {
    const state = await this.versionState(frame.schemaVersionId);
    const payload = gluePayloadOf(frame);
    const label = `Glue Schema Registry record, schema version ${frame.schemaVersionId}`;
    if (!payload)
      return markedBinaryMessage(
        `${label}, compressed payload that does not inflate`,
        frame.body,
        this.maxMessageChars,
      );
    const { version } = state;
    // The schema is unknown: the payload is shown (and read for a schema) as any record is.
    if (!version) return this.unregisteredMessage(payload, `${label} (schema not found)`);
    state.records += 1;
    if (version.dataFormat === 'AVRO') {
      state.render ??= avroRendererFor(version.definition) ?? (() => undefined);
      const json = state.render(payload);
      return json !== undefined
        ? capped(json, this.maxMessageChars, payload.length)
        : markedBinaryMessage(
            `${label}, Avro payload that does not decode with it`,
            payload,
            this.maxMessageChars,
          );
    }
    const text = version.dataFormat === 'JSON' ? decodeText(payload) : undefined;
    return text !== undefined
      ? capped(text, this.maxMessageChars, payload.length)
      : markedBinaryMessage(`${label}, ${version.dataFormat} payload`, payload, this.maxMessageChars);
  }

  private async versionState(schemaVersionId: string): Promise<VersionState> {
    let state = this.versions.get(schemaVersionId);
    if (!state) {
      state = { records: 0 };
      this.versions.set(schemaVersionId, state);
      try {
        state.version = await this.lookUpSchemaVersion(schemaVersionId);
      } catch (error) {
        this.warnings.add(error instanceof Error ? error.message : String(error));
      }
    }
    return state;
  }

  /**
   * The registered schema of the records: the schema most records were written with, at the
   * highest version seen of it (the one producers write now, when a sample spans an upgrade).
   */
  private registeredSchema(): MessageSchema | undefined {
    const bySchema = new Map<string, { records: number; latest: SchemaVersion }>();
    for (const { version, records } of this.versions.values()) {
      if (!version || records === 0) continue;
      const entry = bySchema.get(version.schemaArn);
      if (!entry) bySchema.set(version.schemaArn, { records, latest: version });
      else {
        entry.records += records;
        if (version.versionNumber > entry.latest.versionNumber) entry.latest = version;
      }
    }
    const [chosen] = [...bySchema.entries()].sort(
      ([arnA, a], [arnB, b]) => b.records - a.records || (arnA < arnB ? -1 : arnA > arnB ? 1 : 0),
    );
    return chosen && registeredMessageSchema(chosen[1].latest.dataFormat, chosen[1].latest.definition);
  }

  /** Inferred when most of the records without a registered schema are JSON objects. */
  private inferredSchema(): MessageSchema | undefined {
    if (this.jsonObjects === 0 || this.jsonObjects * 2 <= this.unregisteredRecords) return undefined;
    const notes: string[] = [];
    if (this.oversized > 0) notes.push('Records over 1 MiB were not read for it.');
    if (this.jsonObjects + this.oversized < this.unregisteredRecords)
      notes.push('Sampled records that are not JSON objects were left out.');
    return inferredMessageSchema(this.inference, notes);
  }
}
