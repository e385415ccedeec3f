/**
 * The ingestion pipeline resource (IngestionPipelineResource), as far as a client reporting its
 * runs uses it: get by FQN, create (or create-or-update) under a service, delete, and the runs'
 * statuses.
 */
import { randomUUID } from 'node:crypto';

import type { ApiContract } from './contract.js';
import { ApiError, entityNotFound } from './errors.js';
import type { Reply } from './http.js';
import { publishedSchemaViolations } from './published-schemas.js';
import { quoteName, rejectUnknownOwnerDomainProducts } from './requests.js';
import { booleanParam, includeParam, uuidParam } from './router.js';
import type { RequestContext, Route } from './router.js';
import { createIngestionPipelineSpec, pipelineStatusSpec } from './schemas.js';
import type { CreateIngestionPipelineRequest, PipelineStatusBody } from './schemas.js';
import type { OpenMetadataState, StoredPipeline } from './state.js';
import type { PipelineStatus } from './types.js';
import { deepCopy, nonNull } from './values.js';

export function pipelineRoutes(state: OpenMetadataState, contract: ApiContract): Route[] {
  const render = (pipeline: StoredPipeline, context: RequestContext): object => ({
    ...deepCopy(pipeline),
    href: `${context.baseUrl}/v1/services/ingestionPipelines/${pipeline.id}`,
  });

  const write = (context: RequestContext, createOnly: boolean): Reply => {
    const request = context.body as CreateIngestionPipelineRequest;
    rejectUnknownOwnerDomainProducts(request);
    if (request.service.type !== 'messagingService') {
      throw new ApiError(400, `this server holds messaging services only, not ${request.service.type}`);
    }
    const service = state.services.get(request.service.id.toLowerCase());
    if (service === undefined || service.deleted)
      throw entityNotFound('messagingService', request.service.id);
    const fqn = `${service.fullyQualifiedName}.${quoteName(request.name)}`;
    const original = state.pipelineByFqn(fqn);
    if (original !== undefined && createOnly) throw new ApiError(409, 'Entity already exists');
    const pipeline: StoredPipeline = {
      id: original?.id ?? randomUUID(),
      name: request.name,
      fullyQualifiedName: fqn,
      description: nonNull(request.description) ?? original?.description,
      pipelineType: request.pipelineType,
      sourceConfig: request.sourceConfig,
      airflowConfig: request.airflowConfig,
      service: {
        id: service.id,
        type: 'messagingService',
        name: service.name,
        fullyQualifiedName: service.fullyQualifiedName,
      },
      version: original ? Math.round((original.version + 0.1) * 10) / 10 : 0.1,
      updatedAt: Date.now(),
      updatedBy: context.principal.name,
      deleted: false,
    };
    state.pipelines.set(pipeline.id, pipeline);
    return original
      ? { status: 200, body: render(pipeline, context), change: 'entityUpdated' }
      : { status: 201, body: render(pipeline, context), change: 'entityCreated' };
  };

  const createViolations = (body: unknown): string[] =>
    publishedSchemaViolations(contract, 'api/services/ingestionPipelines/createIngestionPipeline.json', body);
  const createSpec = createIngestionPipelineSpec(contract);

  return [
    {
      method: 'GET',
      template: 'v1/services/ingestionPipelines/name/{fqn}',
      operation: 'ViewBasic',
      handle: (context) => ({
        status: 200,
        body: render(state.findPipelineByFqn(context.params.fqn ?? '', includeParam(context.query)), context),
      }),
    },
    {
      method: 'POST',
      template: 'v1/services/ingestionPipelines',
      operation: 'Create',
      body: createSpec,
      schemaViolations: createViolations,
      handle: (context) => write(context, true),
    },
    {
      method: 'PUT',
      template: 'v1/services/ingestionPipelines',
      operation: 'EditAll',
      body: createSpec,
      schemaViolations: createViolations,
      handle: (context) => write(context, false),
    },
    {
      // A user deleting the pipeline in the UI: soft by default, as every entity's DELETE.
      method: 'DELETE',
      template: 'v1/services/ingestionPipelines/{id}',
      operation: 'Delete',
      handle: (context) => {
        const id = uuidParam(context.params.id);
        const pipeline = state.pipelines.get(id);
        if (pipeline === undefined) throw entityNotFound('ingestionPipeline', id);
        if (booleanParam(context.query.hardDelete)) {
          state.pipelines.delete(id);
          return { status: 200, body: render(pipeline, context), change: 'entityDeleted' };
        }
        const deleted: StoredPipeline = { ...pipeline, deleted: true, updatedAt: Date.now() };
        state.pipelines.set(id, deleted);
        return { status: 200, body: render(deleted, context), change: 'entitySoftDeleted' };
      },
    },
    {
      method: 'PUT',
      template: 'v1/services/ingestionPipelines/{fqn}/pipelineStatus',
      operation: 'EditIngestionPipelineStatus',
      body: pipelineStatusSpec(contract),
      schemaViolations: (body) =>
        publishedSchemaViolations(
          contract,
          'entity/services/ingestionPipelines/ingestionPipeline.json#/definitions/pipelineStatus',
          body,
        ),
      handle: (context) => {
        const pipeline = state.findPipelineByFqn(context.params.fqn ?? '', 'non-deleted');
        const status = context.body as PipelineStatusBody;
        const runId = nonNull(status.runId) ?? randomUUID();
        const statuses = state.pipelineStatuses.get(pipeline.id) ?? new Map<string, PipelineStatus>();
        // A run's later report replaces its earlier one (the time series is keyed by run id).
        statuses.set(runId, { ...(deepCopy(status) as PipelineStatus), runId });
        state.pipelineStatuses.set(pipeline.id, statuses);
        return { status: 200, body: render(pipeline, context) };
      },
    },
  ];
}
