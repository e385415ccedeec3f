import { expect } from 'chai';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunRefusedError } from '../activities/errors.js';
import { readAllowedFile } from '../activities/policy/allowed-files.js';
import { authorizeRun } from '../activities/policy/authorize-run.js';
import {
  DENY_ALL_POLICY,
  normalizeRunPolicy,
  policyAllowingConfig,
  requiredPolicy,
  type RunPolicyInput,
} from '../activities/policy/run-policy.js';
import { validateIngestionConfigObject, type IngestionConfig } from '../common/config/index.js';
import { loadWorkerConfigFile } from '../worker/policy-file.js';
import { testConfigDocument } from './support/ingestion-harness.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-policy-'));

function config(
  changes: { aws?: Record<string, unknown>; server?: Record<string, unknown> } = {},
): IngestionConfig {
  const document = testConfigDocument({
    serviceName: 'svc',
    accessKeyId: 'AKIAEXAMPLE',
    kinesisEndpoint: 'http://127.0.0.1:4567',
    openMetadataUrl: 'http://127.0.0.1:8585/api',
  }) as {
    source: { serviceConnection: { config: { awsConfig: Record<string, unknown> } } };
    workflowConfig: { openMetadataServerConfig: Record<string, unknown> };
  };
  Object.assign(document.source.serviceConnection.config.awsConfig, changes.aws);
  for (const [key, value] of Object.entries(changes.aws ?? {})) {
    if (value === undefined) delete document.source.serviceConnection.config.awsConfig[key];
  }
  Object.assign(document.workflowConfig.openMetadataServerConfig, changes.server);
  const result = validateIngestionConfigObject(document);
  expect(result.errors).to.deep.equal([]);
  return result.config as IngestionConfig;
}

/** The refusals of a run under a policy, as "rule field" lines ([] when it is allowed). */
function refusals(run: IngestionConfig, allowances: RunPolicyInput): string[] {
  try {
    authorizeRun(run, requiredPolicy(allowances));
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(RunRefusedError);
    return (error as RunRefusedError).refusals.map(
      (r) => `${r.rule} ${r.field}${r.allowedBy ? ` (${r.allowedBy})` : ''}`,
    );
  }
}

const SERVER = 'http://127.0.0.1:8585';
const KINESIS = 'http://127.0.0.1:4567';
const BASE = {
  allowOpenMetadata: [SERVER],
  allowAwsEndpoints: [KINESIS],
  allowEnv: ['TEST_AWS_SECRET_ACCESS_KEY'],
};

describe('worker policy', () => {
  it('refuses everything a default worker does not allow, naming the option that would', () => {
    expect(refusals(config(), {})).to.deep.equal([
      `openmetadata-server workflowConfig.openMetadataServerConfig.hostPort (--allow-openmetadata ${SERVER})`,
      `aws-endpoint source.serviceConnection.config.awsConfig.endPointURL (--allow-aws-endpoint ${KINESIS})`,
      'environment-variable source.serviceConnection.config.awsConfig.awsSecretAccessKey (--allow-env TEST_AWS_SECRET_ACCESS_KEY)',
    ]);
    expect(refusals(config(), BASE)).to.deep.equal([]);
  });

  it("allows AWS's own regional endpoints without listing them, and no look-alike", () => {
    const aws = (endPointURL: string | undefined) => config({ aws: { endPointURL } });
    const base = { ...BASE, allowAwsEndpoints: [] };
    expect(refusals(aws(undefined), base)).to.deep.equal([]);
    expect(refusals(aws('https://kinesis.eu-west-1.amazonaws.com'), base)).to.deep.equal([]);
    expect(refusals(aws('https://kinesis.eu-west-1.amazonaws.com.evil.example'), base)).to.have.length(1);
    expect(refusals(aws('http://kinesis.eu-west-1.amazonaws.com'), base)).to.have.length(1);
    expect(
      refusals(config({ aws: { endPointURL: undefined, awsRegion: 'evil.example#' } }), base),
    ).to.deep.equal(['aws-region source.serviceConnection.config.awsConfig.awsRegion']);
  });

  it("refuses the worker's own identity, roles and profiles unless allowed", () => {
    const keyless = config({ aws: { awsAccessKeyId: undefined, awsSecretAccessKey: undefined } });
    expect(refusals(keyless, BASE)).to.deep.equal([
      'ambient-credentials source.serviceConnection.config.awsConfig (--allow-ambient-credentials)',
    ]);
    expect(refusals(keyless, { ...BASE, allowAmbientCredentials: true })).to.deep.equal([]);
    const role = 'arn:aws:iam::123456789012:role/reader';
    expect(refusals(config({ aws: { assumeRoleArn: role } }), BASE)).to.deep.equal([
      `assume-role source.serviceConnection.config.awsConfig.assumeRoleArn (--allow-role ${role})`,
    ]);
    expect(
      refusals(config({ aws: { assumeRoleArn: role } }), {
        ...BASE,
        allowRoles: ['arn:aws:iam::123456789012:*'],
      }),
    ).to.deep.equal([]);
    const profile = config({
      aws: { awsAccessKeyId: undefined, awsSecretAccessKey: undefined, profileName: 'prod' },
    });
    expect(refusals(profile, BASE)).to.deep.equal([
      'aws-profile source.serviceConnection.config.awsConfig.profileName (--allow-profile prod)',
    ]);
  });

  it('sends a bound variable only where it is bound, and never the sealing key', () => {
    const token = config({
      server: { authProvider: 'openmetadata', securityConfig: { jwtToken: '${OM_TOKEN}' } },
    });
    expect(refusals(token, { ...BASE, envBindings: { OM_TOKEN: SERVER } })).to.deep.equal([]);
    expect(refusals(token, { ...BASE, envBindings: { OM_TOKEN: 'https://om.example.com' } })).to.deep.equal([
      `env-binding workflowConfig.openMetadataServerConfig.securityConfig.jwtToken (--env-binding OM_TOKEN=${SERVER})`,
    ]);
    const key = config({
      server: { authProvider: 'openmetadata', securityConfig: { jwtToken: '${OM_KINESIS_SECRETS_KEY}' } },
    });
    expect(refusals(key, { ...BASE, allowEnv: ['OM_*', 'TEST_*'] })).to.deep.equal([
      'sealing-key workflowConfig.openMetadataServerConfig.securityConfig.jwtToken',
    ]);
  });

  it('refuses link-local addresses whatever is allowed, and URLs with credentials', () => {
    const metadata = config({ server: { hostPort: 'http://169.254.169.254/api' } });
    expect(refusals(metadata, { ...BASE, allowOpenMetadata: ['http://169.254.169.254'] })).to.deep.equal([
      'link-local-address workflowConfig.openMetadataServerConfig.hostPort',
    ]);
    const mapped = config({ aws: { endPointURL: 'http://[::ffff:169.254.169.254]:80' } });
    expect(refusals(mapped, BASE)).to.deep.equal([
      'link-local-address source.serviceConnection.config.awsConfig.endPointURL',
    ]);
  });

  it('reads files only from allowed directories, without saying whether others exist', () => {
    const allowed = path.join(scratch, 'allowed');
    mkdirSync(allowed);
    writeFileSync(path.join(allowed, 'token'), 'file-token\n');
    writeFileSync(path.join(scratch, 'outside'), 'not-for-runs');
    symlinkSync(path.join(scratch, 'outside'), path.join(allowed, 'link'));
    const policy = requiredPolicy({ allowFileDirs: [allowed], maxFileBytes: 16 });
    expect(readAllowedFile(path.join(allowed, 'token'), policy, 'f', true).toString()).to.equal(
      'file-token\n',
    );
    const refused = (file: string) => {
      try {
        readAllowedFile(file, policy, 'f', true);
      } catch (error) {
        return (error as Error).message;
      }
      return 'read';
    };
    expect(refused(path.join(scratch, 'outside')))
      .to.include('outside the directories')
      .and.not.include('not-for-runs');
    expect(refused(path.join(scratch, 'missing'))).to.equal(
      refused(path.join(scratch, 'outside')).replace('outside)', 'missing)'),
    );
    expect(refused(path.join(allowed, '..', 'outside'))).to.include('outside the directories');
    expect(refused(path.join(allowed, 'link'))).to.include('links to a file outside the allowed directories');
    writeFileSync(path.join(allowed, 'big'), 'x'.repeat(17));
    expect(refused(path.join(allowed, 'big')))
      .to.include('larger than 16 bytes')
      .and.include('--max-file-bytes 17');
  });

  it('lets the embedded worker reach what its own config names, and nothing else', () => {
    const run = config({ aws: { assumeRoleArn: 'arn:aws:iam::123456789012:role/r' } });
    expect(refusals(run, policyAllowingConfig(run, ['TEST_AWS_SECRET_ACCESS_KEY']))).to.deep.equal([]);
    const elsewhere = config({ server: { hostPort: 'http://127.0.0.1:9999/api' } });
    expect(refusals(elsewhere, policyAllowingConfig(run, ['TEST_AWS_SECRET_ACCESS_KEY']))).to.have.length(1);
  });

  it('validates allowances and names the option of each problem', () => {
    expect(
      normalizeRunPolicy({
        allowOpenMetadata: ['https://om.example.com/api'],
        allowEnv: ['A-B'],
        allowFileDirs: ['rel'],
      }).issues,
    ).to.deep.equal([
      { key: 'allowEnv', message: '"A-B" is not a variable name, or a prefix such as OM_KINESIS_*' },
      { key: 'allowFileDirs', message: '"rel" is not an absolute directory' },
      {
        key: 'allowOpenMetadata',
        message:
          '"https://om.example.com/api": expected an origin alone (scheme://host:port), without a path',
      },
    ]);
    expect(
      normalizeRunPolicy({ allowOpenMetadata: ['https://om.example.com', 'http://127.0.0.1:*'] }).policy
        ?.allowOpenMetadata,
    ).to.deep.equal(['https://om.example.com:443', 'http://127.0.0.1:*']);
    expect(DENY_ALL_POLICY.allowAmbientCredentials).to.equal(false);
  });

  it('reads a worker config file, refusing unknown keys', async () => {
    const good = path.join(scratch, 'worker.yaml');
    writeFileSync(good, 'allowOpenMetadata: [https://om.example.com]\nallowAmbientCredentials: true\n');
    expect(await loadWorkerConfigFile(good)).to.deep.equal({
      allowOpenMetadata: ['https://om.example.com'],
      allowAmbientCredentials: true,
    });
    const bad = path.join(scratch, 'bad.yaml');
    writeFileSync(bad, 'allowOpenMetadat: [x]\n');
    let message = '';
    await loadWorkerConfigFile(bad).catch((error: Error) => (message = error.message));
    expect(message).to.equal(`${bad}: the worker config is invalid:\n  unknown key allowOpenMetadat`);
  });
});
