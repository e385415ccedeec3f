/**
 * The topic resource (TopicResource): list (optionally by service), get by id or FQN, create,
 * create-or-update, delete, restore, and the sample data endpoints.
 */
import { randomUUID } from 'node:crypto';

import { applyUpdate, recordTopicChanges, setDeleted } from './changes.js';
import { ApiError } from './errors.js';
import type { Reply } from './http.js';
import { paginate, readPageQuery } from './paging.js';
import { parseFields, plainView, renderTopic, TOPIC_KEYS } from './render.js';
import type { EntityView } from './render.js';
import {
  quoteName,
  rejectUnknownOwnerDomainProducts,
  rejectUnknownTagsAndExtension,
  topicContent,
} from './requests.js';
import { booleanParam, includeParam, uuidParam } from './router.js';
import type { RequestContext, Route } from './router.js';
import type { ApiContract } from './contract.js';
import { publishedSchemaViolations } from './published-schemas.js';
import { createTopicSpec, DELETE_STALE, RESTORE_ENTITY, TOPIC_SAMPLE_DATA } from './schemas.js';
import type { CreateTopicRequest, DeleteStaleRequest } from './schemas.js';
import { includes } from './state.js';
import type { OpenMetadataState, StoredService, StoredTopic } from './state.js';
import type { EntityReference, TopicSampleData } from './types.js';
import { deepCopy } from './values.js';

export function topicRoutes(state: OpenMetadataState, contract: ApiContract): Route[] {
  const createSpec = createTopicSpec(contract);
  const published =
    (schema: string) =>
    (body: unknown): string[] =>
      publishedSchemaViolations(contract, schema, body);
  const createTopicViolations = published('api/data/createTopic.json');

  // `owner` up to 1.4, `owners` from 1.5: a read asking for the other field is refused.
  const topicFields = TOPIC_KEYS.filter((key) => key !== (contract.owners ? 'owner' : 'owners'));
  const view = (context: RequestContext): EntityView => ({
    baseUrl: context.baseUrl,
    fields: parseFields(context.query.fields, topicFields),
  });

  const prepareTopic = (
    context: RequestContext,
  ): { request: CreateTopicRequest; service: StoredService; fqn: string } => {
    const request = context.body as CreateTopicRequest;
    rejectUnknownOwnerDomainProducts(request, state.owners);
    const service = state.findServiceByFqn(request.service, 'non-deleted');
    rejectUnknownTagsAndExtension(request);
    return { request, service, fqn: `${service.fullyQualifiedName}.${quoteName(request.name)}` };
  };

  const ownerOf = (request: CreateTopicRequest): { owner?: EntityReference } => {
    const asked = request.owner ?? request.owners?.[0];
    const owner = asked ? state.owners.get(asked.id.toLowerCase()) : undefined;
    return owner ? { owner: deepCopy(owner) } : {};
  };

  const createTopic = (
    context: RequestContext,
    request: CreateTopicRequest,
    service: StoredService,
    fqn: string,
  ) => {
    const now = Date.now();
    const topic: StoredTopic = {
      id: randomUUID(),
      name: request.name,
      fullyQualifiedName: fqn,
      ...topicContent(request, fqn),
      ...ownerOf(request),
      partitions: request.partitions,
      version: 0.1,
      updatedAt: now,
      updatedBy: context.principal.name,
      serviceId: service.id,
      deleted: false,
    };
    const { tags, ...stored } = topic;
    state.topics.set(topic.id, stored);
    // The create answer echoes the request's tags; reads show them only with fields=tags.
    return renderTopic(state, stored, plainView(context.baseUrl), tags ? { tags } : {});
  };

  const updateTopic = (context: RequestContext): Reply => {
    const { request, service, fqn } = prepareTopic(context);
    const original = state.topicByFqn(fqn);
    if (original === undefined) {
      return { status: 201, body: createTopic(context, request, service, fqn), change: 'entityCreated' };
    }
    const { tags, ...content } = topicContent(request, fqn);
    const updated: StoredTopic = {
      id: original.id,
      name: original.name,
      fullyQualifiedName: original.fullyQualifiedName,
      serviceId: original.serviceId,
      ...content,
      // A PUT sets an owner; it cannot remove one.
      ...(ownerOf(request).owner ? ownerOf(request) : original.owner ? { owner: original.owner } : {}),
      partitions: request.partitions,
      version: original.version,
      updatedAt: Date.now(),
      updatedBy: context.principal.name,
      deleted: original.deleted,
    };
    const outcome = applyUpdate(original, updated, context.principal, (recorder) =>
      recordTopicChanges(recorder, original, updated),
    );
    if (outcome.changed) state.topics.set(original.id, outcome.entity);
    return {
      status: 200,
      body: renderTopic(state, outcome.entity, plainView(context.baseUrl), tags ? { tags } : {}),
      change: outcome.changed ? 'entityUpdated' : 'entityNoChange',
    };
  };

  const deleteTopic = (context: RequestContext, topic: StoredTopic): Reply => {
    const allFields = {
      baseUrl: context.baseUrl,
      fields: new Set(['followers', 'tags', 'votes', 'dataProducts']),
    };
    if (booleanParam(context.query.hardDelete)) {
      const body = renderTopic(state, topic, allFields);
      state.removeTopic(topic.id);
      return { status: 200, body, change: 'entityDeleted' };
    }
    const deleted = setDeleted(topic, true, context.principal);
    if (!topic.deleted) state.topics.set(deleted.id, deleted);
    return { status: 200, body: renderTopic(state, deleted, allFields), change: 'entitySoftDeleted' };
  };

  const listTopics = (context: RequestContext): Reply => {
    const include = includeParam(context.query);
    const page = readPageQuery(context.query);
    const entityView = view(context);
    const serviceFqn = context.query.service;
    const matching = [...state.topics.values()].filter(
      (topic) =>
        includes(include, topic.deleted) &&
        (serviceFqn === undefined || state.services.get(topic.serviceId)?.fullyQualifiedName === serviceFqn),
    );
    const { data, paging } = paginate(matching, page);
    return {
      status: 200,
      body: { data: data.map((topic) => renderTopic(state, topic, entityView)), paging },
    };
  };

  /**
   * 2.0's stale delete: soft-deletes (hardDelete: true, hard-deletes) every topic of the scope
   * service whose FQN is not among `seenFqns`. The answer's shape is this server's own (the
   * official client does not read it): how many topics it deleted.
   */
  const deleteStaleTopics = (context: RequestContext): Reply => {
    const request = context.body as DeleteStaleRequest;
    if (request.scopeEntityType !== 'service') {
      throw new ApiError(400, `Unsupported scopeEntityType ${request.scopeEntityType}`);
    }
    const service = state.findServiceByFqn(request.scopeFqn, 'non-deleted');
    const seen = new Set(request.seenFqns);
    let deleted = 0;
    for (const topic of [...state.topics.values()]) {
      if (topic.serviceId !== service.id || topic.deleted || seen.has(topic.fullyQualifiedName)) continue;
      if (request.hardDelete === true) state.removeTopic(topic.id);
      else state.topics.set(topic.id, setDeleted(topic, true, context.principal));
      deleted += 1;
    }
    return { status: 200, body: { deleted } };
  };

  return [
    ...(contract.deleteStale
      ? [
          {
            method: 'DELETE',
            template: 'v1/topics/deleteStale',
            operation: 'Delete',
            body: DELETE_STALE,
            handle: deleteStaleTopics,
          },
        ]
      : []),
    { method: 'GET', template: 'v1/topics', operation: 'ViewBasic', handle: listTopics },
    {
      method: 'GET',
      template: 'v1/topics/{id}',
      operation: 'ViewBasic',
      handle: (context) => {
        const topic = state.findTopic(uuidParam(context.params.id), includeParam(context.query));
        return { status: 200, body: renderTopic(state, topic, view(context)) };
      },
    },
    {
      method: 'GET',
      template: 'v1/topics/name/{fqn}',
      operation: 'ViewBasic',
      handle: (context) => {
        const topic = state.findTopicByFqn(context.params.fqn ?? '', includeParam(context.query));
        return { status: 200, body: renderTopic(state, topic, view(context)) };
      },
    },
    {
      method: 'POST',
      template: 'v1/topics',
      operation: 'Create',
      body: createSpec,
      schemaViolations: createTopicViolations,
      handle: (context) => {
        const { request, service, fqn } = prepareTopic(context);
        if (state.topicByFqn(fqn) !== undefined) throw new ApiError(409, 'Entity already exists');
        return { status: 201, body: createTopic(context, request, service, fqn) };
      },
    },
    {
      method: 'PUT',
      template: 'v1/topics',
      operation: 'EditAll',
      body: createSpec,
      schemaViolations: createTopicViolations,
      handle: updateTopic,
    },
    {
      method: 'DELETE',
      template: 'v1/topics/{id}',
      operation: 'Delete',
      handle: (context) => deleteTopic(context, state.findTopic(uuidParam(context.params.id), 'all')),
    },
    {
      method: 'DELETE',
      template: 'v1/topics/name/{fqn}',
      operation: 'Delete',
      handle: (context) => deleteTopic(context, state.findTopicByFqn(context.params.fqn ?? '', 'all')),
    },
    {
      method: 'PUT',
      template: 'v1/topics/restore',
      operation: 'EditAll',
      body: RESTORE_ENTITY,
      schemaViolations: published('api/data/restoreEntity.json'),
      handle: (context) => {
        const { id } = context.body as { id: string };
        const restored = setDeleted(state.findTopic(id.toLowerCase(), 'deleted'), false, context.principal);
        state.topics.set(restored.id, restored);
        return {
          status: 200,
          body: renderTopic(state, restored, plainView(context.baseUrl)),
          change: 'entityRestored',
        };
      },
    },
    {
      method: 'PUT',
      template: 'v1/topics/{id}/sampleData',
      operation: 'EditSampleData',
      body: TOPIC_SAMPLE_DATA,
      schemaViolations: published('entity/data/topic.json#/definitions/topicSampleData'),
      handle: (context) => {
        const id = uuidParam(context.params.id);
        const sampleData = context.body as { messages?: string[] | null };
        const topic = state.findTopic(id, 'non-deleted');
        const stored: TopicSampleData = { messages: sampleData.messages ?? [] };
        state.sampleData.set(topic.id, stored);
        return {
          status: 200,
          body: renderTopic(state, topic, plainView(context.baseUrl), { sampleData: stored }),
        };
      },
    },
    {
      method: 'GET',
      template: 'v1/topics/{id}/sampleData',
      operation: 'ViewSampleData',
      handle: (context) => {
        const topic = state.findTopic(uuidParam(context.params.id), 'non-deleted');
        const sampleData = state.sampleData.get(topic.id);
        const extra = sampleData ? { sampleData: deepCopy(sampleData) } : {};
        return { status: 200, body: renderTopic(state, topic, plainView(context.baseUrl), extra) };
      },
    },
  ];
}
