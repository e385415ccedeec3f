import { expect } from 'chai';
import { buildRunInput } from '../client/run-input.js';
import { resolveSecret } from '../activities/secrets.js';
import {
  newEphemeralSecretsKey,
  openSealedSecret,
  sealSecret,
  secretsKeyFrom,
  secretsKeyringFrom,
} from '../common/sealed-secrets.js';
import { sealingContext } from '../common/secret-fields.js';
import type { IngestionConfig } from '../common/config/index.js';
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
      .and.match(new RegExp(`^sealed:v2:${key.id}:`));
    expect(JSON.stringify(result.input))
      .to.not.include('literal-aws-secret')
      .and.not.include('env-jwt-token-1');
    const config = result.config as IngestionConfig;
    const awsField = 'source.serviceConnection.config.awsConfig.awsSecretAccessKey';
    const tokenField = 'workflowConfig.openMetadataServerConfig.securityConfig.jwtToken';
    const sources = { env: {}, keyring: { current: key, previous: [] } };
    const open = (value: unknown, field: string, changed: Partial<IngestionConfig> = {}) =>
      resolveSecret(String(value), field, sources, sealingContext(field, { ...config, ...changed }));
    expect(open(sealed.aws, awsField)).to.equal('literal-aws-secret');
    expect(open(sealed.jwt, tokenField)).to.equal('env-jwt-token-1');
    // A sealed value opens only for what it was sealed for: its field, and what it is sent with.
    const elsewhere = /sealed for another field, server, endpoint, region, role or TLS setting/;
    expect(() => open(sealed.aws, tokenField)).to.throw(elsewhere);
    const server = config.openMetadata;
    expect(() =>
      open(sealed.jwt, tokenField, { openMetadata: { ...server, hostPort: 'https://elsewhere/api' } }),
    ).to.throw(elsewhere);
    expect(() => open(sealed.jwt, tokenField, { openMetadata: { ...server, verifySSL: 'ignore' } })).to.throw(
      elsewhere,
    );
    expect(() =>
      open(sealed.jwt, tokenField, { openMetadata: { ...server, caCertificate: '/tmp/other-ca.pem' } }),
    ).to.throw(elsewhere);
    for (const aws of [
      { endPointURL: 'http://127.0.0.1:9/' },
      { awsRegion: 'eu-west-1' },
      { assumeRoleArn: 'arn:aws:iam::123456789012:role/other' },
    ]) {
      expect(
        () => open(sealed.aws, awsField, { aws: { ...config.aws, ...aws } }),
        JSON.stringify(aws),
      ).to.throw(elsewhere);
    }
  });

  it('seals, references or refuses every secret field of the schema, not only the AWS secret', () => {
    const text = yaml('${AWS_SECRET}', '$OM_JWT')
      .replace(
        '  config: {}',
        '  config:\n    password: sink-pass-1\n    nested: { apiKey: sink-key-1, region: x }',
      )
      .replace(
        '    authProvider: openmetadata',
        [
          '    authProvider: openmetadata',
          '    sslConfig:',
          '      sslKey: ssl-key-pem-1',
          '    secretsManagerCredentials:',
          '      awsSecretAccessKey: sm-secret-1',
          '    extraHeaders:',
          '      X-Api-Key: header-key-1',
          '      X-Team: data-platform',
        ].join('\n'),
      );
    const refused = buildRunInput(text, { env });
    expect(refused.input).to.equal(undefined);
    expect(refused.errors.map((e) => e.path)).to.deep.equal(
      [
        'workflowConfig.openMetadataServerConfig.sslConfig.sslKey',
        'workflowConfig.openMetadataServerConfig.secretsManagerCredentials.awsSecretAccessKey',
        'workflowConfig.openMetadataServerConfig.extraHeaders.X-Api-Key',
        'sink.config.password',
        'sink.config.nested.apiKey',
      ].sort(
        (a, b) =>
          refused.errors.findIndex((e) => e.path === a) - refused.errors.findIndex((e) => e.path === b),
      ),
    );
    expect(JSON.stringify(refused)).to.not.match(
      /sink-pass-1|sink-key-1|ssl-key-pem-1|sm-secret-1|header-key-1/,
    );

    const sealed = buildRunInput(text, { env, sealingKey: newEphemeralSecretsKey() });
    expect(sealed.errors).to.deep.equal([]);
    const written = JSON.stringify(sealed.input);
    expect(written).to.not.match(/sink-pass-1|sink-key-1|ssl-key-pem-1|sm-secret-1|header-key-1/);
    expect(at(sealed.input, 'config.sink.config.nested.region')).to.equal('x');
  });

  it('refuses user names and passwords in URLs, without repeating them', () => {
    const text = yaml('${AWS_SECRET}', '$OM_JWT').replace(
      'hostPort: http://localhost:8585/api',
      'hostPort: https://bob:hunter2@om.example.com/api',
    );
    const result = buildRunInput(text, { env });
    expect(result.input).to.equal(undefined);
    expect(result.errors).to.deep.equal([
      {
        path: 'workflowConfig.openMetadataServerConfig.hostPort',
        message:
          'Must not hold a user name or password (user:password@): they would be stored in Temporal history and sent with every request; use the credential fields of the config',
      },
    ]);
  });

  it('never expands the sealing key into a config', () => {
    const text = yaml('${AWS_SECRET}', '$OM_JWT').replace(
      'hostPort: http://localhost:8585/api',
      'hostPort: https://om.example.com/${OM_KINESIS_SECRETS_KEY}/api',
    );
    const key = 'a-sealing-passphrase-of-length';
    const result = buildRunInput(text, { env: { ...env, OM_KINESIS_SECRETS_KEY: key } });
    expect(result.input).to.equal(undefined);
    expect(result.errors).to.deep.equal([
      {
        path: 'workflowConfig.openMetadataServerConfig.hostPort',
        message:
          'Refers to OM_KINESIS_SECRETS_KEY, the key that seals secrets: it is never put into a config (a config is stored in Temporal history and sent to servers)',
      },
    ]);
    expect(JSON.stringify(result)).to.not.include(key);
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
  const ring = (current?: string, previous: string[] = []) =>
    secretsKeyringFrom({
      ...(current ? { OM_KINESIS_SECRETS_KEY: current } : {}),
      OM_KINESIS_SECRETS_PREVIOUS_KEYS: previous.join(','),
    });
  const randomKey = 'q0wAYmVz4vBNrz5rTQ3QhE4rEq2Pn6OZ3H1I2Xqk1Ss=';

  it('opens only with the same key, and names the key it needs', () => {
    const key = secretsKeyFrom('a passphrase of some length');
    const sealed = sealSecret('s3cr3t', key, 'field.a');
    expect(openSealedSecret(sealed, ring('a passphrase of some length'), 'field.a')).to.equal('s3cr3t');
    const other = secretsKeyFrom('another passphrase, also long');
    expect(() => openSealedSecret(sealed, ring('another passphrase, also long'), 'field.a')).to.throw(
      `a secret in the run input is sealed with key ${key.id}, which this worker does not hold (it holds ${other.id}): give the worker that key as OM_KINESIS_SECRETS_KEY, or as OM_KINESIS_SECRETS_PREVIOUS_KEYS while keys rotate`,
    );
    expect(() => openSealedSecret(sealed, ring('a passphrase of some length'), 'field.b')).to.throw(
      /does not open here/,
    );
    expect(() => openSealedSecret(sealed, ring(), 'field.a')).to.throw(
      /this worker has no OM_KINESIS_SECRETS_KEY/,
    );
  });

  it('takes a random 32-byte key in base64 as it is, and stretches a passphrase with scrypt', () => {
    const raw = secretsKeyFrom(randomKey);
    expect(raw.key.toString('base64')).to.equal(randomKey);
    expect(secretsKeyFrom(`base64:${randomKey}`).id).to.equal(raw.id);
    const stretched = secretsKeyFrom('a passphrase of some length');
    expect(stretched.key).to.have.length(32);
    expect(stretched.key.equals(secretsKeyFrom('a passphrase of some length').key)).to.equal(true);
    expect(() => secretsKeyFrom('short')).to.throw(
      /random key \(openssl rand -base64 32\), or a passphrase of at least 16/,
    );
    expect(() => secretsKeyFrom('base64:AAAA')).to.throw(/32 bytes in base64/);
  });

  it('rotates: values sealed with the previous key still open while it is listed', () => {
    const old = secretsKeyFrom('the previous passphrase');
    const sealed = sealSecret('s3cr3t', old, 'field.a');
    expect(openSealedSecret(sealed, ring(randomKey, ['the previous passphrase']), 'field.a')).to.equal(
      's3cr3t',
    );
    expect(() => openSealedSecret(sealed, ring(randomKey), 'field.a')).to.throw(`sealed with key ${old.id}`);
  });

  it('refuses values sealed in the first format, which bound them to their field only', () => {
    expect(() => openSealedSecret('sealed:v1:AAAA:BBBB', ring(randomKey), 'field.a')).to.throw(
      /older format/,
    );
  });
});

describe('resolveSecret', () => {
  it('never hands out the sealing key through a reference', () => {
    expect(() =>
      resolveSecret(
        '${OM_KINESIS_SECRETS_KEY}',
        'x.jwtToken',
        { env: { OM_KINESIS_SECRETS_KEY: 'k'.repeat(32) } },
        '',
      ),
    ).to.throw('x.jwtToken refers to OM_KINESIS_SECRETS_KEY, which workers never hand out');
  });

  it('resolves no inherited property of the environment', () => {
    expect(() => resolveSecret('${constructor}', 'a.b.c', { env: {} }, '')).to.throw(
      /constructor, which is not set/,
    );
  });

  it('names the field and the variable, never a value, when a reference cannot be resolved', () => {
    expect(() => resolveSecret('${MISSING_VAR}', 'a.b.c', { env: {} }, '')).to.throw(
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

  it('stores tags only when asked: an owner tag key (which reads them) stores none, and must be a tag key', () => {
    expect(normalizeRunOptions(undefined)).to.deep.include({ streamTags: false, ownerTagKey: '' });
    expect(normalizeRunOptions({ streamTags: true })).to.deep.include({ streamTags: true, ownerTagKey: '' });
    expect(normalizeRunOptions({ ownerTagKey: 'team:owner' })).to.deep.include({
      streamTags: false,
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
