// What the test stack's workers allow: the stack's own servers (loopback, any port: every
// server of a test has a random one), the TEST_* variables tests give their workers, and the
// roles moto creates. Workers a test starts itself get it by default: in process through
// startTestWorker, and as `om-kinesis worker` processes through OM_KINESIS_WORKER_CONFIG, set
// for every child of the test process. Tests of the policy itself pass their own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requiredPolicy, type RunPolicy, type RunPolicyInput } from '../../activities/policy/run-policy.js';
import { WORKER_CONFIG_ENV } from '../../client/commands/worker-policy-flags.js';

const LOOPBACK_ANY_PORT = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'];

export const TEST_STACK_ALLOWANCES = {
  allowEnv: ['TEST_*', 'CLI_TEST_*'],
  allowOpenMetadata: LOOPBACK_ANY_PORT,
  allowAwsEndpoints: LOOPBACK_ANY_PORT,
  allowRoles: ['arn:aws:iam::*'],
} as const satisfies RunPolicyInput;

/** The test stack's policy, allowing as well every variable of `env` (what the test gives its worker). */
export function testStackPolicy(env: Record<string, string | undefined> = {}): RunPolicy {
  return requiredPolicy({
    ...TEST_STACK_ALLOWANCES,
    // Only names a config can refer to (`${NAME}`): an environment may hold others.
    allowEnv: [
      ...TEST_STACK_ALLOWANCES.allowEnv,
      ...Object.keys(env).filter((name) => /^[A-Za-z_]\w*$/.test(name)),
    ],
  });
}

/** Writes the test stack's worker config file and points the environment of child processes at it. */
export function useTestStackWorkerConfig(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'om-kinesis-test-policy-')), 'worker.json');
  writeFileSync(file, JSON.stringify(TEST_STACK_ALLOWANCES, null, 2));
  process.env[WORKER_CONFIG_ENV] = file;
  return file;
}
