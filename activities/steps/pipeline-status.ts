import { activityInfo } from '@temporalio/activity';
import { FailureType } from '../../common/failure-types.js';
import type { PipelineStatusReport } from '../../common/pipeline-status.js';
import type { RunContext } from '../../common/run-context.js';
import { splitFqn } from '../../common/topic-mapping.js';
import { IngestionActivityError } from '../errors.js';
import { dialectFor } from '../openmetadata/dialect.js';
import type { OpenMetadataClient } from '../openmetadata/openmetadata-client.js';
import type { RunResources } from '../run-resources.js';

export function createPipelineStatusActivities({
  openMetadata,
  boundary,
}: Pick<RunResources, 'openMetadata' | 'boundary'>) {
  return {
    /**
     * Reports the run's state to its ingestion pipeline (`ingestionPipelineFQN`), as the
     * official client does: the pipeline is looked up, and created under the run's service
     * when missing (one that a user soft-deleted is left so, and the report is a warning); the
     * status is keyed by `pipelineRunId`, else by this Temporal run's id, so an OpenMetadata
     * user finds the run under that id in Temporal. Only the keys every
     * supported version accepts are sent.
     */
    async reportPipelineStatus(ctx: RunContext, report: PipelineStatusReport): Promise<void> {
      return boundary(ctx, async () => {
        const pipeline = ctx.config.pipeline;
        if (!pipeline) return;
        const client = openMetadata(ctx);
        const existing = await client.ingestionPipelineByFqn(pipeline.fqn);
        if (existing?.deleted === true)
          throw new IngestionActivityError(
            FailureType.OpenMetadataRequestRejected,
            `ingestion pipeline ${pipeline.fqn} was deleted in OpenMetadata: the run is not reported to it (nor is it brought back); restore it there, or drop ingestionPipelineFQN`,
            false,
          );
        if (!existing) await createPipeline(client, ctx, report.serviceFqn);
        const dialect = dialectFor(ctx.openMetadataVersion);
        const startDate = Date.parse(report.startedAt);
        const runId = pipeline.runId ?? ctx.runId ?? activityInfo().workflowExecution?.runId;
        await client.putPipelineStatus(pipeline.fqn, {
          ...(runId ? { runId } : {}),
          pipelineState:
            report.state === 'stopped' && !dialect.pipelineStateStopped ? 'failed' : report.state,
          startDate,
          timestamp: startDate,
          ...(report.finishedAt ? { endDate: Date.parse(report.finishedAt) } : {}),
          ...(report.steps ? { status: report.steps } : {}),
        });
      });
    },
  };
}

/**
 * Creates the ingestion pipeline named by `ingestionPipelineFQN` under the run's service (the
 * official client's `create_or_update` of a missing pipeline), its description saying which
 * Temporal workflow runs it.
 */
async function createPipeline(
  client: OpenMetadataClient,
  ctx: RunContext,
  serviceFqn: string,
): Promise<void> {
  const fqn = ctx.config.pipeline?.fqn ?? '';
  const parts = splitFqn(fqn);
  const name = parts[parts.length - 1];
  const servicePart = parts.slice(0, -1);
  if (name === undefined || servicePart.length !== 1 || servicePart[0] !== ctx.config.serviceName) {
    throw new IngestionActivityError(
      FailureType.InvalidRunInput,
      `ingestionPipelineFQN ${fqn} names no pipeline of service ${ctx.config.serviceName}, and does not exist: create it in OpenMetadata, or name it <service>.<pipeline>`,
      false,
    );
  }
  const service = await client.messagingServiceByName(serviceFqn);
  if (!service) {
    throw new IngestionActivityError(
      FailureType.OpenMetadataRequestRejected,
      `ingestion pipeline ${fqn} does not exist, nor does its service ${serviceFqn} (yet): nothing to report to`,
      false,
    );
  }
  const { workflowExecution, workflowNamespace } = activityInfo();
  const config = ctx.config;
  await client.createIngestionPipeline({
    name,
    description: `Runs of om-kinesis: the Temporal workflow ${workflowExecution?.workflowId ?? ''} in namespace ${workflowNamespace}. Each run's id here is its Temporal run id (unless pipelineRunId is set).`,
    pipelineType: 'metadata',
    service: { id: service.id, type: 'messagingService' },
    sourceConfig: {
      config: {
        type: 'MessagingMetadata',
        ...(config.filter ? { topicFilterPattern: config.filter } : {}),
        generateSampleData: config.generateSampleData,
        markDeletedTopics: config.markDeletedTopics,
      },
    },
    airflowConfig: {},
  });
}
