import { avroSchemaFields } from './avro-fields.js';
import type { JsonSchemaInference } from './json-inference.js';
import { jsonSchemaFields } from './json-schema-fields.js';
import type { MessageSchema, SchemaField } from './types.js';

export { avroSchemaFields } from './avro-fields.js';
export { JsonSchemaInference, type JsonSchema } from './json-inference.js';
export { jsonSchemaFields } from './json-schema-fields.js';
export * from './types.js';

/** The message schema inferred from the JSON records seen; undefined when there were none. */
export function inferredMessageSchema(
  inference: JsonSchemaInference,
  notes: string[] = [],
): MessageSchema | undefined {
  if (inference.recordCount === 0) return undefined;
  const { schema } = inference.toJsonSchema(notes);
  return {
    schemaType: 'JSON',
    schemaText: JSON.stringify(schema, null, 2),
    schemaFields: jsonSchemaFields(schema),
  };
}

/** The data formats of the AWS Glue Schema Registry. */
export type RegistryDataFormat = 'AVRO' | 'JSON' | 'PROTOBUF';

/**
 * A schema registry's schema as the topic's message schema: its exact text, and its fields
 * for Avro and JSON Schema (a definition that does not parse keeps its text, without fields).
 */
export function registeredMessageSchema(format: RegistryDataFormat, definition: string): MessageSchema {
  const schemaType = format === 'AVRO' ? 'Avro' : format === 'JSON' ? 'JSON' : 'Protobuf';
  let schemaFields: SchemaField[] = [];
  if (format !== 'PROTOBUF') {
    try {
      const parsed: unknown = JSON.parse(definition);
      schemaFields = format === 'AVRO' ? avroSchemaFields(parsed) : jsonSchemaFields(parsed);
    } catch {
      // Not JSON: the text is still the registered schema.
    }
  }
  return { schemaText: definition, schemaType, schemaFields };
}

/**
 * Whether a stored message schema is the one this run would write. Compared: the text, the
 * type, and each field's name, type and children. Not compared: what OpenMetadata adds
 * (fully qualified names) or users own (descriptions, display names, tags).
 */
export function sameMessageSchema(wanted: MessageSchema, stored: unknown): boolean {
  if (stored === null || typeof stored !== 'object') return false;
  const s = stored as { schemaText?: unknown; schemaType?: unknown; schemaFields?: unknown };
  return (
    s.schemaText === wanted.schemaText &&
    s.schemaType === wanted.schemaType &&
    JSON.stringify(projectFields(s.schemaFields)) === JSON.stringify(projectFields(wanted.schemaFields))
  );
}

function projectFields(fields: unknown): unknown[] {
  if (!Array.isArray(fields)) return [];
  return fields.map((field: unknown) => {
    const f = (field ?? {}) as {
      name?: unknown;
      dataType?: unknown;
      dataTypeDisplay?: unknown;
      children?: unknown;
    };
    return [f.name, f.dataType, f.dataTypeDisplay ?? null, projectFields(f.children)];
  });
}

/**
 * One line that shows a schema's fields, for a dry run's plan: `JSON: id INT, items ARRAY {sku
 * STRING, qty INT}, ts TIMESTAMP`, cut at `maxChars`.
 */
export function messageSchemaPreview(schema: MessageSchema, maxChars = 400): string {
  const render = (fields: SchemaField[]): string =>
    fields
      .map(
        (field) =>
          `${field.name} ${field.dataType}${field.children?.length ? ` {${render(field.children)}}` : ''}`,
      )
      .join(', ');
  const line = `${schema.schemaType} schema: ${schema.schemaFields.length > 0 ? render(schema.schemaFields) : '(no fields)'}`;
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 1)}…`;
}
