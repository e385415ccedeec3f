import { expect } from 'chai';
import { buildRunInput } from '../client/run-input.js';
import { resolveSecret } from '../activities/secrets.js';
import {
  newEphemeralSecretsKey,
  openSealedSecret,
  sealSecret,
  secretsKeyFrom,
} from '../common/sealed-secrets.js';
import { normalizeRunOptions } from '../activities/index.js';

const yaml = (secret: string, token: string) => `
source:
  type: kinesis
  serviceName: local_kinesis
  serviceConnection:
    config:
      type: Kinesis
      awsConfig:
        awsAccessKeyId: AKIAEXAMPLE
        awsSecretAccessKey: ${secret}
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
      jwtToken: ${token}
`;

/** The value at a dotted path of a JSON document. */
const at = (document: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);

const secretsOf = (input: unknown) => ({
  aws: at(input, 'config.source.serviceConnection.config.awsConfig.awsSecretAccessKey'),
  jwt: at(input, 'config.workflowConfig.openMetadataServerConfig.securityConfig.jwtToken'),
});

describe('buildRunInput', () => {
  const env = { AWS_SECRET: 'env-aws-secret-1', OM_JWT: 'env-jwt-token-1' };

  it('passes environment references on for the workers to resolve, never their values', () => {
    const result = buildRunInput(yaml('${AWS_SECRET}', '$OM_JWT'), { env });
    expect(result.errors).to.deep.equal([]);
    expect(secretsOf(result.input)).to.deep.equal({ aws: '${AWS_SECRET}', jwt: '$OM_JWT' });
    expect(JSON.stringify(result.input))
      .to.not.include('env-aws-secret-1')
      .and.not.include('env-jwt-token-1');
  });

  it('seals every secret when a key is given, literal or referenced, and the workers open them', () => {
    const key = newEphemeralSecretsKey();
    const result = buildRunInput(yaml('literal-aws-secret', '${OM_JWT}'), { env, sealingKey: key });
    const sealed = secretsOf(result.input);
    expect(sealed.aws)
      .to.be.a('string')
      .and.match(/^sealed:v1:/);
    expect(JSON.stringify(result.input))
      .to.not.include('literal-aws-secret')
      .and.not.include('env-jwt-token-1');
    const awsField = 'source.serviceConnection.config.awsConfig.awsSecretAccessKey';
    const tokenField = 'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken';
    const server = 'http://localhost:8585/api';
    const sources = { env: {}, sealingKey: key };
    expect(resolveSecret(String(sealed.aws), awsField, sources)).to.equal('literal-aws-secret');
    expect(resolveSecret(String(sealed.jwt), tokenField, sources, `${tokenField}@${server}`)).to.equal(
      'env-jwt-token-1',
    );
    // A sealed value opens only where it was sealed for: not in another field, not for another server.
    expect(() => resolveSecret(String(sealed.aws), tokenField, sources, `${tokenField}@${server}`)).to.throw(
      /only opens in the field \(and for the OpenMetadata server\) it was sealed for/,
    );
    expect(() =>
      resolveSecret(String(sealed.jwt), tokenField, sources, `${tokenField}@https://elsewhere/api`),
    ).to.throw(/does not open/);
  });

  it('keeps an absolute token file path and header values as written, with a warning for headers', () => {
    const text = yaml('${AWS_SECRET}', '/etc/om-kinesis/bot-token').replace(
      '    authProvider: openmetadata',
      '    authProvider: openmetadata\n    extraHeaders:\n      X-Team: data-platform',
    );
    const result = buildRunInput(text, { env });
    expect(result.errors).to.deep.equal([]);
    expect(secretsOf(result.input).jwt).to.equal('/etc/om-kinesis/bot-token');
    expect(at(result.input, 'config.workflowConfig.openMetadataServerConfig.extraHeaders.X-Team')).to.equal(
      'data-platform',
    );
    expect(result.warnings.map((w) => w.path)).to.include(
      'workflowConfig.openMetadataServerConfig.extraHeaders.X-Team',
    );
  });

  it('parses the document as the validator does (YAML 1.1 booleans stay booleans)', () => {
    const text = yaml('${AWS_SECRET}', '$OM_JWT').replace(
      '      type: MessagingMetadata',
      '      type: MessagingMetadata\n      generateSampleData: yes',
    );
    const result = buildRunInput(text, { env });
    expect(result.errors).to.deep.equal([]);
    expect(at(result.input, 'config.source.sourceConfig.config.generateSampleData')).to.equal(true);
  });

  it('refuses a literal secret when it cannot be sealed, naming the path and the ways out', () => {
    const result = buildRunInput(yaml('literal-aws-secret', '${OM_JWT}'), { env });
    expect(result.input).to.equal(undefined);
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]?.path).to.equal('source.serviceConnection.config.awsConfig.awsSecretAccessKey');
    expect(result.errors[0]?.message).to.include('OM_KINESIS_SECRETS_KEY').and.include('${NAME}');
  });

  it('returns the config errors and no input for an invalid file', () => {
    const result = buildRunInput('source: {}\n', { env });
    expect(result.input).to.equal(undefined);
    expect(result.errors.length).to.be.greaterThan(0);
  });
});

describe('sealed secrets', () => {
  it('opens only with the same key', () => {
    const sealed = sealSecret('s3cr3t', secretsKeyFrom('a passphrase of some length'), 'field.a');
    expect(openSealedSecret(sealed, secretsKeyFrom('a passphrase of some length'), 'field.a')).to.equal(
      's3cr3t',
    );
    expect(() =>
      openSealedSecret(sealed, secretsKeyFrom('another passphrase, also long'), 'field.a'),
    ).to.throw(
      "a sealed secret in the run input does not open with this worker's OM_KINESIS_SECRETS_KEY: the CLI and the workers must share the same key, and a sealed value only opens in the field (and for the OpenMetadata server) it was sealed for",
    );
    expect(() => openSealedSecret(sealed, secretsKeyFrom('a passphrase of some length'), 'field.b')).to.throw(
      /does not open/,
    );
    expect(() => openSealedSecret(sealed, undefined, 'field.a')).to.throw(
      /this worker has no OM_KINESIS_SECRETS_KEY/,
    );
  });

  it('rejects a short passphrase', () => {
    expect(() => secretsKeyFrom('short')).to.throw(/at least 16 random characters/);
  });
});

describe('resolveSecret', () => {
  it('never hands out the sealing key through a reference', () => {
    expect(() =>
      resolveSecret('${OM_KINESIS_SECRETS_KEY}', 'x.jwtToken', {
        env: { OM_KINESIS_SECRETS_KEY: 'k'.repeat(32) },
      }),
    ).to.throw('x.jwtToken refers to OM_KINESIS_SECRETS_KEY, which workers never hand out');
  });

  it('names the field and the variable, never a value, when a reference cannot be resolved', () => {
    expect(() => resolveSecret('${MISSING_VAR}', 'a.b.c', { env: {} })).to.throw(
      'a.b.c refers to the environment variable MISSING_VAR, which is not set on this worker: set it in the environment of every worker',
    );
  });
});

describe('normalizeRunOptions', () => {
  it('fills defaults and rejects unknown keys and out-of-range values by name', () => {
    expect(normalizeRunOptions(undefined)).to.deep.include({ sampleSize: 50, dryRun: false });
    expect(normalizeRunOptions({ sampleSize: 5 }).sampleSize).to.equal(5);
    expect(() => normalizeRunOptions({ sampleSiz: 5 } as never)).to.throw(/options.sampleSiz: Unknown key/);
    expect(() => normalizeRunOptions({ batchSize: 0 })).to.throw(
      'options.batchSize: Expected an integer from 1 to 300',
    );
  });

  it('reads tags only when asked: an owner tag key asks for them, and must be a tag key', () => {
    expect(normalizeRunOptions(undefined)).to.deep.include({ streamTags: false, ownerTagKey: '' });
    expect(normalizeRunOptions({ streamTags: true })).to.deep.include({ streamTags: true, ownerTagKey: '' });
    expect(normalizeRunOptions({ ownerTagKey: 'team:owner' })).to.deep.include({
      streamTags: true,
      ownerTagKey: 'team:owner',
    });
    expect(() => normalizeRunOptions({ streamTags: 'yes' } as never)).to.throw(
      'options.streamTags: Expected boolean',
    );
    expect(() => normalizeRunOptions({ ownerTagKey: 'bad\nkey' })).to.throw(
      'options.ownerTagKey: Expected an AWS tag key (up to 128 letters, digits, spaces and _.:/=+-@), or an empty string for none',
    );
    expect(() => normalizeRunOptions({ ownerTagKey: 'k'.repeat(129) })).to.throw(/options.ownerTagKey/);
  });
});
