import avro from 'avsc';

/** avsc's read cursor, as the bounded reads below use it. */
interface Tap {
  buf: Uint8Array;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string | undefined;
}
interface Readable {
  _read(tap: Tap): unknown;
}

/** Array and map elements one payload may hold: far more than a sample message shows. */
const MAX_ELEMENTS_PER_PAYLOAD = 100_000;
let elementsLeft = MAX_ELEMENTS_PER_PAYLOAD;

/** Thrown when a payload claims more elements than it can hold, or reads past its end. */
class ImplausibleAvroPayload extends Error {}

/**
 * avsc reads an array's or a map's element count and then reads that many elements, even past
 * the end of the payload: a corrupt or hostile count (2^31 ints in 10 bytes) would spin and fill
 * the worker's memory. These subclasses stop at a payload's end and at a total element budget;
 * avsc's `typeHook` puts them in place of its own (its instances are frozen, its classes not).
 */
function take(tap: Tap, count: number): void {
  elementsLeft -= count;
  if (elementsLeft < 0 || tap.pos > tap.buf.length) throw new ImplausibleAvroPayload();
}

class BoundedArrayType extends avro.types.ArrayType {
  _read(tap: Tap): unknown[] {
    const items = this.itemsType as unknown as Readable;
    const values: unknown[] = [];
    for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
      if (n < 0) {
        n = -n;
        tap.skipLong();
      }
      take(tap, n);
      for (let i = 0; i < n; i++) values.push(items._read(tap));
    }
    return values;
  }
}

class BoundedMapType extends avro.types.MapType {
  _read(tap: Tap): Record<string, unknown> {
    const values = this.valuesType as Readable;
    const map: Record<string, unknown> = {};
    for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
      if (n < 0) {
        n = -n;
        tap.skipLong();
      }
      take(tap, n);
      for (let i = 0; i < n; i++) {
        const key = tap.readString() ?? '';
        // Defined, not assigned: a key named __proto__ stays a key.
        Object.defineProperty(map, key, {
          value: values._read(tap),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return map;
  }
}

const typeHook = (schema: avro.Schema, options: avro.ForSchemaOptions): avro.Type | undefined => {
  const type = (schema as { type?: unknown }).type;
  if (type === 'array') return new BoundedArrayType(schema, options);
  if (type === 'map') return new BoundedMapType(schema, options);
  return undefined;
};

/** Renders an Avro payload as a readable JSON message; undefined when it does not decode. */
export type AvroRenderer = (payload: Uint8Array) => string | undefined;

/** A renderer for payloads written with this Avro schema; undefined when the schema does not parse. */
export function avroRendererFor(definition: string): AvroRenderer | undefined {
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(JSON.parse(definition) as avro.Schema, { typeHook });
  } catch {
    return undefined;
  }
  return (payload) => {
    elementsLeft = MAX_ELEMENTS_PER_PAYLOAD;
    try {
      const value: unknown = type.fromBuffer(
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      );
      return JSON.stringify(value, bytesAsBase64);
    } catch {
      return undefined;
    }
  };
}

/** bytes and fixed values decode to Buffers: shown as base64 rather than `{"type":"Buffer","data":[...]}`. */
function bytesAsBase64(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return Buffer.isBuffer(raw) ? raw.toString('base64') : value;
}
