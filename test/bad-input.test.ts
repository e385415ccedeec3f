import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { RunRefusedError } from '../activities/errors.js';
import { authorizeRun } from '../activities/policy/authorize-run.js';
import { DENY_ALL_POLICY, policyAllowingConfig } from '../activities/policy/run-policy.js';
import { buildRunInput } from '../client/run-input.js';
import { compileFilterPattern, formatConfigIssue, parseIngestionConfig } from '../common/config/index.js';
import { newEphemeralSecretsKey } from '../common/sealed-secrets.js';
import { secretPathsIn, valueAt } from '../common/secret-fields.js';
import { environmentReference } from '../common/secret-references.js';
import { ingestionWorkflowId } from '../common/run-input.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import { runOmKinesis } from './support/cli-runner.js';
import { getTemporal } from './support/global-stack.js';

const fixture = (name: string) =>
  readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'configs', name), 'utf8');
const FULL = JSON.parse(fixture('full-kinesis.json')) as Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in the document (objects' keys and arrays' indexes). */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, Json]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

type Mutation = { kind: 'delete' | 'replace' | 'add'; pathIndex: number; value: Json; key: string };

function mutate(document: Json, mutation: Mutation): Json {
  const copy = structuredClone(document);
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  const target = paths[mutation.pathIndex % paths.length] ?? [];
  const parentPath = target.slice(0, -1);
  const parent = parentPath.reduce<Json>(
    (node, key) => (node as Record<string, Json>)[key as string] ?? null,
    copy,
  ) as Record<string, Json>;
  const key = target[target.length - 1] as string;
  if (mutation.kind === 'delete') delete parent[key];
  else if (mutation.kind === 'replace') parent[key] = mutation.value;
  else if (parent[key] !== null && typeof parent[key] === 'object' && !Array.isArray(parent[key])) {
    (parent[key] as Record<string, Json>)[`x${mutation.key}`] = mutation.value;
  }
  return copy;
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 2 }),
);

describe('bad input: config', function () {
  this.timeout(120_000);

  it('property: any mutation of a valid config is either valid or gives errors that name their path, never a throw', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom('delete', 'replace', 'add'),
            pathIndex: fc.nat(),
            value: jsonValue,
            key: fc.string({ minLength: 1, maxLength: 8 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (mutations) => {
          const document = mutations.reduce<Json>((doc, m) => mutate(doc, m), FULL as Json);
          const result = parseIngestionConfig(stringify(document), { env: {} });
          if (result.errors.length === 0) {
            expect(result.config, 'a valid result has a config').to.not.equal(undefined);
            return;
          }
          expect(result.config).to.equal(undefined);
          for (const issue of result.errors) {
            const text = formatConfigIssue(issue);
            expect(issue.message.length, text).to.be.greaterThan(0);
            // Whole-file problems have no path; every other error starts with the path it names.
            if (issue.path !== '') expect(text.startsWith(`${issue.path}: `), text).to.equal(true);
          }
        },
      ),
      { numRuns: 400, seed: 20261126 },
    );
  });

  it('property: the trust rules hold for any mutation, including the values an attacker would write', () => {
    const keyring = newEphemeralSecretsKey();
    const planted = fc.constantFrom<Json>(
      '${AWS_SECRET_ACCESS_KEY}',
      '${OM_KINESIS_SECRETS_KEY}',
      '${constructor}',
      'https://bob:hunter2@om.example.com/api',
      'http://169.254.169.254/api',
      'http://[::ffff:a9fe:a9fe]/',
      '(a+)+$',
      '(a|aa)+$',
      '(x)\\1',
      'sealed:v1:AAAA:BBBB',
      '/etc/hostname',
      'planted-secret-value',
      'evil.example#',
    );
    const nasty = `${'a'.repeat(127)}-`;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom('replace', 'add'),
            pathIndex: fc.nat(),
            value: fc.oneof(planted, jsonValue),
            key: fc.string({ minLength: 1, maxLength: 8 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (mutations) => {
          const document = mutations.reduce<Json>((doc, m) => mutate(doc, m), FULL as Json);
          const text = stringify(document);
          const parsed = parseIngestionConfig(text, { env: {} });
          if (!parsed.config) return;
          const config = parsed.config;
          // Filters run on the linear-time engine: even against the worst name they answer.
          expect(typeof compileFilterPattern(config.filter)(nasty)).to.equal('boolean');
          for (const url of [config.openMetadata.hostPort, config.aws.endPointURL ?? 'http://x']) {
            expect(new URL(url).username + new URL(url).password, url).to.equal('');
          }
          // Nothing secret reaches the input in plaintext: sealed with a key; without one, a
          // reference, a path, or refused (only non-credential headers are kept, with a warning).
          for (const sealingKey of [keyring, undefined]) {
            const built = buildRunInput(text, { env: {}, ...(sealingKey ? { sealingKey } : {}) });
            if (!built.input) continue;
            for (const { path: field, literal } of secretPathsIn(built.input.config)) {
              const value = valueAt(built.input.config, field);
              if (typeof value !== 'string' || value === '' || literal === 'keep') continue;
              const safe =
                value.startsWith('sealed:v2:') ||
                (!sealingKey && (environmentReference(value) !== undefined || path.isAbsolute(value)));
              expect(safe, `${field.join('.')}: ${value}`).to.equal(true);
            }
          }
          // A worker without allowances refuses every config; the embedded worker's policy
          // allows what the config names, refusing only what no option allows.
          expect(() => authorizeRun(config, DENY_ALL_POLICY)).to.throw(RunRefusedError);
          try {
            authorizeRun(config, policyAllowingConfig(config, []));
          } catch (error) {
            expect(error).to.be.instanceOf(RunRefusedError);
            for (const refusal of (error as RunRefusedError).refusals) {
              const allowedBy = refusal.allowedBy ?? '';
              expect(
                refusal.allowedBy === undefined ||
                  allowedBy.startsWith('--allow-env') ||
                  refusal.rule === 'file',
                `${refusal.rule}: ${refusal.problem}`,
              ).to.equal(true);
            }
          }
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });

  it('property: arbitrary text or bytes never make the loader throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        (text) => {
          const result = parseIngestionConfig(text, { env: {} });
          expect(result.config !== undefined || result.errors.length > 0).to.equal(true);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  describe('the CLI on a corpus of broken files: exit 2, the path named, no stack trace, no run started', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-bad-input-'));
    const seed = fixture('seed-kinesis.yaml');
    const corpus: Array<{ name: string; content: string | Buffer; expect: RegExp }> = [
      {
        name: 'malformed.yaml',
        content: 'source:\n  type: kinesis\n serviceName: [oops\n',
        expect: /Invalid YAML/,
      },
      {
        name: 'wrong-types.yaml',
        content: seed.replace('awsRegion: us-east-2', 'awsRegion: [1, 2]'),
        expect: /awsConfig\.awsRegion: Expected string/,
      },
      {
        name: 'unknown-key.yaml',
        content: seed.replace('awsRegion: us-east-2', 'awsRegion: us-east-2\n        awsRegon: x'),
        expect: /awsConfig\.awsRegon: Unknown key/,
      },
      {
        name: 'missing-region.yaml',
        content: seed.replace('        awsRegion: us-east-2\n', ''),
        expect: /awsConfig\.awsRegion: Required/,
      },
      {
        name: 'bad-regex.yaml',
        content: seed.replace('          - _confluent.*', '          - "orders(["'),
        expect: /topicFilterPattern\.excludes\[0\]: Invalid regular expression/,
      },
      {
        name: 'wrong-source.yaml',
        content: seed.replace('type: kinesis', 'type: kafka'),
        expect: /source\.type: Expected 'kinesis'/,
      },
      {
        name: 'huge.yaml',
        content: `${seed}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`,
        expect: /larger than 1 MiB/,
      },
      {
        name: 'binary.yaml',
        content: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]),
        expect: /binary data/,
      },
    ];

    let client: Client;
    let connection: Connection;
    let address: string;
    before(async () => {
      address = (await getTemporal()).address;
      connection = await Connection.connect({ address });
      client = new Client({ connection });
    });
    after(() => connection?.close());

    for (const entry of corpus) {
      it(entry.name, async () => {
        const file = path.join(scratch, entry.name);
        writeFileSync(file, entry.content);
        const result = await runOmKinesis(['ingest', '-c', file, '--address', address], {
          TEMPORAL_ADDRESS: address,
        });
        expect(result.code, result.stderr).to.equal(2);
        expect(result.stderr).to.match(entry.expect);
        expect(result.stderr).to.include('no run was started');
        expect(result.stderr, 'no stack trace').to.not.match(/\n\s+at .+:\d+:\d+/);
        // The seed's service: no run of it may exist.
        const started = await client.workflow
          .getHandle(ingestionWorkflowId('local_kinesis'))
          .describe()
          .then(
            () => true,
            () => false,
          );
        expect(started, 'no workflow started').to.equal(false);
      });
    }
  });
});
