import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { RunPolicyInput } from '../activities/policy/run-policy.js';

const names = z.array(z.string()).optional();

/**
 * A worker config file (YAML or JSON): the same allowances as the `om-kinesis worker` options,
 * for fleets whose workers share them. Keys are those of RunPolicy; unknown keys are errors.
 */
const workerConfigSchema = z.strictObject({
  allowEnv: names,
  envBindings: z.record(z.string(), z.string()).optional(),
  allowOpenMetadata: names,
  allowAwsEndpoints: names,
  allowRoles: names,
  allowProfiles: names,
  allowAmbientCredentials: z.boolean().optional(),
  allowFileDirs: names,
  maxFileBytes: z.number().int().optional(),
});

/** Thrown when a worker config file cannot be read or holds errors; the message lists them. */
export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

export async function loadWorkerConfigFile(file: string): Promise<RunPolicyInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new WorkerConfigError(`${file}: cannot read the worker config file (${reason})`);
  }
  let document: unknown;
  try {
    document = parse(text) ?? {};
  } catch (error) {
    throw new WorkerConfigError(`${file}: invalid YAML: ${(error as Error).message}`);
  }
  const parsed = workerConfigSchema.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const unknown =
        issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue.message;
      return `  ${path === '' ? '' : `${path}: `}${unknown}`;
    });
    throw new WorkerConfigError(`${file}: the worker config is invalid:\n${lines.join('\n')}`);
  }
  return withoutUndefined(parsed.data);
}

/** Allowances of both: lists joined, bindings merged (`over` wins), booleans allowed by either. */
export function mergeRunPolicyInputs(base: RunPolicyInput, over: RunPolicyInput): RunPolicyInput {
  const list = <
    K extends
      | 'allowEnv'
      | 'allowOpenMetadata'
      | 'allowAwsEndpoints'
      | 'allowRoles'
      | 'allowProfiles'
      | 'allowFileDirs',
  >(
    key: K,
  ) => [...(base[key] ?? []), ...(over[key] ?? [])];
  const maxFileBytes = over.maxFileBytes ?? base.maxFileBytes;
  return {
    allowEnv: list('allowEnv'),
    envBindings: { ...base.envBindings, ...over.envBindings },
    allowOpenMetadata: list('allowOpenMetadata'),
    allowAwsEndpoints: list('allowAwsEndpoints'),
    allowRoles: list('allowRoles'),
    allowProfiles: list('allowProfiles'),
    allowAmbientCredentials:
      (base.allowAmbientCredentials ?? false) || (over.allowAmbientCredentials ?? false),
    allowFileDirs: list('allowFileDirs'),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
