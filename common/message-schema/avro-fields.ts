import { FieldBudget } from './field-budget.js';
import type { FieldDataType, SchemaBounds, SchemaField } from './types.js';
import { DEFAULT_SCHEMA_BOUNDS } from './types.js';

type AvroNode = { [attribute: string]: unknown };

const isNode = (value: unknown): value is AvroNode =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const PRIMITIVES: Readonly<Record<string, FieldDataType>> = {
  null: 'NULL',
  boolean: 'BOOLEAN',
  int: 'INT',
  long: 'LONG',
  float: 'FLOAT',
  double: 'DOUBLE',
  bytes: 'BYTES',
  string: 'STRING',
};

const LOGICAL_TYPES: Readonly<Record<string, FieldDataType>> = {
  date: 'DATE',
  'time-millis': 'TIME',
  'time-micros': 'TIME',
  'timestamp-millis': 'TIMESTAMP',
  'timestamp-micros': 'TIMESTAMP',
  'timestamp-nanos': 'TIMESTAMP',
  'local-timestamp-millis': 'TIMESTAMP',
  'local-timestamp-micros': 'TIMESTAMP',
  'local-timestamp-nanos': 'TIMESTAMP',
};

/**
 * OpenMetadata's fields of an Avro schema (parsed JSON): the top-level record's fields, nested
 * records as children (also under arrays, maps and nullable unions), logical types as dates,
 * times and timestamps. Named types are resolved wherever they were defined first; a record
 * that contains itself is shown without children the second time. Bounded by `bounds`.
 */
export function avroSchemaFields(
  schema: unknown,
  bounds: SchemaBounds = DEFAULT_SCHEMA_BOUNDS,
): SchemaField[] {
  const converter = new AvroConverter(bounds);
  const root = converter.named(schema, undefined);
  if (!isNode(root) || (root.type !== 'record' && root.type !== 'error')) return [];
  return converter.recordFields(root, namespaceOf(root, undefined), 1, new Set());
}

class AvroConverter {
  private readonly names = new Map<string, AvroNode>();
  private readonly budget: FieldBudget;

  constructor(private readonly bounds: SchemaBounds) {
    this.budget = new FieldBudget(bounds.maxFields);
  }

  /** Registers a named type where it is defined; resolves a reference to one. */
  named(type: unknown, namespace: string | undefined): unknown {
    if (typeof type === 'string') {
      if (type in PRIMITIVES) return type;
      return this.names.get(type) ?? (namespace ? this.names.get(`${namespace}.${type}`) : undefined) ?? type;
    }
    if (
      isNode(type) &&
      typeof type.name === 'string' &&
      ['record', 'error', 'enum', 'fixed'].includes(String(type.type))
    ) {
      const fullName = fullNameOf(type, namespace);
      if (!this.names.has(fullName)) this.names.set(fullName, type);
      if (!this.names.has(type.name)) this.names.set(type.name, type);
    }
    return type;
  }

  recordFields(
    record: AvroNode,
    namespace: string | undefined,
    depth: number,
    expanding: Set<AvroNode>,
  ): SchemaField[] {
    if (!Array.isArray(record.fields)) return [];
    const inner = new Set(expanding).add(record);
    const fields: SchemaField[] = [];
    for (const field of record.fields) {
      if (!isNode(field) || typeof field.name !== 'string' || !this.budget.take(field.name)) continue;
      fields.push(this.fieldOf(field.name, field.type, namespace, depth, inner));
    }
    return fields;
  }

  private fieldOf(
    name: string,
    rawType: unknown,
    namespace: string | undefined,
    depth: number,
    expanding: Set<AvroNode>,
  ): SchemaField {
    const type = this.named(rawType, namespace);
    if (Array.isArray(type)) {
      const members = type.map((member) => this.named(member, namespace));
      const nonNull = members.filter(
        (member) => member !== 'null' && !(isNode(member) && member.type === 'null'),
      );
      if (nonNull.length === 1) {
        const field = this.fieldOf(name, nonNull[0], namespace, depth, expanding);
        return members.length > 1
          ? { ...field, dataTypeDisplay: `union<null, ${field.dataTypeDisplay}>` }
          : field;
      }
      return { name, dataType: 'UNION', dataTypeDisplay: `union<${members.map(displayOf).join(', ')}>` };
    }
    if (typeof type === 'string')
      return { name, dataType: PRIMITIVES[type] ?? 'UNKNOWN', dataTypeDisplay: type };
    if (!isNode(type)) return { name, dataType: 'UNKNOWN' };
    const field: SchemaField = { name, dataType: dataTypeOf(type), dataTypeDisplay: displayOf(type) };
    const innerNamespace = namespaceOf(type, namespace);
    if (depth >= this.bounds.maxDepth) return field;
    const childrenOf = (nested: unknown): SchemaField[] => {
      const resolved = this.named(nested, innerNamespace);
      if (!isNode(resolved) || (resolved.type !== 'record' && resolved.type !== 'error')) return [];
      if (expanding.has(resolved)) return [];
      return this.recordFields(resolved, namespaceOf(resolved, innerNamespace), depth + 1, expanding);
    };
    const children =
      type.type === 'record' || type.type === 'error'
        ? expanding.has(type)
          ? []
          : this.recordFields(type, innerNamespace, depth + 1, expanding)
        : type.type === 'array'
          ? childrenOf(type.items)
          : type.type === 'map'
            ? childrenOf(type.values)
            : [];
    if (children.length > 0) field.children = children;
    return field;
  }
}

function dataTypeOf(type: AvroNode): FieldDataType {
  if (typeof type.logicalType === 'string' && type.logicalType in LOGICAL_TYPES) {
    return LOGICAL_TYPES[type.logicalType] as FieldDataType;
  }
  switch (type.type) {
    case 'record':
    case 'error':
      return 'RECORD';
    case 'enum':
      return 'ENUM';
    case 'array':
      return 'ARRAY';
    case 'map':
      return 'MAP';
    case 'fixed':
      return 'FIXED';
    default:
      return typeof type.type === 'string' ? (PRIMITIVES[type.type] ?? 'UNKNOWN') : 'UNKNOWN';
  }
}

/** The type as Avro writes it: `long (timestamp-millis)`, `array<Item>`, `decimal(10,2)`. */
function displayOf(type: unknown): string {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return `union<${type.map(displayOf).join(', ')}>`;
  if (!isNode(type)) return 'unknown';
  if (type.logicalType === 'decimal') {
    const scale = typeof type.scale === 'number' ? type.scale : 0;
    return `decimal(${String(type.precision)},${scale})`;
  }
  if (typeof type.logicalType === 'string') return `${displayOf(type.type)} (${type.logicalType})`;
  if (type.type === 'array') return `array<${displayOf(shortName(type.items))}>`;
  if (type.type === 'map') return `map<${displayOf(shortName(type.values))}>`;
  if (typeof type.name === 'string' && (type.type === 'record' || type.type === 'error')) return type.name;
  if (type.type === 'enum' && typeof type.name === 'string') return `enum ${type.name}`;
  if (type.type === 'fixed') return `fixed(${String(type.size)})`;
  return typeof type.type === 'string' ? type.type : 'unknown';
}

/** A named type nested in an array or map reads by its name, not its definition. */
function shortName(type: unknown): unknown {
  return isNode(type) && typeof type.name === 'string' ? type.name : type;
}

function fullNameOf(type: AvroNode, namespace: string | undefined): string {
  const name = String(type.name);
  if (name.includes('.')) return name;
  const space = typeof type.namespace === 'string' ? type.namespace : namespace;
  return space ? `${space}.${name}` : name;
}

function namespaceOf(type: AvroNode, namespace: string | undefined): string | undefined {
  const name = typeof type.name === 'string' ? type.name : '';
  if (name.includes('.')) return name.slice(0, name.lastIndexOf('.'));
  return typeof type.namespace === 'string' ? type.namespace : namespace;
}
