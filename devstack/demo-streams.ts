// The demo's Kinesis streams and ingestion YAML, shared by `npm run demo`, `npm run stack` and
// the Web UI browser test: a few streams of different kinds (JSON, text, binary, a resharded
// stream, one excluded by the filter), each holding a few records to sample.
import { KinesisFixture } from './kinesis-fixture.js';

/** A 12-digit access key id: kinesis-local keeps the demo's streams in an account of their own. */
export const DEMO_ACCOUNT = '111122223333';

/** The service the demo's topics are catalogued under in OpenMetadata. */
export const DEMO_SERVICE_NAME = 'demo_kinesis';

/** The environment variable the demo config takes the AWS secret from (resolved by the worker). */
export const DEMO_SECRET_ENV = 'DEMO_AWS_SECRET_ACCESS_KEY';

/** Every stream {@link seedDemoStreams} creates; `_tmp_scratch` is excluded by the demo config's filter. */
export const DEMO_STREAMS = [
  'orders.v1',
  'clickstream',
  'payments.raw',
  'audit-log',
  '_tmp_scratch',
] as const;

/** Seeds the demo streams into the demo account of the kinesis-local at `endpoint`. */
export async function seedDemoAccount(endpoint: string, region: string): Promise<void> {
  const fixture = new KinesisFixture({ endpoint, region, accessKeyId: DEMO_ACCOUNT });
  try {
    await seedDemoStreams(fixture);
  } finally {
    fixture.close();
  }
}

/** Creates the demo streams (2 shards each) and puts a few records in them. The caller closes the fixture. */
export async function seedDemoStreams(fixture: KinesisFixture): Promise<void> {
  await fixture.createStreams([...DEMO_STREAMS], 2);
  await fixture.putRecords('orders.v1', [
    '{"orderId":1001,"customer":"ada","total":42.5}',
    '{"orderId":1002,"customer":"grace","total":7}',
    '{"orderId":1003,"customer":"linus","total":19.99}',
  ]);
  await fixture.putRecords('clickstream', ['GET /home 200', 'GET /cart 200', 'POST /checkout 302']);
  await fixture.putRecords('payments.raw', [
    new Uint8Array([0x0a, 0x03, 0x45, 0x55, 0x52, 0x10, 0xff, 0x01]),
  ]);
  await fixture.putRecords('audit-log', ['user ada logged in']);
  // A split leaves a closed parent shard that still holds data: it is sampled, not counted.
  await fixture.splitShard('audit-log');
  await fixture.putRecords('audit-log', ['user ada logged out']);
}

export interface DemoConfigOptions {
  kinesisEndpoint: string;
  region: string;
  openMetadataUrl: string;
  /** Default {@link DEMO_SERVICE_NAME}. */
  serviceName?: string;
  /** Default {@link DEMO_ACCOUNT}. */
  accessKeyId?: string;
  /** Variable named by the `${...}` reference of the AWS secret (default {@link DEMO_SECRET_ENV}). */
  secretEnv?: string;
  /** When set, the config authenticates to OpenMetadata with the JWT read from this variable. */
  jwtTokenEnv?: string;
  /** A comment put at the top of the file. */
  header?: string;
}

/** The YAML users give `metadata ingest -c`, for the demo streams; secrets are `${ENV}` references. */
export function demoConfigYaml(options: DemoConfigOptions): string {
  const header = (
    options.header ?? 'The YAML users give `metadata ingest -c`, unchanged: om-kinesis takes it as it is.'
  )
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  const auth = options.jwtTokenEnv
    ? `    authProvider: openmetadata
    securityConfig:
      jwtToken: \${${options.jwtTokenEnv}}`
    : '    authProvider: no-auth';
  return `${header}
source:
  type: kinesis
  serviceName: ${options.serviceName ?? DEMO_SERVICE_NAME}
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsAccessKeyId: "${options.accessKeyId ?? DEMO_ACCOUNT}"
        awsSecretAccessKey: \${${options.secretEnv ?? DEMO_SECRET_ENV}}
        awsRegion: ${options.region}
        endPointURL: ${options.kinesisEndpoint}
  sourceConfig:
    config:
      type: MessagingMetadata
      topicFilterPattern:
        excludes: ["_tmp.*"]
      generateSampleData: true
      markDeletedTopics: true
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: INFO
  openMetadataServerConfig:
    hostPort: ${options.openMetadataUrl}
${auth}
`;
}
