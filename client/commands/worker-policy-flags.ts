import { InvalidArgumentError, type Command } from 'commander';
import {
  normalizeRunPolicy,
  POLICY_OPTIONS,
  type RunPolicy,
  type RunPolicyInput,
} from '../../activities/policy/run-policy.js';
import { CliExit, EXIT_BAD_CONFIG } from './shared.js';

/** The variable that names a worker config file when --worker-config is not given. */
export const WORKER_CONFIG_ENV = 'OM_KINESIS_WORKER_CONFIG';

/** The allowances of `om-kinesis worker` (see activities/policy/run-policy.ts). */
export interface WorkerPolicyFlags {
  allowEnv?: string[];
  envBinding?: string[];
  allowOpenmetadata?: string[];
  allowAwsEndpoint?: string[];
  allowRole?: string[];
  allowProfile?: string[];
  allowAmbientCredentials?: boolean;
  allowFileDir?: string[];
  maxFileBytes?: number;
  workerConfig?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function byteCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a whole number of bytes');
  return parsed;
}

/**
 * Adds the options that say what runs may reach from this worker. Nothing is allowed unless
 * listed: a run that asks for more fails at once, naming the option that would allow it.
 */
export function addWorkerPolicyOptions(command: Command): Command {
  return command
    .option(
      `${POLICY_OPTIONS.allowEnv} <name>`,
      'an environment variable runs may reference as ${NAME} (repeatable; PREFIX_* for a prefix)',
      collect,
    )
    .option(
      `${POLICY_OPTIONS.envBindings} <name=origin>`,
      'allow a variable, and send it only to this origin (or "aws": AWS\'s own endpoints) (repeatable)',
      collect,
    )
    .option(
      `${POLICY_OPTIONS.allowOpenMetadata} <origin>`,
      'an OpenMetadata server runs may write to, as scheme://host:port (repeatable)',
      collect,
    )
    .option(
      `${POLICY_OPTIONS.allowAwsEndpoints} <origin>`,
      "a Kinesis or STS endpoint other than AWS's regional ones (repeatable); also lets a listed host resolve to private addresses",
      collect,
    )
    .option(
      `${POLICY_OPTIONS.allowRoles} <arn>`,
      'a role runs may assume (repeatable; a trailing * for a prefix)',
      collect,
    )
    .option(
      `${POLICY_OPTIONS.allowProfiles} <name>`,
      'an AWS profile of this worker that runs may use (repeatable)',
      collect,
    )
    .option(
      POLICY_OPTIONS.allowAmbientCredentials,
      "let runs whose config gives no keys use this worker's own AWS credentials",
    )
    .option(
      `${POLICY_OPTIONS.allowFileDirs} <dir>`,
      'a directory from which token and CA files named by a config may be read (repeatable)',
      collect,
    )
    .option(`${POLICY_OPTIONS.maxFileBytes} <n>`, 'largest token or CA file read (default 262144)', byteCount)
    .option(
      '--worker-config <file>',
      `the same allowances from a YAML or JSON file (env ${WORKER_CONFIG_ENV}); options add to it`,
    );
}

/** The worker's policy: its config file (if any) with the options on top; exit 2 on any error. */
export async function runPolicyFrom(flags: WorkerPolicyFlags, env: NodeJS.ProcessEnv): Promise<RunPolicy> {
  const { loadWorkerConfigFile, mergeRunPolicyInputs, WorkerConfigError } =
    await import('../../worker/policy-file.js');
  const file = flags.workerConfig ?? env[WORKER_CONFIG_ENV];
  let fromFile: RunPolicyInput = {};
  if (file) {
    try {
      fromFile = await loadWorkerConfigFile(file);
    } catch (error) {
      if (error instanceof WorkerConfigError) throw new CliExit(EXIT_BAD_CONFIG, error.message);
      throw error;
    }
  }
  const problems: string[] = [];
  const envBindings: Record<string, string> = {};
  for (const binding of flags.envBinding ?? []) {
    const at = binding.indexOf('=');
    if (at <= 0) problems.push(`${POLICY_OPTIONS.envBindings} ${binding}: expected NAME=ORIGIN`);
    else envBindings[binding.slice(0, at)] = binding.slice(at + 1);
  }
  const fromFlags: RunPolicyInput = {
    allowEnv: flags.allowEnv ?? [],
    envBindings,
    allowOpenMetadata: flags.allowOpenmetadata ?? [],
    allowAwsEndpoints: flags.allowAwsEndpoint ?? [],
    allowRoles: flags.allowRole ?? [],
    allowProfiles: flags.allowProfile ?? [],
    allowAmbientCredentials: flags.allowAmbientCredentials ?? false,
    allowFileDirs: flags.allowFileDir ?? [],
    ...(flags.maxFileBytes !== undefined ? { maxFileBytes: flags.maxFileBytes } : {}),
  };
  const { policy, issues } = normalizeRunPolicy(mergeRunPolicyInputs(fromFile, fromFlags));
  problems.push(
    ...issues.map(
      (issue) => `${POLICY_OPTIONS[issue.key]} (${issue.key} in a worker config file): ${issue.message}`,
    ),
  );
  if (problems.length > 0 || !policy) {
    throw new CliExit(
      EXIT_BAD_CONFIG,
      `om-kinesis worker: invalid allowances:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  return policy;
}

/** One line for the worker's start-up message: what runs may reach from it. */
export function describeRunPolicy(policy: RunPolicy): string {
  if (policy.allowOpenMetadata.length === 0) {
    return `runs may reach no OpenMetadata server: every run is refused until the worker is given ${POLICY_OPTIONS.allowOpenMetadata} (or a worker config file)`;
  }
  const parts = [
    `OpenMetadata ${policy.allowOpenMetadata.join(', ')}`,
    policy.allowAwsEndpoints.length > 0
      ? `endpoints ${policy.allowAwsEndpoints.join(', ')}`
      : "AWS's endpoints",
    ...(policy.allowEnv.length + Object.keys(policy.envBindings).length > 0
      ? [`variables ${[...policy.allowEnv, ...Object.keys(policy.envBindings)].join(', ')}`]
      : []),
    ...(policy.allowRoles.length > 0 ? [`roles ${policy.allowRoles.join(', ')}`] : []),
    ...(policy.allowProfiles.length > 0 ? [`profiles ${policy.allowProfiles.join(', ')}`] : []),
    ...(policy.allowAmbientCredentials ? ["this worker's own AWS credentials"] : []),
    ...(policy.allowFileDirs.length > 0 ? [`files in ${policy.allowFileDirs.join(', ')}`] : []),
  ];
  return `runs may reach: ${parts.join('; ')}`;
}
