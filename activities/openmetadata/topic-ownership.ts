// What a topic write must not take from users. OpenMetadata's PUT replaces a topic with the
// request: it keeps a stored description and display name only against a bot's token (a
// personal access token wipes them), and it removes a stored message schema that the request
// does not carry. So a write sends these back as they are stored, and it writes its own
// message schema only over none, or over the one it wrote itself (its digest recorded in the
// topic's topicConfig): a schema that a user, a registry or another tool wrote stays.
import { sameMessageSchema, type MessageSchema } from '../../common/message-schema/index.js';
import { SCHEMA_DIGEST_KEY } from '../../common/topic-mapping.js';
import type { StoredTopicState } from './stored-topics.js';
import { schemaDigestOf } from './topic-request.js';

/** The topic fields users own that a PUT replaces unless they are sent back. */
export const USER_TOPIC_FIELDS = ['description', 'displayName'] as const;

/** The stored topic's message schema, when it has one: a text, or fields without one. */
function storedSchemaOf(stored: StoredTopicState | undefined): Record<string, unknown> | undefined {
  const schema = stored?.fields.messageSchema;
  if (schema === null || typeof schema !== 'object') return undefined;
  const { schemaText, schemaFields } = schema as { schemaText?: unknown; schemaFields?: unknown };
  const hasText = typeof schemaText === 'string' && schemaText !== '';
  const hasFields = Array.isArray(schemaFields) && schemaFields.length > 0;
  return hasText || hasFields ? (schema as Record<string, unknown>) : undefined;
}

export interface SchemaDecision {
  /** The schema to write (with its digest in topicConfig); undefined: none of this run's. */
  write?: MessageSchema;
  /** The stored schema, sent back unchanged when this run writes none. */
  keep?: Record<string, unknown>;
  /** Set when this run found a different schema but the stored one is not this product's. */
  keptForeign?: boolean;
}

/** Whether the schema found in the stream's records may replace the stored one. */
export function messageSchemaDecision(
  found: MessageSchema | undefined,
  stored: StoredTopicState | undefined,
): SchemaDecision {
  const storedSchema = storedSchemaOf(stored);
  if (!storedSchema) return found ? { write: found } : {};
  if (!found) return { keep: storedSchema };
  const config = stored?.fields.topicConfig as Record<string, unknown> | undefined;
  const ours = config?.[SCHEMA_DIGEST_KEY] === schemaDigestOf(storedSchema);
  if (ours || sameMessageSchema(found, storedSchema)) return { write: found };
  return { keep: storedSchema, keptForeign: true };
}

/** The stored values of the fields users own, to send back with a topic write. */
export function userFieldsToSendBack(
  stored: StoredTopicState | undefined,
  schema: SchemaDecision,
): Record<string, unknown> {
  return { ...(stored?.userFields ?? {}), ...(schema.keep ? { messageSchema: schema.keep } : {}) };
}
