/**
 * From a validated create request to entity fields, as the resources do it: the FQN, the
 * references this server cannot resolve (answered as unknown ones), and the Topic fields a
 * CreateTopic sets.
 */
import { ApiError, entityNotFound } from './errors.js';
import type { CreateTopicRequest } from './schemas.js';
import type { StoredTopic } from './state.js';
import type { EntityReference } from './types.js';
import { isObject, nonNull } from './values.js';

/** A name as an FQN part: quoted when it contains a dot; a stray double quote makes it invalid. */
export function quoteName(name: string): string {
  const quoted = /^"([^"]+)"$/.exec(name);
  if (quoted) {
    const inner = quoted[1] ?? '';
    return inner.includes('.') ? name : inner;
  }
  if (name.includes('"')) throw new ApiError(400, `Invalid name ${name}`);
  return name.includes('.') ? `"${name}"` : name;
}

/** References to entities this server does not hold, checked in the real server's order. */
export function rejectUnknownOwnerDomainProducts(
  request: {
    owner?: { id: string; type: string } | null;
    owners?: Array<{ id: string; type: string }> | null;
    domain?: string | null;
    domains?: string[] | null;
    dataProducts?: string[] | null;
  },
  knownOwners: ReadonlyMap<string, EntityReference> = new Map(),
): void {
  // Each owner must be a user or team this server holds (up to 1.4 one `owner`, from 1.5 `owners`).
  const owner = (request.owner ? [request.owner] : (request.owners ?? [])).find(
    (candidate) => knownOwners.get(candidate.id.toLowerCase())?.type !== candidate.type,
  );
  if (owner) {
    if (owner.type !== 'user' && owner.type !== 'team') {
      throw new ApiError(
        400,
        `Entity of type ${owner.type} can't be the owner. Only Team of type Group or a User can own entities.`,
      );
    }
    throw entityNotFound(owner.type, owner.id);
  }
  // Even an empty name is looked up (and not found).
  const [domain] =
    request.domain !== undefined && request.domain !== null ? [request.domain] : (request.domains ?? []);
  if (domain !== undefined) throw entityNotFound('domain', domain);
  const [dataProduct] = request.dataProducts ?? [];
  if (dataProduct !== undefined) throw entityNotFound('dataProduct', dataProduct);
}

export function rejectUnknownTagsAndExtension(request: {
  tags?: Array<{ tagFQN: string; source: string }> | null;
  extension?: unknown;
}): void {
  const [tag] = request.tags ?? [];
  if (tag !== undefined) {
    throw entityNotFound(tag.source === 'Glossary' ? 'glossaryTerm' : 'tag', tag.tagFQN);
  }
  if (isObject(request.extension)) {
    const [field] = Object.keys(request.extension);
    if (field !== undefined) throw new ApiError(400, `Unknown custom field ${field}`);
  }
}

/** Gives each message schema field its FQN (`<topic FQN>.<field>`), recursively. */
function withFieldFqns(fields: unknown, parentFqn: string): unknown {
  if (!Array.isArray(fields)) return fields;
  return fields.map((field: unknown) => {
    if (!isObject(field)) return field;
    const fqn = `${parentFqn}.${quoteName(String(field.name))}`;
    return { ...field, fullyQualifiedName: fqn, children: withFieldFqns(field.children, fqn) };
  });
}

/** The Topic fields a CreateTopic sets (TopicResource.getTopic). */
export function topicContent(request: CreateTopicRequest, fqn: string): Partial<StoredTopic> {
  const messageSchema = nonNull(request.messageSchema);
  return {
    displayName: nonNull(request.displayName),
    description: nonNull(request.description),
    messageSchema: messageSchema && {
      ...messageSchema,
      schemaFields: withFieldFqns(messageSchema.schemaFields, fqn),
    },
    partitions: request.partitions,
    cleanupPolicies: nonNull(request.cleanupPolicies),
    replicationFactor: nonNull(request.replicationFactor),
    retentionTime: nonNull(request.retentionTime),
    maximumMessageSize: nonNull(request.maximumMessageSize),
    minimumInSyncReplicas: nonNull(request.minimumInSyncReplicas),
    // The schema default (-1) applies only when the key is absent, as with Jackson.
    retentionSize: 'retentionSize' in request ? nonNull(request.retentionSize) : -1,
    topicConfig: nonNull(request.topicConfig),
    sourceUrl: nonNull(request.sourceUrl),
    lifeCycle: nonNull(request.lifeCycle),
    sourceHash: nonNull(request.sourceHash),
    tags: nonNull(request.tags),
  };
}
