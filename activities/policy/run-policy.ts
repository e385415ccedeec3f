import { dirname, isAbsolute, resolve } from 'node:path';
import type { IngestionConfig } from '../../common/config/index.js';
import { effectivePort, originOf } from '../../common/origins.js';

/**
 * What runs may make this worker reach, decided by whoever runs the worker and never by the run
 * input (anyone who may start workflows on the namespace writes that). Everything not listed
 * is refused: a worker with an empty policy hands no environment variable, file or AWS
 * identity of its own to a run, and talks to no OpenMetadata server and to no endpoint but
 * AWS's regional ones.
 */
export interface RunPolicy {
  /** Environment variables a config may reference: names, or prefixes written `PREFIX_*`. */
  allowEnv: readonly string[];
  /**
   * Variables that may be sent to one destination only: name -> origin (`https://host:443`),
   * or `aws` for AWS's own endpoints. A bound variable needs no allowEnv entry.
   */
  envBindings: Readonly<Record<string, string>>;
  /** OpenMetadata servers runs may write to, as origins; a port of `*` allows any port. */
  allowOpenMetadata: readonly string[];
  /** Kinesis or STS endpoints besides AWS's regional ones, as origins. */
  allowAwsEndpoints: readonly string[];
  /** Role ARNs a config may assume: ARNs, or prefixes ending in `*`. */
  allowRoles: readonly string[];
  /** AWS profiles of this worker's environment a config may name. */
  allowProfiles: readonly string[];
  /** Whether a config without keys may use this worker's own credentials (its default chain). */
  allowAmbientCredentials: boolean;
  /** Absolute directories from which token and CA files named by a config may be read. */
  allowFileDirs: readonly string[];
  /** Largest such file, in bytes. */
  maxFileBytes: number;
}

export type RunPolicyInput = Partial<RunPolicy>;

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024;
const MAX_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Refuses everything: what a worker started without any allowance enforces. */
export const DENY_ALL_POLICY: RunPolicy = Object.freeze({
  allowEnv: [],
  envBindings: {},
  allowOpenMetadata: [],
  allowAwsEndpoints: [],
  allowRoles: [],
  allowProfiles: [],
  allowAmbientCredentials: false,
  allowFileDirs: [],
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
});

/** The `om-kinesis worker` option of each allowance (the worker config file uses the keys). */
export const POLICY_OPTIONS = {
  allowEnv: '--allow-env',
  envBindings: '--env-binding',
  allowOpenMetadata: '--allow-openmetadata',
  allowAwsEndpoints: '--allow-aws-endpoint',
  allowRoles: '--allow-role',
  allowProfiles: '--allow-profile',
  allowAmbientCredentials: '--allow-ambient-credentials',
  allowFileDirs: '--allow-file-dir',
  maxFileBytes: '--max-file-bytes',
} as const satisfies Record<keyof RunPolicy, string>;

/** A problem of a policy, named by the option (or worker config file key) it came from. */
export interface PolicyIssue {
  key: keyof RunPolicy;
  message: string;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates and normalizes allowances (origins with their port written out, directories resolved). */
export function normalizeRunPolicy(input: RunPolicyInput): { policy?: RunPolicy; issues: PolicyIssue[] } {
  const issues: PolicyIssue[] = [];
  const checked = <T>(
    key: keyof RunPolicy,
    values: readonly T[] | undefined,
    problem: (value: T) => string | undefined,
  ) =>
    (values ?? []).filter((value) => {
      const message = problem(value);
      if (message !== undefined) issues.push({ key, message });
      return message === undefined;
    });
  const originRules = (key: 'allowOpenMetadata' | 'allowAwsEndpoints') =>
    checked(key, input[key], (text) => {
      const parsed = parseOriginRule(text);
      return parsed.ok ? undefined : `${JSON.stringify(text)}: ${parsed.reason}`;
    }).map((text) => (parseOriginRule(text) as { origin: string }).origin);

  const allowEnv = checked('allowEnv', input.allowEnv, (pattern) =>
    /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(pattern)
      ? undefined
      : `${JSON.stringify(pattern)} is not a variable name, or a prefix such as OM_KINESIS_*`,
  );
  const envBindings: Record<string, string> = {};
  for (const [name, destination] of Object.entries(input.envBindings ?? {})) {
    const origin =
      destination === 'aws' ? { ok: true as const, origin: 'aws' } : parseOriginRule(destination);
    if (!VARIABLE.test(name))
      issues.push({ key: 'envBindings', message: `${JSON.stringify(name)} is not a variable name` });
    else if (!origin.ok || origin.origin.endsWith(':*')) {
      issues.push({
        key: 'envBindings',
        message: `${name}=${destination}: expected NAME=ORIGIN (such as NAME=https://om.example.com) or NAME=aws`,
      });
    } else envBindings[name] = origin.origin;
  }
  const allowRoles = checked('allowRoles', input.allowRoles, (role) =>
    role.startsWith('arn:') || role.endsWith('*')
      ? undefined
      : `${JSON.stringify(role)} is not a role ARN (arn:aws:iam::123456789012:role/name) or a prefix ending in *`,
  );
  const allowProfiles = checked('allowProfiles', input.allowProfiles, (profile) =>
    /^[\w.+=,@-]+$/.test(profile) ? undefined : `${JSON.stringify(profile)} is not a profile name`,
  );
  const allowFileDirs = checked('allowFileDirs', input.allowFileDirs, (dir) =>
    isAbsolute(dir) ? undefined : `${JSON.stringify(dir)} is not an absolute directory`,
  ).map((dir) => resolve(dir));
  const maxFileBytes = input.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > MAX_MAX_FILE_BYTES) {
    issues.push({
      key: 'maxFileBytes',
      message: `expected a whole number of bytes from 1 to ${MAX_MAX_FILE_BYTES}`,
    });
  }
  const allowOpenMetadata = originRules('allowOpenMetadata');
  const allowAwsEndpoints = originRules('allowAwsEndpoints');
  if (issues.length > 0) return { issues };
  return {
    issues,
    policy: {
      allowEnv: unique(allowEnv),
      envBindings,
      allowOpenMetadata: unique(allowOpenMetadata),
      allowAwsEndpoints: unique(allowAwsEndpoints),
      allowRoles: unique(allowRoles),
      allowProfiles: unique(allowProfiles),
      allowAmbientCredentials: input.allowAmbientCredentials ?? false,
      allowFileDirs: unique(allowFileDirs),
      maxFileBytes,
    },
  };
}

/** A policy from allowances known to be valid (written by the program itself); throws otherwise. */
export function requiredPolicy(input: RunPolicyInput): RunPolicy {
  const { policy, issues } = normalizeRunPolicy(input);
  if (!policy) throw new Error(`invalid allowances: ${issues.map((issue) => issue.message).join('; ')}`);
  return policy;
}

/**
 * What the CLI's embedded worker allows: exactly what its own config names (its servers, role,
 * profile, files and credentials). It runs the user's own config in the user's own process.
 */
export function policyAllowingConfig(config: IngestionConfig, allowEnv: readonly string[]): RunPolicy {
  const origins = (...urls: Array<string | undefined>) =>
    urls.flatMap((url) => (url ? [originOf(url)].filter((o): o is string => o !== undefined) : []));
  const files = [config.openMetadata.caCertificate, config.openMetadata.jwtToken].filter(
    (path): path is string => typeof path === 'string' && isAbsolute(path),
  );
  return {
    ...DENY_ALL_POLICY,
    allowEnv,
    allowOpenMetadata: origins(config.openMetadata.hostPort),
    allowAwsEndpoints: origins(config.aws.endPointURL),
    allowRoles: config.aws.assumeRoleArn ? [config.aws.assumeRoleArn] : [],
    allowProfiles: config.aws.profileName ? [config.aws.profileName] : [],
    allowAmbientCredentials: true,
    allowFileDirs: files.map((path) => dirname(path)),
  };
}

/**
 * `scheme://host:port` with the port written out (`*` for any port). A trailing `/` is
 * accepted; a path is a mistake worth naming (an origin rule allows the whole server).
 */
export function parseOriginRule(text: string): { ok: true; origin: string } | { ok: false; reason: string } {
  const anyPort = /:\*\/?$/.test(text);
  let url: URL;
  try {
    url = new URL(anyPort ? text.replace(/:\*\/?$/, '') : text);
  } catch {
    return {
      ok: false,
      reason: 'expected an origin such as https://om.example.com or http://127.0.0.1:8585',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'expected an http or https origin' };
  if (url.username || url.password) return { ok: false, reason: 'must not hold a user name or password' };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, reason: 'expected an origin alone (scheme://host:port), without a path' };
  }
  return { ok: true, origin: `${url.protocol}//${url.hostname}:${anyPort ? '*' : effectivePort(url)}` };
}

/** Whether an origin (as originOf writes it) is one of the rules. */
export function originAllowed(origin: string, rules: readonly string[]): boolean {
  return rules.includes(origin) || rules.includes(origin.replace(/:[^:\]]*$/, ':*'));
}

/** Whether a value is allowed by patterns that are exact values or prefixes written `PREFIX*`. */
export function patternAllows(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value,
  );
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
