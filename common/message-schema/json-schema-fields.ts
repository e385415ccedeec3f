import { FieldBudget } from './field-budget.js';
import type { FieldDataType, SchemaBounds, SchemaField } from './types.js';
import { DEFAULT_SCHEMA_BOUNDS } from './types.js';

type Node = { [keyword: string]: unknown };

const isNode = (value: unknown): value is Node =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `$ref`s followed one after another before giving up (a chain, not a cycle). */
const MAX_REF_HOPS = 16;

/**
 * OpenMetadata's fields of a JSON Schema (one inferred here, or one from a schema registry):
 * the root object's properties, nested objects and arrays of objects as children. Local
 * `$ref`s (`#/definitions/…`, `#/$defs/…`) are followed, a recursive one is shown without
 * children; `anyOf`/`oneOf` with `null` is the other member, made nullable. Bounded like
 * inference: fields below `maxDepth` or past `maxFields` are left out.
 */
export function jsonSchemaFields(
  schema: unknown,
  bounds: SchemaBounds = DEFAULT_SCHEMA_BOUNDS,
): SchemaField[] {
  if (!isNode(schema)) return [];
  const converter = new JsonSchemaConverter(schema, bounds);
  return converter.rootFields();
}

class JsonSchemaConverter {
  private readonly budget: FieldBudget;

  constructor(
    private readonly document: Node,
    private readonly bounds: SchemaBounds,
  ) {
    this.budget = new FieldBudget(bounds.maxFields);
  }

  rootFields(): SchemaField[] {
    const root = this.resolve(this.document, []);
    if (!root) return [];
    const objectNode =
      typesOf(root.node).includes('array') && isNode(root.node.items) ? root.node.items : root.node;
    const resolved = this.resolve(objectNode, root.refs);
    return resolved ? this.propertiesOf(resolved.node, 1, resolved.refs) : [];
  }

  private propertiesOf(node: Node, depth: number, refs: string[]): SchemaField[] {
    const merged = mergedProperties(node, (member) => this.resolve(member, refs)?.node);
    const fields: SchemaField[] = [];
    for (const [name, property] of merged) {
      if (!this.budget.take(name)) continue;
      fields.push(this.fieldOf(name, property, depth, refs));
    }
    return fields;
  }

  private fieldOf(name: string, raw: unknown, depth: number, outerRefs: string[]): SchemaField {
    const resolved = this.resolve(raw, outerRefs);
    if (!resolved) return { name, dataType: 'UNKNOWN' };
    const { node, refs, recursive } = resolved;
    const { alternatives, nullable } = nonNullAlternatives(
      node,
      (member) => this.resolve(member, refs)?.node,
    );
    if (alternatives.length === 1) {
      const field = this.fieldOf(name, alternatives[0], depth, refs);
      return nullable ? { ...field, dataTypeDisplay: `${field.dataTypeDisplay ?? 'any'} | null` } : field;
    }
    if (alternatives.length > 1) {
      const display = alternatives.map((member) => displayOf(member)).join(' | ');
      return { name, dataType: 'UNION', dataTypeDisplay: display };
    }
    const types = typesOf(node);
    const nonNull = types.filter((type) => type !== 'null');
    const display = displayOf(node);
    if (nonNull.length > 1) return { name, dataType: 'UNION', dataTypeDisplay: display };
    const type = nonNull[0] ?? (types.includes('null') ? 'null' : undefined);
    const field: SchemaField = { name, dataType: dataTypeOf(type, node), dataTypeDisplay: display };
    if (recursive || depth >= this.bounds.maxDepth) return field;
    if (type === 'object') {
      const children = this.propertiesOf(node, depth + 1, refs);
      if (children.length > 0) field.children = children;
      else if (isNode(node.additionalProperties)) {
        field.dataType = 'MAP';
        const values = this.resolve(node.additionalProperties, refs);
        const valueChildren = values ? this.propertiesOf(values.node, depth + 1, values.refs) : [];
        if (valueChildren.length > 0) field.children = valueChildren;
      }
    } else if (type === 'array') {
      const items = this.resolve(node.items, refs);
      if (items && !items.recursive && typesOf(items.node).includes('object')) {
        const children = this.propertiesOf(items.node, depth + 1, items.refs);
        if (children.length > 0) field.children = children;
      }
    }
    return field;
  }

  /** Follows local `$ref`s; `recursive` when one refers back to a schema being expanded. */
  private resolve(
    raw: unknown,
    refs: string[],
  ): { node: Node; refs: string[]; recursive: boolean } | undefined {
    let node = raw;
    let chain = refs;
    for (let hop = 0; isNode(node) && typeof node.$ref === 'string'; hop++) {
      const ref = node.$ref;
      if (hop >= MAX_REF_HOPS || chain.includes(ref)) {
        const target = this.pointer(ref);
        return isNode(target) ? { node: target, refs: chain, recursive: true } : undefined;
      }
      chain = [...chain, ref];
      node = this.pointer(ref);
    }
    if (node === true) return { node: {}, refs: chain, recursive: false };
    return isNode(node) ? { node, refs: chain, recursive: false } : undefined;
  }

  /** A local JSON pointer (`#/definitions/Order`); anything else resolves to nothing. */
  private pointer(ref: string): unknown {
    if (!ref.startsWith('#')) return undefined;
    let current: unknown = this.document;
    for (const part of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
      if (!isNode(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
    return current;
  }
}

/** Properties of an object schema and of its `allOf` members, in document order. */
function mergedProperties(node: Node, resolve: (member: unknown) => Node | undefined): Map<string, unknown> {
  const merged = new Map<string, unknown>();
  const add = (from: Node): void => {
    if (isNode(from.properties)) {
      for (const [name, property] of Object.entries(from.properties))
        if (!merged.has(name)) merged.set(name, property);
    }
  };
  add(node);
  if (Array.isArray(node.allOf)) {
    for (const member of node.allOf) {
      const resolved = resolve(member);
      if (resolved) add(resolved);
    }
  }
  return merged;
}

/** The members of an `anyOf`/`oneOf` other than `null`, and whether `null` is one of them. */
function nonNullAlternatives(
  node: Node,
  resolve: (member: unknown) => Node | undefined,
): { alternatives: Node[]; nullable: boolean } {
  const members = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : [];
  const resolved = members.map(resolve).filter((member): member is Node => member !== undefined);
  const isNull = (member: Node): boolean => typesOf(member).join() === 'null';
  return { alternatives: resolved.filter((member) => !isNull(member)), nullable: resolved.some(isNull) };
}

function typesOf(node: Node): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((type): type is string => typeof type === 'string');
  if (isNode(node.properties)) return ['object'];
  if (node.items !== undefined) return ['array'];
  if (Array.isArray(node.enum)) return ['string'];
  return [];
}

function dataTypeOf(type: string | undefined, node: Node): FieldDataType {
  switch (type) {
    case 'object':
      return 'RECORD';
    case 'array':
      return 'ARRAY';
    case 'integer':
      return node.format === 'int64' ? 'LONG' : 'INT';
    case 'number':
      return node.format === 'float' ? 'FLOAT' : 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'null':
      return 'NULL';
    case 'string':
      if (Array.isArray(node.enum)) return 'ENUM';
      if (node.format === 'date-time') return 'TIMESTAMP';
      if (node.format === 'date') return 'DATE';
      if (node.format === 'time') return 'TIME';
      if (node.contentEncoding === 'base64') return 'BYTES';
      return 'STRING';
    default:
      return 'UNKNOWN';
  }
}

/** How the type reads in JSON Schema terms: `string (date-time)`, `array<object>`, `integer | null`. */
function displayOf(node: Node): string {
  const types = typesOf(node);
  if (types.length === 0) return Array.isArray(node.enum) ? 'enum' : 'any';
  return types
    .map((type) => {
      if (type === 'array') {
        const items = isNode(node.items) ? typesOf(node.items) : [];
        return items.length > 0 ? `array<${items.join(' | ')}>` : 'array';
      }
      if (typeof node.format === 'string' && (type === 'string' || type === 'integer' || type === 'number'))
        return `${type} (${node.format})`;
      return type;
    })
    .join(' | ');
}
