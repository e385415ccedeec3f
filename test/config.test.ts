import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import {
  InvalidFilterPatternError,
  InvalidIngestionConfigError,
  SECRET_CONFIG_PATHS,
  compileFilterPattern,
  expandEnvironmentVariables,
  formatConfigIssue,
  loadIngestionConfig,
  parseIngestionConfig,
  requireIngestionConfig,
  validateIngestionConfigObject,
} from '../common/config/index.js';
import type { ConfigResult, IngestionConfig } from '../common/config/index.js';

// Compiled to dist/test/; the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/configs/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

const AWS = 'source.serviceConnection.config.awsConfig';
const SERVER = 'workflowConfig.openMetadataServerConfig';
const PIPELINE = 'source.sourceConfig.config';

type Document = { [key: string]: unknown };

/** A valid document that draws no warnings; tests change parts of it. */
function minimalDocument(): Document {
  return {
    source: {
      type: 'kinesis',
      serviceName: 'local_kinesis',
      serviceConnection: { config: { type: 'Kinesis', awsConfig: { awsRegion: 'us-east-2' } } },
      sourceConfig: { config: { type: 'MessagingMetadata' } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      openMetadataServerConfig: {
        hostPort: 'http://localhost:8585/api',
        authProvider: 'openmetadata',
        securityConfig: {
          jwtToken: 'eyJraWQiOiJHYjM4OWEtOWY3Ni1nZGpzLWE5MmotMDI0MmJrOTQzNTYiLCJ0eXAiOiJKV1QifQ.e30.c2ln',
        },
      },
    },
  };
}

/** Sets each dotted path to its value (undefined deletes the key), creating objects on the way. */
function withChanges(document: Document, changes: Record<string, unknown>): Document {
  for (const [dottedPath, value] of Object.entries(changes)) {
    const keys = dottedPath.split('.');
    const last = keys.pop() as string;
    let target = document;
    for (const key of keys) {
      const next = target[key];
      if (typeof next !== 'object' || next === null) target[key] = {};
      target = target[key] as Document;
    }
    if (value === undefined) delete target[last];
    else target[last] = value;
  }
  return document;
}

const MINIMAL_YAML = `
source:
  type: kinesis
  serviceName: local_kinesis
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsRegion: us-east-2
  sourceConfig:
    config:
      type: MessagingMetadata
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: eyJhbGciOiJSUzI1NiJ9.e30.c2ln
`;

function validate(changes: Record<string, unknown>): ConfigResult {
  return validateIngestionConfigObject(withChanges(minimalDocument(), changes));
}

const errorsOf = (result: ConfigResult) => result.errors.map(formatConfigIssue);
const warningsOf = (result: ConfigResult) => result.warnings.map(formatConfigIssue);

function expectValid(result: ConfigResult): IngestionConfig {
  expect(errorsOf(result)).to.deep.equal([]);
  expect(result.config).to.not.equal(undefined);
  return result.config as IngestionConfig;
}

describe('ingestion config', () => {
  describe('the documentation example', () => {
    it('parses the seed Kinesis YAML verbatim (commented lines included) and applies every default', async () => {
      const text = await readFile(fixture('seed-kinesis.yaml'), 'utf8');
      expect(text).to.include('        # awsSessionToken: TOKEN\n');
      expect(text).to.include('        # assumeRoleSourceIdentity: identity\n');

      const result = await loadIngestionConfig(fixture('seed-kinesis.yaml'), { env: {} });

      expect(result.config).to.deep.equal({
        serviceName: 'local_kinesis',
        sourceType: 'kinesis',
        aws: {
          awsAccessKeyId: 'KEY',
          awsSecretAccessKey: 'SECRET',
          awsRegion: 'us-east-2',
          assumeRoleSessionName: 'OpenMetadataSession',
        },
        connectionExtras: {},
        filter: { includes: [], excludes: ['_confluent.*'] },
        generateSampleData: false,
        markDeletedTopics: true,
        openMetadata: {
          hostPort: 'http://localhost:8585/api',
          authProvider: 'openmetadata',
          jwtToken: '{bot_jwt_token}',
          verifySSL: 'no-ssl',
          extraHeaders: {},
          enableVersionValidation: true,
          storeServiceConnection: true,
        },
        loggerLevel: 'INFO',
        successThreshold: 90,
        raiseOnError: true,
      } satisfies IngestionConfig);
      expect(result.errors).to.deep.equal([]);
      expect(warningsOf(result)).to.deep.equal([
        `${SERVER}.securityConfig.jwtToken: {bot_jwt_token} is the documentation's placeholder: put the bot's JWT token (or the path of a file holding it) here`,
      ]);
    });

    it('reads a config that sets every field', async () => {
      const result = await loadIngestionConfig(fixture('full-kinesis.yaml'), { env: {} });

      expect(result.config).to.deep.equal({
        serviceName: 'orders_kinesis',
        sourceType: 'kinesis',
        aws: {
          awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          awsSessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
          awsRegion: 'eu-west-1',
          endPointURL: 'http://127.0.0.1:4567',
          profileName: 'ingestion',
          assumeRoleArn: 'arn:aws:iam::123456789012:role/openmetadata-ingestion',
          assumeRoleSessionName: 'kinesis-ingestion',
          assumeRoleSourceIdentity: 'ingestion-bot',
        },
        connectionExtras: { supportsMetadataExtraction: true },
        filter: { includes: ['orders.*', '(?P<kind>payments|refunds)_\\d+\\Z'], excludes: [] },
        generateSampleData: true,
        markDeletedTopics: false,
        openMetadata: {
          // The trailing slash is dropped: the client appends /v1/...
          hostPort: 'https://openmetadata.example.com:8585/api',
          authProvider: 'openmetadata',
          jwtToken: '/etc/openmetadata/ingestion-bot.jwt',
          verifySSL: 'validate',
          caCertificate: '/etc/ssl/certs/openmetadata-ca.pem',
          extraHeaders: { 'X-Request-Source': 'om-kinesis', 'X-Tenant': 'analytics' },
          enableVersionValidation: false,
          storeServiceConnection: false,
        },
        loggerLevel: 'DEBUG',
        successThreshold: 75,
        raiseOnError: false,
      } satisfies IngestionConfig);
      expect(result.errors).to.deep.equal([]);
      expect(result.warnings).to.deep.equal([]);
    });

    it('accepts the source type in any case, and an absent sourceConfig.config with its defaults', () => {
      const config = expectValid(
        validate({
          'source.type': 'Kinesis',
          'source.sourceConfig': {},
          'source.serviceConnection.config.type': undefined,
        }),
      );
      expect(config.sourceType).to.equal('kinesis');
      expect(config.filter).to.equal(undefined);
      expect(config.generateSampleData).to.equal(false);
      expect(config.markDeletedTopics).to.equal(true);
    });
  });

  describe('environment variables', () => {
    const env = { HOME: '/home/ingest', REGION: 'eu-west-1', EMPTY: '', DOLLAR: '$HOME' };

    it('expands $VAR and ${VAR} like Python os.path.expandvars', () => {
      const cases: [string, string][] = [
        ['$HOME', '/home/ingest'],
        ['${HOME}', '/home/ingest'],
        ['$HOME/x', '/home/ingest/x'],
        ['${HOME}X', '/home/ingestX'],
        ['$HOMEX', '$HOMEX'],
        ['$UNSET and ${UNSET}', '$UNSET and ${UNSET}'],
        ['$', '$'],
        ['$$HOME', '$/home/ingest'],
        ['${HOME', '${HOME'],
        ['${}', '${}'],
        ['$-x', '$-x'],
        ['${EMPTY}|$EMPTY', '|'],
        // A substituted value is not expanded again.
        ['$DOLLAR', '$HOME'],
        ['$constructor', '$constructor'],
      ];
      for (const [text, expanded] of cases) {
        expect(expandEnvironmentVariables(text, env), text).to.equal(expanded);
      }
    });

    it('expands the raw text before parsing, keeps unset variables literal and says so', () => {
      const text = MINIMAL_YAML.replace('awsRegion: us-east-2', 'awsRegion: ${REGION}')
        .replace('eyJhbGciOiJSUzI1NiJ9.e30.c2ln', '$OM_TOKEN')
        .replace('serviceName: local_kinesis', 'serviceName: kinesis_$STAGE');

      const result = parseIngestionConfig(text, { env: { REGION: 'eu-west-1' } });

      const config = expectValid(result);
      expect(config.aws.awsRegion).to.equal('eu-west-1');
      expect(config.serviceName).to.equal('kinesis_$STAGE');
      expect(config.openMetadata.jwtToken).to.equal('$OM_TOKEN');
      expect(warningsOf(result)).to.deep.equal([
        'source.serviceName: Environment variable STAGE is not set: its reference is kept as written',
        // A secret's value is not repeated, not even the part that looks like a reference.
        `${SERVER}.securityConfig.jwtToken: References an environment variable that is not set: the reference is kept as written`,
      ]);
    });

    it('an error on a value that came from a variable names the variable and how to keep it text', () => {
      const text = MINIMAL_YAML.replace('awsRegion: us-east-2', 'awsRegion: ${REGION}').replace(
        'serviceName: local_kinesis',
        'serviceName: $SERVICE',
      );

      const result = parseIngestionConfig(text, { env: { REGION: '', SERVICE: 'yes' } });

      expect(result.config).to.equal(undefined);
      const messages = result.errors.map((e) => `${e.path}: ${e.message}`);
      expect(messages.find((m) => m.startsWith('source.serviceName:'))).to.match(
        /its value comes from \$\{SERVICE\}: the value of SERVICE is read as YAML where it stands; to keep it text, put the value in quotes in the file, e\.g\. "\$\{SERVICE\}"\)$/,
      );
      expect(messages.find((m) => m.includes('awsRegion'))).to.include(
        'its value comes from ${REGION}: REGION is set but empty here',
      );
    });

    it('says nothing of a secret or a URL while naming variables, and names only variables that are set', () => {
      const text = MINIMAL_YAML.replace(
        'hostPort: http://localhost:8585/api',
        'hostPort: http://admin:pa$SuperSecret9@localhost:8585/api',
      )
        .replace('awsRegion: us-east-2', 'awsRegion: us-east-2\n        awsSessionToken: tok$HiddenPart')
        .replace('serviceName: local_kinesis', 'serviceName: $NOT_SET_HERE');

      const result = parseIngestionConfig(text, { env: { HiddenPart: 'x' } });

      const said = JSON.stringify(result.errors);
      expect(result.errors.length).to.be.greaterThan(0);
      for (const secret of ['SuperSecret9', 'HiddenPart', 'admin', 'NOT_SET_HERE'])
        expect(said, secret).to.not.include(secret);
    });

    it('does not expand anything in validateIngestionConfigObject', () => {
      const config = expectValid(validate({ 'source.serviceName': 'kinesis_$HOME' }));
      expect(config.serviceName).to.equal('kinesis_$HOME');
    });
  });

  describe('errors', () => {
    const cases: { name: string; changes: Record<string, unknown>; errors: string[] }[] = [
      {
        name: 'a missing required key',
        changes: { [`${AWS}.awsRegion`]: undefined },
        errors: [`${AWS}.awsRegion: Required`],
      },
      {
        name: 'a value of the wrong type',
        changes: { [`${PIPELINE}.generateSampleData`]: 'false' },
        errors: [`${PIPELINE}.generateSampleData: Expected boolean, received string`],
      },
      {
        name: 'a near-miss key',
        changes: { [`${AWS}.awsRegon`]: 'us-east-2', [`${AWS}.awsRegion`]: undefined },
        errors: [`${AWS}.awsRegon: Unknown key (did you mean awsRegion?)`, `${AWS}.awsRegion: Required`],
      },
      {
        name: 'a key with other casing or separators',
        changes: { [`${AWS}.endpoint_url`]: 'http://127.0.0.1:4567' },
        errors: [`${AWS}.endpoint_url: Unknown key (did you mean endPointURL?)`],
      },
      {
        name: 'an unknown key with nothing close',
        changes: { [`${PIPELINE}.topicFilterPattern`]: { only: ['a'] } },
        errors: [`${PIPELINE}.topicFilterPattern.only: Unknown key (expected one of: includes, excludes)`],
      },
      {
        name: 'another connector',
        changes: { 'source.type': 'kafka' },
        errors: [`source.type: Expected 'kinesis', received 'kafka' (this tool ingests Kinesis only)`],
      },
      {
        name: "another connector's connection (only the type is reported)",
        changes: { 'source.serviceConnection.config': { type: 'Kafka', bootstrapServers: 'localhost:9092' } },
        errors: [`source.serviceConnection.config.type: Expected 'Kinesis', received 'Kafka'`],
      },
      {
        name: 'a connection type in the wrong case',
        changes: { 'source.serviceConnection.config.type': 'kinesis' },
        errors: [
          `source.serviceConnection.config.type: Expected 'Kinesis', received 'kinesis' (did you mean 'Kinesis'?)`,
        ],
      },
      {
        name: 'another pipeline type (only the type is reported)',
        changes: { [PIPELINE]: { type: 'DatabaseMetadata', markDeletedTables: true } },
        errors: [`${PIPELINE}.type: Expected 'MessagingMetadata', received 'DatabaseMetadata'`],
      },
      {
        name: 'another sink',
        changes: { 'sink.type': 'file' },
        errors: [`sink.type: Expected 'metadata-rest', received 'file'`],
      },
      {
        name: 'a missing sink',
        changes: { sink: undefined },
        errors: ['sink: Required'],
      },
      {
        name: 'a logger level from the documentation comment',
        changes: { 'workflowConfig.loggerLevel': 'WARNING' },
        errors: [
          `workflowConfig.loggerLevel: Expected one of 'DEBUG', 'INFO', 'WARN', 'ERROR', received 'WARNING' (did you mean 'WARN'?)`,
        ],
      },
      {
        name: 'a success threshold above 100',
        changes: { 'workflowConfig.successThreshold': 150 },
        errors: ['workflowConfig.successThreshold: Expected an integer from 0 to 100, received 150'],
      },
      {
        name: 'a fractional success threshold',
        changes: { 'workflowConfig.successThreshold': 90.5 },
        errors: ['workflowConfig.successThreshold: Expected integer, received number'],
      },
      {
        name: 'a hostPort that is not an http(s) URL',
        changes: { [`${SERVER}.hostPort`]: 'localhost:8585/api' },
        errors: [`${SERVER}.hostPort: Expected an http(s) URL such as http://localhost:8585/api`],
      },
      {
        name: 'an endpoint that is not a URL',
        changes: { [`${AWS}.endPointURL`]: 'kinesis.local' },
        errors: [
          `${AWS}.endPointURL: Expected an http(s) URL such as https://kinesis.us-east-2.amazonaws.com`,
        ],
      },
      {
        name: 'a secret key without its key id',
        changes: { [`${AWS}.awsSecretAccessKey`]: 'SECRET' },
        errors: [`${AWS}.awsAccessKeyId: Required when awsSecretAccessKey is set`],
      },
      {
        name: 'a key id without its secret key',
        changes: { [`${AWS}.awsAccessKeyId`]: 'KEY' },
        errors: [`${AWS}.awsSecretAccessKey: Required when awsAccessKeyId is set`],
      },
      {
        name: 'a session token without the key pair',
        changes: { [`${AWS}.awsSessionToken`]: 'TOKEN' },
        errors: [`${AWS}.awsSessionToken: Needs awsAccessKeyId and awsSecretAccessKey as well`],
      },
      {
        name: 'a role session name AWS would refuse',
        changes: {
          [`${AWS}.assumeRoleArn`]: 'arn:aws:iam::123456789012:role/ingest',
          [`${AWS}.assumeRoleSessionName`]: 'my session',
        },
        errors: [
          `${AWS}.assumeRoleSessionName: Must be 2 to 64 characters: letters, digits and any of _+=,.@-`,
        ],
      },
      {
        name: 'a role that is not an ARN',
        changes: { [`${AWS}.assumeRoleArn`]: 'ingest-role' },
        errors: [`${AWS}.assumeRoleArn: Expected a role ARN such as arn:aws:iam::123456789012:role/name`],
      },
      {
        name: "authProvider 'openmetadata' without a token",
        changes: { [`${SERVER}.securityConfig`]: undefined },
        errors: [`${SERVER}.securityConfig.jwtToken: Required when authProvider is 'openmetadata'`],
      },
      {
        name: 'an empty token',
        changes: { [`${SERVER}.securityConfig.jwtToken`]: '' },
        errors: [`${SERVER}.securityConfig.jwtToken: Must not be empty`],
      },
      {
        name: 'an SSO auth provider (its security config is not reported)',
        changes: {
          [`${SERVER}.authProvider`]: 'google',
          [`${SERVER}.securityConfig`]: {
            secretKey: '/keys/google.json',
            audience: 'https://www.googleapis.com/oauth2/v4/token',
          },
        },
        errors: [
          `${SERVER}.authProvider: 'google' is not supported by this tool: use 'openmetadata' with a bot JWT token (securityConfig.jwtToken), or 'no-auth'`,
        ],
      },
      {
        name: 'an auth provider no release knows',
        changes: { [`${SERVER}.authProvider`]: 'jwt' },
        errors: [
          `${SERVER}.authProvider: Expected one of 'no-auth', 'basic', 'azure', 'google', 'okta', 'auth0', 'aws-cognito', 'custom-oidc', 'ldap', 'saml', 'openmetadata', received 'jwt'`,
        ],
      },
      {
        name: 'an unknown verifySSL',
        changes: { [`${SERVER}.verifySSL`]: 'true' },
        errors: [`${SERVER}.verifySSL: Expected one of 'no-ssl', 'ignore', 'validate', received 'true'`],
      },
      {
        name: 'a header name HTTP does not allow, and a header value that is not a string',
        changes: { [`${SERVER}.extraHeaders`]: { 'X Tenant': 'a', 'X-Retries': 3 } },
        errors: [
          `${SERVER}.extraHeaders["X Tenant"]: Invalid HTTP header name`,
          `${SERVER}.extraHeaders.X-Retries: Expected string, received number`,
        ],
      },
      {
        name: 'a service name OpenMetadata would refuse',
        changes: { 'source.serviceName': 'kinesis::prod' },
        errors: [`source.serviceName: Must not contain '::'`],
      },
      {
        name: 'an empty section (a YAML key with no value)',
        changes: { [AWS]: null },
        errors: [`${AWS}: Expected object, received null`],
      },
      {
        name: 'an invalid regular expression in a filter',
        changes: { [`${PIPELINE}.topicFilterPattern`]: { includes: ['orders.*', 'orders_(v1'] } },
        errors: [
          `${PIPELINE}.topicFilterPattern.includes[1]: Invalid regular expression: missing ), unterminated subpattern at position 7`,
        ],
      },
      {
        name: 'a filter given as a string instead of a list',
        changes: { [`${PIPELINE}.topicFilterPattern`]: { excludes: '_tmp.*' } },
        errors: [`${PIPELINE}.topicFilterPattern.excludes: Expected array, received string`],
      },
    ];

    for (const { name, changes, errors } of cases) {
      it(`reports ${name}`, () => {
        const result = validate(changes);
        expect(errorsOf(result)).to.deep.equal(errors);
        expect(result.config).to.equal(undefined);
      });
    }

    it('reports every error of a file at once, in the order of the file', () => {
      const text = `
source:
  type: kinesis
  serviceName: local_kinesis
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsRegon: us-east-2
        awsSecretAccessKey: SECRET
  sourceConfig:
    config:
      type: MessagingMetadata
      generateSampleData: "yes"
      topicFilterPattern:
        includes: ["orders.*", "\\\\q"]
sink:
  type: metadata-rest
workflowConfig:
  loggerLevel: WARNING
  successThreshold: 101
  openMetadataServerConfig:
    hostPort: localhost:8585
    authProvider: openmetadata
  retries: 3
`;
      const result = parseIngestionConfig(text, { env: {} });

      expect(errorsOf(result)).to.deep.equal([
        `${AWS}.awsRegon: Unknown key (did you mean awsRegion?)`,
        `${AWS}.awsRegion: Required`,
        `${AWS}.awsAccessKeyId: Required when awsSecretAccessKey is set`,
        `${PIPELINE}.generateSampleData: Expected boolean, received string`,
        `${PIPELINE}.topicFilterPattern.includes[1]: Invalid regular expression: bad escape \\q at position 0`,
        `workflowConfig.loggerLevel: Expected one of 'DEBUG', 'INFO', 'WARN', 'ERROR', received 'WARNING' (did you mean 'WARN'?)`,
        'workflowConfig.successThreshold: Expected an integer from 0 to 100, received 101',
        `${SERVER}.hostPort: Expected an http(s) URL such as http://localhost:8585/api`,
        `${SERVER}.securityConfig.jwtToken: Required when authProvider is 'openmetadata'`,
        'workflowConfig.retries: Unknown key (expected one of: loggerLevel, successThreshold, raiseOnError, openMetadataServerConfig, config)',
      ]);
      expect(result.config).to.equal(undefined);
    });

    it('never repeats the value of a secret in a message', () => {
      const result = validate({
        [`${AWS}.awsSecretAccessKey`]: { value: 'wJalrXUtnFEMI-SECRET' },
        [`${AWS}.awsSessionToken`]: ['session-SECRET'],
        [`${SERVER}.securityConfig.jwtToken`]: 12345678,
      });
      expect(errorsOf(result)).to.deep.equal([
        `${AWS}.awsSecretAccessKey: Expected string, received object`,
        `${AWS}.awsSessionToken: Expected string, received array`,
        `${AWS}.awsSessionToken: Needs awsAccessKeyId and awsSecretAccessKey as well`,
        `${AWS}.awsAccessKeyId: Required when awsSecretAccessKey is set`,
        `${SERVER}.securityConfig.jwtToken: Expected string, received number`,
      ]);
      expect(JSON.stringify(result)).to.not.match(/SECRET|12345678/);
    });

    it('names the secret keys by their full paths', () => {
      expect(SECRET_CONFIG_PATHS).to.include.members([
        `${AWS}.awsSecretAccessKey`,
        `${AWS}.awsSessionToken`,
        `${SERVER}.securityConfig.jwtToken`,
      ]);
    });
  });

  describe('unknown keys', () => {
    const rejected = [
      'workflow',
      'source.serviceType',
      'source.serviceConnection.region',
      'source.serviceConnection.config.streamPrefix',
      `${AWS}.region`,
      'source.sourceConfig.generateSampleData',
      `${PIPELINE}.sampleSize`,
      `${PIPELINE}.topicFilterPattern.include`,
      'sink.name',
      'workflowConfig.logLevel',
      `${SERVER}.timeout`,
      `${SERVER}.securityConfig.token`,
      `${SERVER}.sslConfig.verify`,
    ];
    for (const unknownKey of rejected) {
      it(`rejects ${unknownKey}`, () => {
        const result = validate({ [unknownKey]: 'x' });
        expect(result.errors).to.have.length(1);
        expect(result.errors[0]?.path).to.equal(unknownKey);
        expect(result.errors[0]?.message).to.match(/^Unknown key/);
      });
    }

    it('accepts every key the official schemas accept, including those this tool ignores', () => {
      const result = validate({
        'source.serviceConnection.config.supportsMetadataExtraction': true,
        [`${SERVER}.clusterName`]: 'openmetadata',
        [`${SERVER}.type`]: 'OpenMetadata',
        [`${SERVER}.apiVersion`]: 'v1',
        [`${SERVER}.includeTopics`]: true,
        [`${SERVER}.includeTables`]: false,
        [`${SERVER}.limitRecords`]: 1000,
        [`${SERVER}.forceEntityOverwriting`]: false,
        [`${SERVER}.storeServiceConnection`]: false,
        [`${SERVER}.secretsManagerProvider`]: 'noop',
        [`${SERVER}.secretsManagerLoader`]: 'noop',
        [`${SERVER}.supportsDataInsightExtraction`]: true,
        [`${SERVER}.tableFilterPattern`]: { includes: ['.*'] },
      });
      expectValid(result);
      expect(result.warnings).to.deep.equal([]);
    });

    it('accepts free-form component configs and unused workflow parts, with warnings', () => {
      const result = validate({
        'sink.config': { api_endpoint: 'http://localhost:8585/api' },
        'workflowConfig.config': { retries: 3 },
        processor: { type: 'pii-processor', config: {} },
        pipelineRunId: '3f4c7b52-2c5f-4c55-9a53-7d1b1bb1d0a1',
      });
      expectValid(result);
      expect(warningsOf(result)).to.deep.equal([
        'sink.config.api_endpoint: Ignored by this tool',
        'workflowConfig.config.retries: Ignored by this tool',
        'processor: Ignored by this tool',
        'pipelineRunId: Ignored without ingestionPipelineFQN',
      ]);
    });

    it('reads the ingestion pipeline a run reports to, and storeServiceConnection', () => {
      const config = expectValid(
        validate({
          ingestionPipelineFQN: 'local_kinesis.metadata',
          pipelineRunId: '3f4c7b52-2c5f-4c55-9a53-7d1b1bb1d0a1',
          [`${SERVER}.storeServiceConnection`]: false,
        }),
      );
      expect(config.pipeline).to.deep.equal({
        fqn: 'local_kinesis.metadata',
        runId: '3f4c7b52-2c5f-4c55-9a53-7d1b1bb1d0a1',
      });
      expect(config.openMetadata.storeServiceConnection).to.equal(false);
      expect(expectValid(validate({})).openMetadata.storeServiceConnection).to.equal(true);
    });

    it('accepts the keys later OpenMetadata versions added, noting those that do not apply', () => {
      const result = validate({
        'source.serviceConnection.config.awsConfig.enabled': true,
        'source.serviceConnection.config.topicFilterPattern': { includes: ['orders.*'] },
        'source.serviceConnection.config.supportsProfiler': false,
        [`${PIPELINE}.overrideMetadata`]: true,
        enableStreamableLogs: true,
        ingestionRunnerName: 'collate-runner',
        [`${SERVER}.forceEntityOverwriting`]: true,
      });
      const config = expectValid(result);
      expect(config.aws.enabled).to.equal(true);
      expect(config.connectionExtras).to.deep.equal({
        topicFilterPattern: { includes: ['orders.*'], excludes: [] },
        supportsProfiler: false,
      });
      expect(config.filter, 'the connection filter filters nothing').to.equal(undefined);
      expect(warningsOf(result)).to.deep.equal([
        'source.serviceConnection.config.awsConfig.enabled: Not used by this tool. Stored with the connection of a service this tool creates, on OpenMetadata 1.13 or later',
        `source.serviceConnection.config.topicFilterPattern: Not used: streams are filtered by ${PIPELINE}.topicFilterPattern, as by the official connector. Stored with the connection of a service this tool creates, on OpenMetadata 1.9 or later`,
        'source.serviceConnection.config.supportsProfiler: Not used: Kinesis topics have no profiler. Stored with the connection of a service this tool creates, on OpenMetadata 2.0 or later',
        `${PIPELINE}.overrideMetadata: Not needed: this tool writes only the fields it owns (partitions, retention, sizes, sourceUrl, topicConfig), never descriptions, tags or owners`,
        `${SERVER}.forceEntityOverwriting: Ignored: an existing messaging service is never rewritten (the connection, description, owners and tags stored in OpenMetadata stay as they are)`,
        "enableStreamableLogs: Ignored: run logs stay in the workers' logs and in Temporal",
        "ingestionRunnerName: Ignored: this tool's workers run the ingestion, on their Temporal task queue, not an OpenMetadata ingestion runner",
      ]);
    });
  });

  describe('accepted values and warnings', () => {
    it('treats empty YAML values of optional keys as absent', () => {
      const text = MINIMAL_YAML.replace(
        'awsRegion: us-east-2',
        'awsRegion: us-east-2\n        awsSessionToken:\n        profileName: ""',
      ).replace(
        'type: MessagingMetadata',
        'type: MessagingMetadata\n      topicFilterPattern:\n      generateSampleData:',
      );
      const config = expectValid(parseIngestionConfig(text, { env: {} }));
      expect(config.aws).to.deep.equal({
        awsRegion: 'us-east-2',
        assumeRoleSessionName: 'OpenMetadataSession',
      });
      expect(config.filter).to.equal(undefined);
      expect(config.generateSampleData).to.equal(false);
    });

    it('reads YAML 1.1 scalars as the official loader does, and warns about repeated keys', () => {
      const text = MINIMAL_YAML.replace(
        'type: MessagingMetadata',
        'type: MessagingMetadata\n      generateSampleData: yes\n      markDeletedTopics: off\n      generateSampleData: on',
      );
      const result = parseIngestionConfig(text, { env: {} });
      const config = expectValid(result);
      expect(config.generateSampleData).to.equal(true);
      expect(config.markDeletedTopics).to.equal(false);
      expect(warningsOf(result)).to.deep.equal([
        `${PIPELINE}.generateSampleData: Duplicate key (again at line 15): the last value is used`,
      ]);
    });

    it('picks the auth provider from the token when authProvider is absent', () => {
      const withToken = expectValid(validate({ [`${SERVER}.authProvider`]: undefined }));
      expect(withToken.openMetadata.authProvider).to.equal('openmetadata');

      const withoutToken = expectValid(
        validate({ [`${SERVER}.authProvider`]: undefined, [`${SERVER}.securityConfig`]: undefined }),
      );
      expect(withoutToken.openMetadata.authProvider).to.equal('no-auth');
    });

    it("accepts 'no-auth', and warns that a security config is then ignored", () => {
      const result = validate({ [`${SERVER}.authProvider`]: 'no-auth' });
      const config = expectValid(result);
      expect(config.openMetadata.authProvider).to.equal('no-auth');
      expect(warningsOf(result)).to.deep.equal([
        `${SERVER}.securityConfig: Ignored because authProvider is 'no-auth'`,
      ]);
    });

    it('reads the CA certificate from its older name, certificatePath', () => {
      const result = validate({
        [`${SERVER}.verifySSL`]: 'validate',
        [`${SERVER}.sslConfig`]: { certificatePath: '/certs/ca.pem' },
      });
      expect(expectValid(result).openMetadata.caCertificate).to.equal('/certs/ca.pem');
      expect(result.warnings).to.deep.equal([]);
    });

    it('warns about accepted settings that have no effect', () => {
      const result = validate({
        [`${AWS}.assumeRoleSessionName`]: 'ingestion',
        [`${AWS}.assumeRoleSourceIdentity`]: 'bot',
        [`${PIPELINE}.topicFilterPattern`]: { includes: ['orders.*'], excludes: ['orders_tmp.*'] },
        [`${SERVER}.hostPort`]: 'http://localhost:8585',
        [`${SERVER}.sslConfig`]: { caCertificate: '/certs/ca.pem', sslKey: '/certs/client.key' },
        [`${SERVER}.secretsManagerProvider`]: 'aws',
      });
      expectValid(result);
      expect(warningsOf(result)).to.deep.equal([
        `${AWS}.assumeRoleSessionName: Ignored without assumeRoleArn`,
        `${AWS}.assumeRoleSourceIdentity: Ignored without assumeRoleArn`,
        `${PIPELINE}.topicFilterPattern.excludes: Ignored by OpenMetadata up to 1.4 because includes is set (includes take precedence); from 1.5 a name must also match no exclude. This tool follows the server`,
        `${SERVER}.hostPort: Usually ends with /api (e.g. http://localhost:8585/api): API calls go to <hostPort>/v1/...`,
        `${SERVER}.sslConfig: Used only when verifySSL is 'validate'`,
        `${SERVER}.sslConfig.sslKey: Ignored: this tool does not present client certificates`,
        `${SERVER}.secretsManagerProvider: Ignored: this tool reads secrets from this file (and environment variables) only, not from a secrets manager`,
      ]);
    });
  });

  describe('whole-file problems', () => {
    let directory: string;
    before(async () => {
      directory = await mkdtemp(path.join(tmpdir(), 'om-kinesis-config-'));
    });
    after(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    const onlyError = (result: ConfigResult) => {
      expect(result.config).to.equal(undefined);
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]?.path).to.equal('');
      return formatConfigIssue(result.errors[0] ?? { path: '', message: '' });
    };

    it('reports YAML syntax errors with their line and column', () => {
      const result = parseIngestionConfig('source:\n  type: kinesis\n  serviceName: [local\n', {
        env: {},
        fileName: 'kinesis.yaml',
      });
      expect(errorsOf(result)).to.deep.equal([
        'Invalid YAML in kinesis.yaml at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ]);
    });

    it('refuses tags the official safe loader refuses', () => {
      const result = parseIngestionConfig('source: !!python/object/apply:os.system ["true"]\n', { env: {} });
      expect(onlyError(result)).to.equal(
        'Invalid YAML at line 1, column 9: Unresolved tag: tag:yaml.org,2002:python/object/apply:os.system',
      );
    });

    it('refuses several YAML documents in one file', () => {
      expect(onlyError(parseIngestionConfig(`${MINIMAL_YAML}---\n${MINIMAL_YAML}`, { env: {} }))).to.equal(
        'Invalid YAML at line 22, column 1: A config holds one YAML document, this has several',
      );
    });

    it('reports an empty file and a file holding only comments', () => {
      expect(onlyError(parseIngestionConfig('', { env: {} }))).to.equal(
        'The config is empty: expected a mapping with source, sink and workflowConfig',
      );
      expect(
        onlyError(parseIngestionConfig('# source:\n\n', { env: {}, fileName: 'kinesis.yaml' })),
      ).to.equal('kinesis.yaml is empty: expected a mapping with source, sink and workflowConfig');
    });

    it('reports a document that is not a mapping', () => {
      expect(onlyError(parseIngestionConfig('- source\n- sink\n', { env: {} }))).to.equal(
        'Expected a mapping with source, sink and workflowConfig at the top level, received a list',
      );
      expect(onlyError(validateIngestionConfigObject('source'))).to.equal(
        'Expected a mapping with source, sink and workflowConfig at the top level, received a plain string',
      );
    });

    it('reports binary content and oversized text', () => {
      expect(onlyError(parseIngestionConfig('source:\u0000\u0001', { env: {} }))).to.equal(
        'The config contains binary data (NUL bytes): expected YAML text',
      );
      expect(onlyError(parseIngestionConfig(`# ${'x'.repeat(1024 * 1024)}\n`, { env: {} }))).to.equal(
        'The config is larger than 1 MiB (1048579 bytes): an ingestion config is a small YAML file',
      );
    });

    it('turns file problems into errors instead of throwing', async () => {
      const missing = path.join(directory, 'missing.yaml');
      expect(onlyError(await loadIngestionConfig(missing))).to.equal(`Config file not found: ${missing}`);

      const folder = path.join(directory, 'folder.yaml');
      await mkdir(folder);
      expect(onlyError(await loadIngestionConfig(folder))).to.equal(
        `${folder} is a directory, not a config file`,
      );

      const binary = path.join(directory, 'binary.yaml');
      await writeFile(binary, Uint8Array.from([0x73, 0x00, 0xff, 0x10]));
      expect(onlyError(await loadIngestionConfig(binary))).to.equal(
        `${binary} contains binary data (NUL bytes): expected YAML text`,
      );

      const latin1 = path.join(directory, 'latin1.yaml');
      await writeFile(latin1, Uint8Array.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
      expect(onlyError(await loadIngestionConfig(latin1))).to.equal(
        `${latin1} is not UTF-8 text: save the config as UTF-8`,
      );

      const huge = path.join(directory, 'huge.yaml');
      await writeFile(huge, `# ${'x'.repeat(1024 * 1024)}\n`);
      expect(onlyError(await loadIngestionConfig(huge))).to.equal(
        `${huge} is larger than 1 MiB: an ingestion config is a small YAML file`,
      );
    });

    it('loads a valid file with a byte order mark', async () => {
      const file = path.join(directory, 'bom.yaml');
      await writeFile(file, `\uFEFF${MINIMAL_YAML}`);
      expectValid(await loadIngestionConfig(file, { env: {} }));
    });
  });

  describe('JSON workflow input', () => {
    it('validates an already-parsed object with the same rules', async () => {
      const fromYaml = await loadIngestionConfig(fixture('full-kinesis.yaml'), { env: {} });
      const json = JSON.parse(await readFile(fixture('full-kinesis.json'), 'utf8')) as unknown;

      const result = validateIngestionConfigObject(json);

      expect(result.config).to.deep.equal(fromYaml.config);
      expect(result.errors).to.deep.equal([]);
    });

    it('reports the same errors as for YAML', () => {
      const document = JSON.parse(JSON.stringify(minimalDocument())) as Document;
      expect(
        errorsOf(
          validateIngestionConfigObject(withChanges(document, { 'workflowConfig.raiseOnError': 'false' })),
        ),
      ).to.deep.equal(['workflowConfig.raiseOnError: Expected boolean, received string']);
      expect(errorsOf(validateIngestionConfigObject(null))).to.deep.equal([
        'The config is empty: expected a mapping with source, sink and workflowConfig',
      ]);
    });
  });

  describe('requireIngestionConfig', () => {
    it('returns the config of a valid result', () => {
      const result = validateIngestionConfigObject(minimalDocument());
      expect(requireIngestionConfig(result)).to.equal(result.config);
    });

    it('throws an error with a stable code that lists every issue', () => {
      const result = validate({ [`${AWS}.awsRegion`]: undefined, 'sink.type': 'file' });
      let thrown: unknown;
      try {
        requireIngestionConfig(result, 'in kinesis.yaml');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(InvalidIngestionConfigError);
      const error = thrown as InvalidIngestionConfigError;
      expect(error.code).to.equal('INVALID_INGESTION_CONFIG');
      expect(error.issues).to.deep.equal(result.errors);
      expect(error.message).to.equal(
        [
          'The ingestion config in kinesis.yaml has 2 errors:',
          `  - ${AWS}.awsRegion: Required`,
          "  - sink.type: Expected 'metadata-rest', received 'file'",
        ].join('\n'),
      );
    });
  });

  describe('filter patterns', () => {
    const kept = (filter: Parameters<typeof compileFilterPattern>[0], names: string[]) =>
      names.filter(compileFilterPattern(filter));
    const names = ['orders', 'Orders_v2', 'orders_tmp', 'payments', 'refunds_orders', '_tmp_orders'];

    it('keeps everything without a filter or with empty lists', () => {
      expect(kept(undefined, names)).to.deep.equal(names);
      expect(kept({ includes: [], excludes: [] }, names)).to.deep.equal(names);
    });

    it('matches at the start of the name, not the end, ignoring case', () => {
      expect(kept({ includes: ['orders'], excludes: [] }, names)).to.deep.equal([
        'orders',
        'Orders_v2',
        'orders_tmp',
      ]);
      expect(kept({ includes: ['ORDERS$'], excludes: [] }, names)).to.deep.equal(['orders']);
      expect(kept({ includes: ['.*orders'], excludes: [] }, names)).to.deep.equal([
        'orders',
        'Orders_v2',
        'orders_tmp',
        'refunds_orders',
        '_tmp_orders',
      ]);
    });

    it('drops names an exclude matches when there are no includes', () => {
      expect(kept({ includes: [], excludes: ['_tmp', '.*_tmp$'] }, names)).to.deep.equal([
        'orders',
        'Orders_v2',
        'payments',
        'refunds_orders',
      ]);
    });

    it('lets includes win over excludes, as OpenMetadata does up to 1.4', () => {
      expect(kept({ includes: ['orders'], excludes: ['orders_tmp'] }, names)).to.deep.equal([
        'orders',
        'Orders_v2',
        'orders_tmp',
      ]);
    });

    it('from 1.5 on, keeps a name that matches an include and no exclude', () => {
      const filter = { includes: ['orders', '_tmp'], excludes: ['orders_tmp', '.*_v2'] };
      expect(names.filter(compileFilterPattern(filter, 'includesAndExcludes'))).to.deep.equal([
        'orders',
        '_tmp_orders',
      ]);
      expect(
        names.filter(compileFilterPattern({ includes: [], excludes: ['_tmp'] }, 'includesAndExcludes')),
        'without includes, the rules agree',
      ).to.deep.equal(kept({ includes: [], excludes: ['_tmp'] }, names));
    });

    it('understands Python regular expression syntax', () => {
      const filter = (pattern: string) => ({ includes: [pattern], excludes: [] });
      expect(kept(filter('(?i)PAY'), names)).to.deep.equal(['payments']);
      expect(kept(filter('(?P<kind>orders|refunds)_\\w'), names)).to.deep.equal([
        'Orders_v2',
        'orders_tmp',
        'refunds_orders',
      ]);
      expect(kept(filter('\\Aorders\\Z'), names)).to.deep.equal(['orders']);
      expect(kept(filter('[]_]tmp'), names)).to.deep.equal(['_tmp_orders']);
      expect(kept(filter('orders_(?#temporary ones)tmp'), names)).to.deep.equal(['orders_tmp']);
      expect(kept(filter('o{,1}rders_v\\d{1}'), names)).to.deep.equal(['Orders_v2']);
      expect(kept(filter('(?-i:O)rders'), names)).to.deep.equal(['Orders_v2']);
      expect(kept(filter('\\x6frders_\\u0074mp'), names)).to.deep.equal(['orders_tmp']);
      // Python reads `[[:alpha:]]` as `[` `:` `a` `l` `p` `h` followed by `]`, not as RE2's class of letters.
      expect(kept(filter('[[:alpha:]]'), names)).to.deep.equal([]);
      expect(kept(filter('\\_tmp\\_'), names)).to.deep.equal(['_tmp_orders']);
      expect(kept(filter('pay.*?s$'), names)).to.deep.equal(['payments']);
    });

    it('runs in time linear in the name: a pattern that backtracks exponentially elsewhere ends at once', () => {
      // Against a 128-character name, a backtracking engine tries 2^127 ways to split the a's.
      const name = `${'a'.repeat(127)}-`;
      expect(kept({ includes: ['(a+)+$'], excludes: [] }, [name, 'aaa'])).to.deep.equal(['aaa']);
      expect(kept({ includes: [], excludes: ['(a|aa)+$', '(.*a){20}$'] }, [name])).to.deep.equal([name]);
    });

    it('keeps no name that breaks the Kinesis naming rules, whatever the filter', () => {
      const listed = ['orders', 'orders\u001b[2J', 'a'.repeat(129), '', 'ordérs', 'or ders'];
      expect(kept(undefined, listed)).to.deep.equal(['orders']);
      expect(kept({ includes: ['.*'], excludes: [] }, listed)).to.deep.equal(['orders']);
    });

    it('rejects Python syntax that needs a backtracking engine or that Python rejects, with the reason', () => {
      const problem = (pattern: string) =>
        errorsOf(validate({ [`${PIPELINE}.topicFilterPattern`]: { excludes: [pattern] } }));
      const at = `${PIPELINE}.topicFilterPattern.excludes[0]: Invalid regular expression:`;
      const linear = 'filters run on a linear-time engine (RE2)';
      expect(problem('(?>orders)')).to.deep.equal([
        `${at} atomic groups (?>...) are not supported: ${linear} at position 0`,
      ]);
      expect(problem('(orders)\\1')).to.deep.equal([
        `${at} backreferences (\\1) are not supported: ${linear} at position 8`,
      ]);
      expect(problem('(?P<kind>a)(?P=kind)')).to.deep.equal([
        `${at} backreferences (?P=kind) are not supported: ${linear} at position 11`,
      ]);
      expect(problem('orders(?!_tmp)')).to.deep.equal([
        `${at} lookaround assertions (?!...) are not supported: ${linear} at position 6`,
      ]);
      expect(problem('(?<=x)orders')).to.deep.equal([
        `${at} lookaround assertions (?<=...) are not supported: ${linear} at position 0`,
      ]);
      expect(problem('a*+')).to.deep.equal([
        `${at} possessive quantifiers are not supported: ${linear} at position 2`,
      ]);
      expect(problem('orders(?i)')).to.deep.equal([
        `${at} global flags not at the start of the expression at position 6`,
      ]);
      expect(problem('(?<kind>orders)')).to.deep.equal([
        `${at} named groups are written (?P<name>...) at position 0`,
      ]);
      expect(problem('(orders)\\2')).to.deep.equal([`${at} invalid group reference 2 at position 8`]);
      expect(problem('*orders')).to.deep.equal([`${at} nothing to repeat at position 0`]);
      expect(problem('a**')).to.deep.equal([`${at} multiple repeat at position 2`]);
      expect(problem('a{3,2}')).to.deep.equal([`${at} min repeat greater than max repeat at position 2`]);
      expect(problem('a{1001}')).to.deep.equal([
        `${at} repeat counts above 1000 are not supported at position 2`,
      ]);
      expect(problem('orders)')).to.deep.equal([`${at} unbalanced parenthesis at position 6`]);
      expect(problem('(?P<a>x)(?P<a>y)')).to.deep.equal([
        `${at} redefinition of group name 'a' at position 12`,
      ]);
    });

    it('throws InvalidFilterPatternError for an invalid pattern given directly', () => {
      expect(() => compileFilterPattern({ includes: ['orders['], excludes: [] }))
        .to.throw(InvalidFilterPatternError)
        .with.property('code', 'INVALID_FILTER_PATTERN');
    });
  });
});
