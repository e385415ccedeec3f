import { loadIngestionConfig } from '../../common/config/index.js';
import { CliExit, configErrorExit, EXIT_BAD_CONFIG, printWarnings } from './shared.js';

/** `om-kinesis validate -c FILE`: checks the config exactly as `ingest` does, and nothing else. */
export async function validateCommand(options: { config: string }): Promise<void> {
  const result = await loadIngestionConfig(options.config, { env: process.env });
  printWarnings(result.warnings);
  if (!result.config || result.errors.length > 0) {
    if (result.errors.length === 0)
      throw new CliExit(EXIT_BAD_CONFIG, `${options.config}: the config is invalid`);
    throw configErrorExit(options.config, result.errors);
  }
  const { config } = result;
  console.log(
    `${options.config}: valid. Service ${config.serviceName}, region ${config.aws.awsRegion}` +
      `${config.aws.assumeRoleArn ? `, role ${config.aws.assumeRoleArn}` : ''}, OpenMetadata ${config.openMetadata.hostPort}` +
      `, sample data ${config.generateSampleData ? 'on' : 'off'}, stale sweep ${config.markDeletedTopics ? 'on' : 'off'}.`,
  );
}
