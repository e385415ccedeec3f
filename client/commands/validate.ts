import { temporalTargetFrom, type TemporalFlags } from '../temporal-connection.js';
import { loadRunConfig } from './run-config.js';

/**
 * `om-kinesis validate -c FILE`: applies exactly the checks `ingest` would apply to the same
 * config for the same target (a cluster when --address / TEMPORAL_ADDRESS names one, else a
 * local run), and starts nothing.
 */
export async function validateCommand(options: { config: string } & TemporalFlags): Promise<void> {
  const target = temporalTargetFrom(options, process.env);
  const { config } = await loadRunConfig(options.config, target ? 'cluster' : 'local', {
    nothingDone: 'nothing was started',
  });
  console.log(
    `${options.config}: valid for ${target ? `a run on the Temporal cluster at ${target.address}` : 'a local run'}. Service ${config.serviceName}, region ${config.aws.awsRegion}` +
      `${config.aws.assumeRoleArn ? `, role ${config.aws.assumeRoleArn}` : ''}, OpenMetadata ${config.openMetadata.hostPort}` +
      `, sample data ${config.generateSampleData ? 'on' : 'off'}, stale sweep ${config.markDeletedTopics ? 'on' : 'off'}.`,
  );
}
