// Starting an ingestion run on Temporal, as `ingest` does locally and on a cluster: under the
// service's fixed workflow id, with the service's search attributes when the namespace has them.
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { IngestionConfig } from '../../common/config/index.js';
import {
  INGESTION_WORKFLOW_TYPE,
  ingestionWorkflowId,
  type IngestionRunInput,
} from '../../common/run-input.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../common/search-attributes.js';
import { withSearchAttributeFallback } from '../search-attribute-fallback.js';
import type { TemporalTarget } from '../temporal-connection.js';
import { CliExit, EXIT_RUN_FAILED } from './shared.js';

/** The flags that reach the cluster `target` names, for the commands the CLI suggests. */
export function connectionArgs(target: TemporalTarget): string {
  return `--address ${target.address}${target.namespace === 'default' ? '' : ` --namespace ${target.namespace}`}`;
}

/**
 * Starts the run under the service's fixed workflow id: a second start while one runs is
 * refused (conflict policy FAIL), so one service never has two runs writing at once.
 */
export async function startRun(
  client: Client,
  config: IngestionConfig,
  input: IngestionRunInput,
  taskQueue: string,
  target?: TemporalTarget,
  onSearchAttributesMissing: () => void = () => undefined,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const workflowId = ingestionWorkflowId(config.serviceName);
  const base = {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    staticSummary: `Kinesis -> OpenMetadata ingestion of service ${config.serviceName}${input.options?.dryRun ? ' (dry run)' : ''}`,
  };
  try {
    // The service is set at the start so that a run is found by it even before a worker takes
    // it. A namespace without the attributes refuses such a start: the run is then started
    // without them; the run itself sets those the namespace has and says once in its summary
    // how to register the others (workflows/run-visibility.ts).
    const serviceAttributes = new TypedSearchAttributes([
      { key: SEARCH_ATTRIBUTE_KEYS.service, value: config.serviceName },
      { key: SEARCH_ATTRIBUTE_KEYS.connector, value: 'kinesis' },
    ]);
    return await withSearchAttributeFallback(
      (withSearchAttributes) =>
        client.workflow.start(INGESTION_WORKFLOW_TYPE, {
          ...base,
          ...(withSearchAttributes ? { typedSearchAttributes: serviceAttributes } : {}),
        }),
      onSearchAttributesMissing,
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliExit(
        EXIT_RUN_FAILED,
        `a run for service ${config.serviceName} is already in progress (workflow id ${workflowId}); no second run was started. Follow it with: om-kinesis status ${config.serviceName}${target ? ` ${connectionArgs(target)}` : ''}`,
      );
    }
    throw error;
  }
}
