// The start of a run: the checks (in parallel), then the messaging service, then the run's
// status reported to OpenMetadata. What it returns is the progress a run carries from then on.
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { ServiceUpsertResult } from '../common/activity-results.js';
import type { PreparedRun, RunContext } from '../common/run-context.js';
import type { SearchAttributeName } from '../common/search-attributes.js';
import { emptyBatchResult, type IngestionStep } from '../common/summary.js';
import { quoteFqnPart } from '../common/topic-mapping.js';
import { checkSteps, serviceStep } from './activity-proxies.js';
import { failureInfo } from './failures.js';
import type { PipelineStatusReporter } from './pipeline-reporting.js';
import { addPlannedWrite, addWarning, type IngestionProgress } from './run-summary.js';

export async function startRun(
  prepared: PreparedRun,
  startedAt: string,
  searchAttributes: SearchAttributeName[],
  reporter: PipelineStatusReporter,
): Promise<IngestionProgress> {
  const checked: RunContext = {
    config: prepared.config,
    options: prepared.options,
    runId: workflowInfo().firstExecutionRunId,
  };
  // A run that fails its checks is reported too, under the service it names.
  reporter.attach({ ctx: checked, serviceFqn: quoteFqnPart(checked.config.serviceName), startedAt });
  const [, openMetadata] = await Promise.all([
    step('verifyAwsIdentity', () =>
      checkSteps.verifyAwsIdentity.executeWithOptions(
        {
          summary: checked.config.aws.assumeRoleArn
            ? `assume role ${checked.config.aws.assumeRoleArn}`
            : 'check AWS identity',
        },
        [checked],
      ),
    ),
    step('checkOpenMetadata', () =>
      checkSteps.checkOpenMetadata.executeWithOptions(
        { summary: `check OpenMetadata ${withoutCredentials(checked.config.openMetadata.hostPort)}` },
        [checked],
      ),
    ),
    step('checkKinesisConnection', () =>
      checkSteps.checkKinesisConnection.executeWithOptions({ summary: 'check Kinesis connection' }, [
        checked,
      ]),
    ),
  ]);
  // Every later step speaks the server's dialect, and knows the run it belongs to.
  const ctx: RunContext = { ...checked, openMetadataVersion: openMetadata.version };
  const service = await step('upsertService', () =>
    serviceStep.upsertMessagingService.executeWithOptions(
      { summary: `upsert messaging service ${ctx.config.serviceName}` },
      [ctx],
    ),
  );
  const totals = emptyBatchResult();
  if (ctx.options.dryRun && service.outcome !== 'unchanged')
    addPlannedWrite(totals, plannedServiceWrite(ctx.config.serviceName, service));
  reporter.attach({ ctx, serviceFqn: service.serviceFqn, startedAt });
  const reportFailed = await reporter.started();
  if (reportFailed) addWarning(totals, reportFailed);
  return {
    ctx,
    serviceFqn: service.serviceFqn,
    batchesStarted: 0,
    totals,
    streamsSeen: 0,
    filtered: 0,
    serviceWritten: !ctx.options.dryRun && service.outcome !== 'unchanged',
    runWarnings: [...prepared.warnings, ...openMetadata.warnings],
    startedAt,
    listed: 0,
    searchAttributes,
  };
}

function plannedServiceWrite(serviceName: string, service: ServiceUpsertResult): string {
  if (service.outcome === 'restored') return `restore messaging service ${serviceName}`;
  const keys = service.connectionKeys ?? [];
  return keys.length > 0
    ? `create messaging service ${serviceName} with its connection (${keys.join(', ')})`
    : `create messaging service ${serviceName} without a connection (storeServiceConnection: false)`;
}

/** Runs a step that the whole run depends on: its failure ends the run with a clear message. */
export async function step<T>(name: IngestionStep, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const { type, message } = failureInfo(error);
    throw ApplicationFailure.create({ type, message: `${name}: ${message}`, nonRetryable: true });
  }
}

/** A URL for display: any `user:password@` is removed (this runs in workflow code: no URL class needed). */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
