import { expect } from 'chai';
import fc from 'fast-check';
import {
  avroSchemaFields,
  inferredMessageSchema,
  JsonSchemaInference,
  jsonSchemaFields,
  messageSchemaPreview,
  registeredMessageSchema,
  sameMessageSchema,
  type SchemaField,
} from '../common/message-schema/index.js';

const infer = (records: Array<Record<string, unknown>>, notes?: string[]) => {
  const inference = new JsonSchemaInference();
  for (const record of records) inference.add(record);
  return inferredMessageSchema(inference, notes);
};

/** Depth of the deepest field (top-level fields are at depth 1). */
const depthOf = (fields: SchemaField[] | undefined): number =>
  fields?.length ? 1 + Math.max(...fields.map((field) => depthOf(field.children))) : 0;
const descriptionOf = (schema: { schemaText: string } | undefined): string =>
  String((JSON.parse(schema?.schemaText ?? '{}') as { description?: unknown }).description);
const countOf = (fields: SchemaField[] | undefined): number =>
  (fields ?? []).reduce((n, field) => n + 1 + countOf(field.children), 0);

describe('message schema inference from JSON records', () => {
  it('merges the records: types unioned, optional fields, INT / LONG / DOUBLE, timestamps, nested objects and arrays', () => {
    const schema = infer([
      {
        id: 1,
        total: 9.5,
        at: '2026-11-29T10:00:00Z',
        day: '2026-11-29',
        customer: { name: 'a', vip: true },
        items: [{ sku: 'x', qty: 1 }],
        tags: ['a'],
        note: null,
      },
      {
        id: 2,
        total: 10,
        at: '2026-11-29T10:00:01.123+01:00',
        day: '2026-11-30',
        customer: { name: 'b' },
        items: [{ sku: 'y', qty: 2, gift: false }],
        tags: [],
        note: 'leave at the door',
        epochMs: 1_764_410_400_000,
      },
    ]);
    expect(schema?.schemaType).to.equal('JSON');
    expect(JSON.parse(schema?.schemaText ?? '')).to.deep.equal({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      description:
        'Inferred by om-kinesis from sampled records: fields present in every sampled record are required.',
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        customer: {
          type: 'object',
          properties: { name: { type: 'string' }, vip: { type: 'boolean' } },
          required: ['name'],
        },
        day: { type: 'string', format: 'date' },
        epochMs: { type: 'integer', format: 'int64' },
        id: { type: 'integer' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { gift: { type: 'boolean' }, qty: { type: 'integer' }, sku: { type: 'string' } },
            required: ['qty', 'sku'],
          },
        },
        note: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
        total: { type: 'number' },
      },
      required: ['at', 'customer', 'day', 'id', 'items', 'note', 'tags', 'total'],
    });
    expect(schema?.schemaFields).to.deep.equal([
      { name: 'at', dataType: 'TIMESTAMP', dataTypeDisplay: 'string (date-time)' },
      {
        name: 'customer',
        dataType: 'RECORD',
        dataTypeDisplay: 'object',
        children: [
          { name: 'name', dataType: 'STRING', dataTypeDisplay: 'string' },
          { name: 'vip', dataType: 'BOOLEAN', dataTypeDisplay: 'boolean' },
        ],
      },
      { name: 'day', dataType: 'DATE', dataTypeDisplay: 'string (date)' },
      { name: 'epochMs', dataType: 'LONG', dataTypeDisplay: 'integer (int64)' },
      { name: 'id', dataType: 'INT', dataTypeDisplay: 'integer' },
      {
        name: 'items',
        dataType: 'ARRAY',
        dataTypeDisplay: 'array<object>',
        children: [
          { name: 'gift', dataType: 'BOOLEAN', dataTypeDisplay: 'boolean' },
          { name: 'qty', dataType: 'INT', dataTypeDisplay: 'integer' },
          { name: 'sku', dataType: 'STRING', dataTypeDisplay: 'string' },
        ],
      },
      { name: 'note', dataType: 'STRING', dataTypeDisplay: 'string | null' },
      { name: 'tags', dataType: 'ARRAY', dataTypeDisplay: 'array<string>' },
      { name: 'total', dataType: 'DOUBLE', dataTypeDisplay: 'number' },
    ]);
  });

  it('mixed types at one position are a UNION', () => {
    const schema = infer([{ v: 1 }, { v: 'one' }, { v: { n: 1 } }]);
    expect(schema?.schemaFields).to.deep.equal([
      { name: 'v', dataType: 'UNION', dataTypeDisplay: 'object | string | integer' },
    ]);
  });

  it('no JSON records, no schema', () => {
    expect(infer([])).to.equal(undefined);
  });

  it('is deterministic: the same records in any order, with keys in any order, give the same text', () => {
    const record = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 4 }),
      fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
      ),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), fc.integer(), (records, seed) => {
        const shuffled = [...records]
          .map((r, i) => ({ r, k: (i * 7919 + seed) % 101 }))
          .sort((a, b) => a.k - b.k)
          .map(({ r }) => Object.fromEntries(Object.entries(r).reverse()));
        expect(infer(shuffled)?.schemaText).to.equal(infer(records)?.schemaText);
      }),
      { numRuns: 200 },
    );
  });

  it('nesting 200 deep is cut at 10 levels, and the description says so', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { level: deep, list: [deep] };
    const schema = infer([deep]);
    expect(depthOf(schema?.schemaFields)).to.equal(10);
    expect(descriptionOf(schema)).to.include('Truncated: nesting deeper than 10 levels is not described.');
  });

  it('more distinct keys than fields: 500 fields, breadth first, in name order, and the description says so', () => {
    const batch = (prefix: string) =>
      Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`${prefix}${String(i).padStart(3, '0')}`, i]),
      );
    const schema = infer([{ a: { nested: 1 }, ...batch('k') }, batch('m'), { z: 1 }]);
    expect(countOf(schema?.schemaFields)).to.equal(500);
    expect(schema?.schemaFields.map((f) => f.name).slice(0, 3)).to.deep.equal(['a', 'k000', 'k001']);
    expect(schema?.schemaFields.find((f) => f.name === 'a')?.children, 'deeper fields go last').to.equal(
      undefined,
    );
    expect(descriptionOf(schema)).to.include('Truncated: only 500 fields are described');
    expect(schema?.schemaText.length, 'bounded text').to.be.below(40_000);
  });

  it('an object with thousands of keys is a map: its values are described, other records keep their fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`user${i}`, { score: i }]));
    const schema = infer([
      { id: 1, scores: wide },
      { id: 2, scores: {} },
    ]);
    expect(schema?.schemaFields).to.deep.equal([
      { name: 'id', dataType: 'INT', dataTypeDisplay: 'integer' },
      {
        name: 'scores',
        dataType: 'MAP',
        dataTypeDisplay: 'object',
        children: [{ name: 'score', dataType: 'INT', dataTypeDisplay: 'integer' }],
      },
    ]);
    expect(descriptionOf(schema)).to.include('Objects with more than 500 keys are described as maps');
  });

  it('keys OpenMetadata cannot name are left out, and said to be; __proto__ stays a plain field', () => {
    const record = JSON.parse(
      `{"ok":1,"":2,"say \\"hi\\"":3,"a::b":4,"${'x'.repeat(129)}":5,"__proto__":{"polluted":true}}`,
    ) as Record<string, unknown>;
    const schema = infer([record]);
    expect(schema?.schemaFields.map((f) => f.name)).to.deep.equal(['__proto__', 'ok']);
    expect(descriptionOf(schema)).to.include('Keys that cannot be OpenMetadata field names');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('notes from the caller go into the description', () => {
    const schema = infer([{ a: 1 }], ['Records that are not JSON objects were left out.']);
    expect(descriptionOf(schema)).to.match(/Records that are not JSON objects were left out\.$/);
  });
});

describe('schema fields from a JSON Schema', () => {
  it('follows local $refs, stops at recursive ones, and reads nullable anyOf, allOf, maps and enums', () => {
    const fields = jsonSchemaFields({
      $defs: {
        node: { type: 'object', properties: { value: { type: 'integer' }, next: { $ref: '#/$defs/node' } } },
        money: {
          type: 'object',
          properties: { amount: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
        },
      },
      type: 'object',
      allOf: [{ properties: { extra: { type: 'boolean' } } }],
      properties: {
        head: { $ref: '#/$defs/node' },
        price: { anyOf: [{ $ref: '#/$defs/money' }, { type: 'null' }] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        when: { type: 'string', format: 'time' },
        either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    });
    expect(fields).to.deep.equal([
      {
        name: 'head',
        dataType: 'RECORD',
        dataTypeDisplay: 'object',
        children: [
          { name: 'value', dataType: 'INT', dataTypeDisplay: 'integer' },
          { name: 'next', dataType: 'RECORD', dataTypeDisplay: 'object' },
        ],
      },
      {
        name: 'price',
        dataType: 'RECORD',
        dataTypeDisplay: 'object | null',
        children: [
          { name: 'amount', dataType: 'DOUBLE', dataTypeDisplay: 'number' },
          { name: 'currency', dataType: 'ENUM', dataTypeDisplay: 'string' },
        ],
      },
      { name: 'labels', dataType: 'MAP', dataTypeDisplay: 'object' },
      { name: 'when', dataType: 'TIME', dataTypeDisplay: 'string (time)' },
      { name: 'either', dataType: 'UNION', dataTypeDisplay: 'string | integer' },
      { name: 'extra', dataType: 'BOOLEAN', dataTypeDisplay: 'boolean' },
    ]);
  });

  it('a schema that is not an object, or refers nowhere, gives no fields and does not throw', () => {
    expect(jsonSchemaFields('nope')).to.deep.equal([]);
    expect(jsonSchemaFields({ $ref: '#/nowhere' })).to.deep.equal([]);
    expect(jsonSchemaFields({ $ref: '#/a', a: { $ref: '#/a' } })).to.deep.equal([]);
    expect(jsonSchemaFields({ properties: { x: { $ref: 'https://example.com/s.json' } } })).to.deep.equal([
      { name: 'x', dataType: 'UNKNOWN' },
    ]);
  });
});

describe('schema fields from an Avro schema', () => {
  const order = {
    type: 'record',
    name: 'Order',
    namespace: 'shop',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      { name: 'note', type: ['null', 'string'], default: null },
      {
        name: 'lines',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'Line',
            fields: [
              { name: 'sku', type: 'string' },
              { name: 'qty', type: 'int' },
            ],
          },
        },
      },
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'DONE'] } },
      { name: 'attributes', type: { type: 'map', values: 'string' } },
      { name: 'firstLine', type: ['null', 'shop.Line'] },
      { name: 'parent', type: ['null', 'Order'] },
      { name: 'either', type: ['int', 'string'] },
      { name: 'digest', type: { type: 'fixed', name: 'Md5', size: 16 } },
    ],
  };

  it('gives nested records, arrays of records, maps, logical types, nullable unions; a recursive record stops', () => {
    expect(avroSchemaFields(order)).to.deep.equal([
      { name: 'id', dataType: 'LONG', dataTypeDisplay: 'long' },
      { name: 'placedAt', dataType: 'TIMESTAMP', dataTypeDisplay: 'long (timestamp-millis)' },
      { name: 'day', dataType: 'DATE', dataTypeDisplay: 'int (date)' },
      { name: 'amount', dataType: 'BYTES', dataTypeDisplay: 'decimal(10,2)' },
      { name: 'note', dataType: 'STRING', dataTypeDisplay: 'union<null, string>' },
      {
        name: 'lines',
        dataType: 'ARRAY',
        dataTypeDisplay: 'array<Line>',
        children: [
          { name: 'sku', dataType: 'STRING', dataTypeDisplay: 'string' },
          { name: 'qty', dataType: 'INT', dataTypeDisplay: 'int' },
        ],
      },
      { name: 'status', dataType: 'ENUM', dataTypeDisplay: 'enum Status' },
      { name: 'attributes', dataType: 'MAP', dataTypeDisplay: 'map<string>' },
      {
        name: 'firstLine',
        dataType: 'RECORD',
        dataTypeDisplay: 'union<null, Line>',
        children: [
          { name: 'sku', dataType: 'STRING', dataTypeDisplay: 'string' },
          { name: 'qty', dataType: 'INT', dataTypeDisplay: 'int' },
        ],
      },
      { name: 'parent', dataType: 'RECORD', dataTypeDisplay: 'union<null, Order>' },
      { name: 'either', dataType: 'UNION', dataTypeDisplay: 'union<int, string>' },
      { name: 'digest', dataType: 'FIXED', dataTypeDisplay: 'fixed(16)' },
    ]);
  });

  it('a registered schema keeps its exact text; Protobuf and unparsable text get no fields', () => {
    const text = JSON.stringify(order);
    const avro = registeredMessageSchema('AVRO', text);
    expect(avro.schemaText).to.equal(text);
    expect(avro.schemaType).to.equal('Avro');
    expect(avro.schemaFields).to.have.length(12);
    expect(
      registeredMessageSchema('PROTOBUF', 'syntax = "proto3"; message A { string a = 1; }'),
    ).to.deep.equal({
      schemaText: 'syntax = "proto3"; message A { string a = 1; }',
      schemaType: 'Protobuf',
      schemaFields: [],
    });
    expect(registeredMessageSchema('JSON', '{not json').schemaFields).to.deep.equal([]);
  });
});

describe('comparing and previewing message schemas', () => {
  it('a stored schema with OpenMetadata FQNs and user descriptions and tags is the same schema', () => {
    const wanted = infer([{ a: 1, b: { c: 'x' } }]);
    if (!wanted) throw new Error('no schema');
    const stored = {
      ...wanted,
      schemaFields: wanted.schemaFields.map((field) => ({
        ...field,
        fullyQualifiedName: `svc.topic.${field.name}`,
        description: 'written by a user',
        tags: [{ tagFQN: 'PII.Sensitive' }],
        ...(field.children
          ? { children: field.children.map((child) => ({ ...child, fullyQualifiedName: 'x', tags: [] })) }
          : {}),
      })),
    };
    expect(sameMessageSchema(wanted, stored)).to.equal(true);
    expect(sameMessageSchema(wanted, { ...stored, schemaText: `${wanted.schemaText} ` })).to.equal(false);
    expect(sameMessageSchema(wanted, undefined)).to.equal(false);
    const other = infer([{ a: 1, b: { c: 1 } }]);
    expect(other && sameMessageSchema(other, stored)).to.equal(false);
  });

  it('a preview names the fields on one bounded line', () => {
    const schema = infer([{ id: 1, items: [{ sku: 'a' }] }]);
    if (!schema) throw new Error('no schema');
    expect(messageSchemaPreview(schema)).to.equal('JSON schema: id INT, items ARRAY {sku STRING}');
    expect(messageSchemaPreview(schema, 20)).to.equal('JSON schema: id INT…');
  });
});
