import { DEFAULT_SCHEMA_BOUNDS, isValidFieldName, type SchemaBounds } from './types.js';

/** A JSON Schema document, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * What was seen at one position of the records (the root, a property, an array's items): how
 * many values of each JSON type, and for objects and arrays what they held.
 */
interface Shape {
  values: number;
  nulls: number;
  booleans: number;
  integers: number;
  /** Integers outside the 32-bit range (epoch milliseconds, ids): `format: int64`. */
  wideIntegers: number;
  fractions: number;
  strings: number;
  dateTimes: number;
  dates: number;
  times: number;
  objects: number;
  /** Per key: its shape, and in how many of the `objects` it was present. */
  properties?: Map<string, { shape: Shape; present: number }>;
  /** The values of objects with more keys than fields are described: maps (ids as keys), not records. */
  mapValues?: Shape;
  arrays: number;
  items?: Shape;
}

const newShape = (): Shape => ({
  values: 0,
  nulls: 0,
  booleans: 0,
  integers: 0,
  wideIntegers: 0,
  fractions: 0,
  strings: 0,
  dateTimes: 0,
  dates: 0,
  times: 0,
  objects: 0,
  arrays: 0,
});

/** Elements of one array looked at: the items of a 100,000-element array are known long before its end. */
const MAX_ITEMS_PER_ARRAY = 100;
/** Strings longer than this are not dates or times (and are not scanned for it). */
const MAX_FORMAT_LENGTH = 40;

const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d{1,9})?)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

type Truncation = 'depth' | 'fields' | 'names' | 'maps';

export interface InferredJsonSchema {
  schema: JsonSchema;
  /** Records the schema describes. */
  records: number;
  /** Whether some of what was seen is left out (the schema's description says what). */
  truncated: boolean;
}

/**
 * Infers one JSON Schema from the JSON objects of many records: types unioned per position,
 * properties present in only some records optional, integers and fractions told apart, ISO-8601
 * strings marked as date-time, date or time. The result depends only on the set of shapes
 * seen, never on the order of records or keys (properties come out in name order), so an
 * unchanged stream gives the same text run after run.
 *
 * Bounded whatever the records hold: nesting below `maxDepth` is not walked, an object with more
 * keys than `maxFields` is a map (its values merged into `additionalProperties`), at most four
 * times `maxFields` distinct keys are tracked, `maxFields` are described (breadth first, so
 * that top-level fields go before deeply nested ones), and the schema's `description` says
 * what was left out. Recursion is bounded by `maxDepth`, so deeply nested records cannot
 * overflow the stack.
 */
export class JsonSchemaInference {
  private readonly root = newShape();
  private records = 0;
  private trackedKeys = 0;
  private readonly truncations = new Set<Truncation>();

  constructor(private readonly bounds: SchemaBounds = DEFAULT_SCHEMA_BOUNDS) {}

  /** Adds one record's message, a JSON object. */
  add(message: Record<string, unknown>): void {
    this.records += 1;
    this.observe(this.root, message, 0);
  }

  get recordCount(): number {
    return this.records;
  }

  /** The schema of every record added so far; `notes` are added to its description. */
  toJsonSchema(notes: string[] = []): InferredJsonSchema {
    const kept = this.keptShapes();
    const description = [
      'Inferred by om-kinesis from sampled records: fields present in every sampled record are required.',
      ...this.truncationNotes(),
      ...notes,
    ].join(' ');
    const schema: JsonSchema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      description,
      ...this.schemaOf(this.root, kept),
    };
    return { schema, records: this.records, truncated: this.truncations.size > 0 };
  }

  private observe(shape: Shape, value: unknown, depth: number): void {
    shape.values += 1;
    if (value === null) {
      shape.nulls += 1;
    } else if (typeof value === 'boolean') {
      shape.booleans += 1;
    } else if (typeof value === 'number') {
      if (!Number.isInteger(value)) shape.fractions += 1;
      else {
        shape.integers += 1;
        if (value < INT32_MIN || value > INT32_MAX) shape.wideIntegers += 1;
      }
    } else if (typeof value === 'string') {
      shape.strings += 1;
      if (value.length <= MAX_FORMAT_LENGTH) {
        if (DATE_TIME.test(value)) shape.dateTimes += 1;
        else if (DATE.test(value)) shape.dates += 1;
        else if (TIME.test(value)) shape.times += 1;
      }
    } else if (Array.isArray(value)) {
      shape.arrays += 1;
      if (depth >= this.bounds.maxDepth) {
        if (value.length > 0) this.truncations.add('depth');
        return;
      }
      const items = (shape.items ??= newShape());
      const end = Math.min(value.length, MAX_ITEMS_PER_ARRAY);
      for (let i = 0; i < end; i++) this.observe(items, value[i], depth + 1);
    } else if (typeof value === 'object') {
      shape.objects += 1;
      const keys = Object.keys(value);
      if (depth >= this.bounds.maxDepth) {
        if (keys.length > 0) this.truncations.add('depth');
        return;
      }
      if (keys.length > this.bounds.maxFields) {
        this.truncations.add('maps');
        const values = (shape.mapValues ??= newShape());
        const end = Math.min(keys.length, MAX_ITEMS_PER_ARRAY);
        for (let i = 0; i < end; i++)
          this.observe(values, (value as Record<string, unknown>)[keys[i] as string], depth + 1);
        return;
      }
      const properties = (shape.properties ??= new Map<string, { shape: Shape; present: number }>());
      for (const key of keys) {
        if (!isValidFieldName(key)) {
          this.truncations.add('names');
          continue;
        }
        let property = properties.get(key);
        if (!property) {
          if (this.trackedKeys >= this.bounds.maxFields * 4) {
            this.truncations.add('fields');
            continue;
          }
          this.trackedKeys += 1;
          property = { shape: newShape(), present: 0 };
          properties.set(key, property);
        }
        property.present += 1;
        this.observe(property.shape, (value as Record<string, unknown>)[key], depth + 1);
      }
    }
  }

  /** The property shapes described: the first `maxFields`, breadth first, in name order. */
  private keptShapes(): Set<Shape> {
    const kept = new Set<Shape>();
    const queue: Shape[] = [this.root];
    let budget = this.bounds.maxFields;
    for (let next = 0; next < queue.length; next++) {
      const shape = queue[next] as Shape;
      for (const [, property] of sortedProperties(shape)) {
        if (budget === 0) {
          this.truncations.add('fields');
          return kept;
        }
        budget -= 1;
        kept.add(property.shape);
        queue.push(property.shape);
      }
      if (shape.items) queue.push(shape.items);
      if (shape.mapValues) queue.push(shape.mapValues);
    }
    return kept;
  }

  private schemaOf(shape: Shape, kept: ReadonlySet<Shape>): JsonSchema {
    const types = typesOf(shape);
    const schema: JsonSchema = {};
    if (types.length > 0) schema.type = types.length === 1 ? types[0] : types;
    const format = formatOf(shape);
    if (format) schema.format = format;
    if (shape.objects > 0 && shape.properties) {
      const properties = sortedProperties(shape).filter(([, property]) => kept.has(property.shape));
      if (properties.length > 0) {
        // fromEntries defines own properties: a key named __proto__ stays a key.
        schema.properties = Object.fromEntries(
          properties.map(([name, property]) => [name, this.schemaOf(property.shape, kept)]),
        );
        const required = properties
          .filter(([, property]) => property.present === shape.objects)
          .map(([name]) => name);
        if (required.length > 0) schema.required = required;
      }
    }
    if (shape.mapValues && shape.mapValues.values > 0) {
      schema.additionalProperties = this.schemaOf(shape.mapValues, kept);
    }
    if (shape.arrays > 0 && shape.items && shape.items.values > 0) {
      schema.items = this.schemaOf(shape.items, kept);
    }
    return schema;
  }

  private truncationNotes(): string[] {
    const notes: string[] = [];
    if (this.truncations.has('depth'))
      notes.push(`Truncated: nesting deeper than ${this.bounds.maxDepth} levels is not described.`);
    if (this.truncations.has('fields'))
      notes.push(
        `Truncated: only ${this.bounds.maxFields} fields are described (breadth first, in name order).`,
      );
    if (this.truncations.has('maps'))
      notes.push(
        `Objects with more than ${this.bounds.maxFields} keys are described as maps: their keys are not fields, their values are additionalProperties.`,
      );
    if (this.truncations.has('names'))
      notes.push(
        'Keys that cannot be OpenMetadata field names (empty, longer than 128 characters, or holding a double quote or "::") are left out.',
      );
    return notes;
  }
}

function sortedProperties(shape: Shape): Array<[string, { shape: Shape; present: number }]> {
  if (!shape.properties) return [];
  return [...shape.properties.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON types seen, in a fixed order (integers seen with fractions are numbers). */
function typesOf(shape: Shape): string[] {
  const types: string[] = [];
  if (shape.objects > 0) types.push('object');
  if (shape.arrays > 0) types.push('array');
  if (shape.strings > 0) types.push('string');
  if (shape.fractions > 0) types.push('number');
  else if (shape.integers > 0) types.push('integer');
  if (shape.booleans > 0) types.push('boolean');
  if (shape.nulls > 0) types.push('null');
  return types;
}

/** A format every string (or every integer) seen at this position has. */
function formatOf(shape: Shape): string | undefined {
  if (shape.strings > 0) {
    if (shape.dateTimes === shape.strings) return 'date-time';
    if (shape.dates === shape.strings) return 'date';
    if (shape.times === shape.strings) return 'time';
    return undefined;
  }
  if (shape.wideIntegers > 0 && shape.fractions === 0) return 'int64';
  return undefined;
}
