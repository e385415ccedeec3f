/**
 * The messaging service resource (MessagingServiceResource): list, get by id or FQN, create,
 * create-or-update, delete (recursive to its topics) and restore.
 */
import { randomUUID } from 'node:crypto';

import { applyUpdate, recordServiceChanges, setDeleted } from './changes.js';
import { ApiError } from './errors.js';
import type { Reply } from './http.js';
import { paginate, readPageQuery } from './paging.js';
import { parseFields, plainView, renderService, SERVICE_KEYS } from './render.js';
import type { EntityView } from './render.js';
import { quoteName, rejectUnknownOwnerDomainProducts, rejectUnknownTagsAndExtension } from './requests.js';
import { booleanParam, includeParam, uuidParam } from './router.js';
import type { RequestContext, Route } from './router.js';
import type { ApiContract } from './contract.js';
import { publishedSchemaViolations } from './published-schemas.js';
import { createMessagingServiceSpec, RESTORE_ENTITY } from './schemas.js';
import type { CreateMessagingServiceRequest } from './schemas.js';
import { includes } from './state.js';
import type { OpenMetadataState, StoredService } from './state.js';
import type { OpenMetadataPrincipal } from './types.js';
import { deepCopy, nonNull } from './values.js';

/** The connection schema of each messaging service type (entity/services/connections/messaging/). */
const CONNECTION_SCHEMAS: Record<string, string> = {
  Kafka: 'kafkaConnection.json',
  Redpanda: 'redpandaConnection.json',
  Kinesis: 'kinesisConnection.json',
  CustomMessaging: 'customMessagingConnection.json',
};

/**
 * The published schemas' verdict on a CreateMessagingService. The connection is checked against
 * its service type's schema first, as the real server reads it (by serviceType), which names
 * the problem where the request schema's oneOf of every type would not.
 */
function serviceViolations(contract: ApiContract, body: unknown): string[] {
  const request = body as CreateMessagingServiceRequest;
  const connectionSchema = CONNECTION_SCHEMAS[request.serviceType];
  const config = request.connection?.config;
  const connectionProblems =
    connectionSchema && config !== undefined && config !== null
      ? publishedSchemaViolations(
          contract,
          `entity/services/connections/messaging/${connectionSchema}`,
          config,
          'connection.config',
        )
      : [];
  const rest = publishedSchemaViolations(
    contract,
    'api/services/createMessagingService.json',
    connectionProblems.length > 0 ? { ...request, connection: undefined } : request,
  );
  return [...connectionProblems, ...rest];
}

export function messagingServiceRoutes(state: OpenMetadataState, contract: ApiContract): Route[] {
  const createSpec = createMessagingServiceSpec(contract);
  const schemaViolations = (body: unknown): string[] => serviceViolations(contract, body);
  const view = (context: RequestContext): EntityView => ({
    baseUrl: context.baseUrl,
    fields: parseFields(context.query.fields, SERVICE_KEYS),
  });

  /** restoreEntity restores the soft-deleted children first. */
  const restoreChildTopics = (serviceId: string, principal: OpenMetadataPrincipal): void => {
    for (const topic of state.topics.values()) {
      if (topic.serviceId === serviceId && topic.deleted)
        state.topics.set(topic.id, setDeleted(topic, false, principal));
    }
  };

  const prepareService = (
    context: RequestContext,
  ): { request: CreateMessagingServiceRequest; fqn: string } => {
    const request = context.body as CreateMessagingServiceRequest;
    rejectUnknownOwnerDomainProducts(request);
    rejectUnknownTagsAndExtension(request);
    return { request, fqn: quoteName(request.name) };
  };

  const createService = (context: RequestContext, request: CreateMessagingServiceRequest, fqn: string) => {
    const service: StoredService = {
      id: randomUUID(),
      name: request.name,
      fullyQualifiedName: fqn,
      serviceType: request.serviceType,
      description: nonNull(request.description),
      displayName: nonNull(request.displayName),
      connection: nonNull(request.connection),
      version: 0.1,
      updatedAt: Date.now(),
      updatedBy: context.principal.name,
      deleted: false,
    };
    state.services.set(service.id, service);
    return renderService(service, plainView(context.baseUrl));
  };

  const listServices = (context: RequestContext): Reply => {
    const include = includeParam(context.query);
    const page = readPageQuery(context.query);
    const entityView = view(context);
    const matching = [...state.services.values()].filter((service) => includes(include, service.deleted));
    const { data, paging } = paginate(matching, page);
    return { status: 200, body: { data: data.map((service) => renderService(service, entityView)), paging } };
  };

  const deleteService = (context: RequestContext): Reply => {
    const service = state.findService(uuidParam(context.params.id), 'all');
    const children = [...state.topics.values()].filter((topic) => topic.serviceId === service.id);
    const recursive = booleanParam(context.query.recursive);
    const hardDelete = booleanParam(context.query.hardDelete);
    if (children.length > 0 && !recursive) throw new ApiError(400, 'messagingService is not empty');
    const entityView = {
      baseUrl: context.baseUrl,
      fields: new Set(['pipelines', 'tags', 'dataProducts']),
    };
    if (hardDelete) {
      const body = renderService(service, entityView);
      for (const topic of children) state.removeTopic(topic.id);
      state.services.delete(service.id);
      return { status: 200, body, change: 'entityDeleted' };
    }
    for (const topic of children) {
      if (!topic.deleted) state.topics.set(topic.id, setDeleted(topic, true, context.principal));
    }
    const deleted = setDeleted(service, true, context.principal);
    if (!service.deleted) state.services.set(deleted.id, deleted);
    return { status: 200, body: renderService(deleted, entityView), change: 'entitySoftDeleted' };
  };

  return [
    {
      method: 'GET',
      template: 'v1/services/messagingServices',
      operation: 'ViewBasic',
      handle: listServices,
    },
    {
      method: 'GET',
      template: 'v1/services/messagingServices/{id}',
      operation: 'ViewBasic',
      handle: (context) => {
        const service = state.findService(uuidParam(context.params.id), includeParam(context.query));
        return { status: 200, body: renderService(service, view(context)) };
      },
    },
    {
      method: 'GET',
      template: 'v1/services/messagingServices/name/{fqn}',
      operation: 'ViewBasic',
      handle: (context) => {
        const service = state.findServiceByFqn(context.params.fqn ?? '', includeParam(context.query));
        return { status: 200, body: renderService(service, view(context)) };
      },
    },
    {
      method: 'POST',
      template: 'v1/services/messagingServices',
      operation: 'Create',
      body: createSpec,
      schemaViolations,
      handle: (context) => {
        const { request, fqn } = prepareService(context);
        if (state.serviceByFqn(fqn) !== undefined) throw new ApiError(409, 'Entity already exists');
        return { status: 201, body: createService(context, request, fqn) };
      },
    },
    {
      method: 'PUT',
      template: 'v1/services/messagingServices',
      operation: 'EditAll',
      body: createSpec,
      schemaViolations,
      handle: (context) => {
        const { request, fqn } = prepareService(context);
        const original = state.serviceByFqn(fqn);
        if (original === undefined) {
          return { status: 201, body: createService(context, request, fqn), change: 'entityCreated' };
        }
        const updated: StoredService = {
          ...deepCopy(original),
          description: nonNull(request.description),
          displayName: nonNull(request.displayName),
          connection: nonNull(request.connection),
          updatedAt: Date.now(),
          updatedBy: context.principal.name,
        };
        if (original.deleted) restoreChildTopics(original.id, context.principal);
        const outcome = applyUpdate(original, updated, context.principal, (recorder) =>
          recordServiceChanges(recorder, original, updated),
        );
        if (outcome.changed) state.services.set(original.id, outcome.entity);
        return {
          status: 200,
          body: renderService(outcome.entity, plainView(context.baseUrl)),
          change: outcome.changed ? 'entityUpdated' : 'entityNoChange',
        };
      },
    },
    {
      method: 'DELETE',
      template: 'v1/services/messagingServices/{id}',
      operation: 'Delete',
      handle: deleteService,
    },
    {
      method: 'PUT',
      template: 'v1/services/messagingServices/restore',
      operation: 'EditAll',
      body: RESTORE_ENTITY,
      schemaViolations: (body) => publishedSchemaViolations(contract, 'api/data/restoreEntity.json', body),
      handle: (context) => {
        const { id } = context.body as { id: string };
        const service = state.findService(id.toLowerCase(), 'deleted');
        restoreChildTopics(service.id, context.principal);
        const restored = setDeleted(service, false, context.principal);
        state.services.set(restored.id, restored);
        return {
          status: 200,
          body: renderService(restored, plainView(context.baseUrl)),
          change: 'entityRestored',
        };
      },
    },
  ];
}
