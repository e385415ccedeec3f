/**
 * A topic's `messageSchema` as OpenMetadata models it (`type/schema.json`, the same from 1.3 to
 * 2.0): the schema's text and type, and its fields as OpenMetadata shows them.
 */
export interface MessageSchema {
  schemaText: string;
  schemaType: SchemaType;
  schemaFields: SchemaField[];
}

export type SchemaType = 'Avro' | 'Protobuf' | 'JSON' | 'Other' | 'None';

/** OpenMetadata's field type enum. */
export type FieldDataType =
  | 'RECORD'
  | 'NULL'
  | 'BOOLEAN'
  | 'INT'
  | 'LONG'
  | 'BYTES'
  | 'FLOAT'
  | 'DOUBLE'
  | 'TIMESTAMP'
  | 'TIMESTAMPZ'
  | 'TIME'
  | 'DATE'
  | 'STRING'
  | 'ARRAY'
  | 'MAP'
  | 'ENUM'
  | 'UNION'
  | 'FIXED'
  | 'ERROR'
  | 'UNKNOWN';

/**
 * One field. Only what this product derives from a schema: `description`, `displayName` and
 * `tags` belong to users (OpenMetadata keeps theirs when a bot writes the schema again).
 */
export interface SchemaField {
  name: string;
  dataType: FieldDataType;
  dataTypeDisplay?: string;
  children?: SchemaField[];
}

/** How far schema fields are described: OpenMetadata's pages are for people, not for 10,000 fields. */
export interface SchemaBounds {
  /** Nesting levels of objects and arrays described. */
  maxDepth: number;
  /** Fields in all, nested ones included. */
  maxFields: number;
}

export const DEFAULT_SCHEMA_BOUNDS: SchemaBounds = { maxDepth: 10, maxFields: 500 };

/** OpenMetadata's `fieldName`: 1 to 128 characters; a double quote cannot be part of a fully qualified name. */
export function isValidFieldName(name: string): boolean {
  return name.length >= 1 && name.length <= 128 && !name.includes('"') && !name.includes('::');
}
