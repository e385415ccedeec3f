import { dirname, isAbsolute } from 'node:path';
import type { IngestionConfig } from '../../common/config/index.js';
import { hostOfOrigin, originOf } from '../../common/origins.js';
import { AWS_CONFIG_FIELD, SERVER_CONFIG_FIELD } from '../../common/secret-fields.js';
import { environmentReference, isSecretsKeyVariable } from '../../common/secret-references.js';
import { RunRefusedError, type Refusal } from '../errors.js';
import { addressClassOf } from '../network/address-classes.js';
import { secretFieldsOf } from '../secrets.js';
import { originAllowed, patternAllows, POLICY_OPTIONS, type RunPolicy } from './run-policy.js';
import { fileRefusal } from './allowed-files.js';

/** What a run may reach, once the worker's policy allowed it. */
export interface RunAccess {
  /** Hosts the policy lists: connections to them may reach loopback and private addresses. */
  listedHosts: ReadonlySet<string>;
}

/** The worker's own settings that decide where a run's requests go. */
export interface WorkerEndpoints {
  /** The STS endpoint the worker was given (trusted: the operator set it). */
  stsEndpoint?: string;
  /** The Glue Schema Registry endpoint the worker was given (likewise). */
  glueEndpoint?: string;
}

// A region becomes part of a host name (kinesis.<region>.amazonaws.com): one DNS label at most,
// so that no region can turn the endpoint into another host.
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// AWS's own Kinesis and STS endpoints: regional, FIPS and dual-stack, in every partition.
const AWS_ENDPOINT_HOST =
  /^(?:kinesis|kinesis-fips|sts|sts-fips)\.[a-z0-9-]+\.(?:amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOST_PORT = `${SERVER_CONFIG_FIELD}.hostPort`;
const ENDPOINT = `${AWS_CONFIG_FIELD}.endPointURL`;

/** Where a secret is sent: an origin, or AWS's own endpoints. */
type Destination = { origin: string; aws: boolean };

/**
 * Checks a run's config against the worker's policy, before any secret is resolved or any
 * connection made; throws RunRefusedError naming every refusal and the option that would
 * allow it. The config may never have been validated (any workflow of the task queue can be
 * started with any input), so each value is checked for its type here as well.
 */
export function authorizeRun(
  config: IngestionConfig,
  policy: RunPolicy,
  worker: WorkerEndpoints = {},
): RunAccess {
  const refusals: Refusal[] = [];
  const listedHosts = new Set<string>();
  const om = config?.openMetadata;
  const aws = config?.aws;
  if (!om || typeof om !== 'object' || !aws || typeof aws !== 'object') {
    throw new RunRefusedError([
      { field: 'config', problem: 'is not an ingestion config', rule: 'run-input' },
    ]);
  }

  const server = checkedUrl(HOST_PORT, om.hostPort, refusals);
  if (server) {
    if (originAllowed(server, policy.allowOpenMetadata)) listedHosts.add(hostOfOrigin(server));
    else {
      refusals.push({
        field: HOST_PORT,
        problem: `${server} is not an OpenMetadata server this worker writes to`,
        rule: 'openmetadata-server',
        allowedBy: `${POLICY_OPTIONS.allowOpenMetadata} ${server}`,
      });
    }
  }

  const region = typeof aws.awsRegion === 'string' ? aws.awsRegion : '';
  if (!REGION.test(region)) {
    refusals.push({
      field: `${AWS_CONFIG_FIELD}.awsRegion`,
      problem: 'is not an AWS region name (such as us-east-2)',
      rule: 'aws-region',
    });
  }
  const kinesis = kinesisDestination(aws.endPointURL, region, policy, listedHosts, refusals);
  const sts = worker.stsEndpoint
    ? { origin: originOf(worker.stsEndpoint) ?? worker.stsEndpoint, aws: false }
    : awsDefault('sts', region, policy, listedHosts);
  if (worker.stsEndpoint) listedHosts.add(new URL(worker.stsEndpoint).hostname);
  if (worker.glueEndpoint) listedHosts.add(new URL(worker.glueEndpoint).hostname);

  checkCredentials(config, policy, refusals);

  // Where each secret goes: OpenMetadata's to the server; AWS keys to STS when a role is
  // assumed with them (only the assumed credentials reach Kinesis), else to Kinesis.
  const awsKeysTo = typeof aws.assumeRoleArn === 'string' && aws.assumeRoleArn ? sts : kinesis;
  for (const secret of secretFieldsOf(config)) {
    const destination =
      secret.kind === 'aws' ? awsKeysTo : server ? { origin: server, aws: false } : undefined;
    checkReference(secret.field, secret.value, destination, policy, refusals);
  }
  for (const name of Object.keys(om.extraHeaders ?? {})) {
    if (!HEADER_NAME.test(name)) {
      refusals.push({
        field: `${SERVER_CONFIG_FIELD}.extraHeaders`,
        problem: 'holds an invalid header name',
        rule: 'run-input',
      });
    }
  }
  checkFiles(config, policy, refusals);

  if (refusals.length > 0) throw new RunRefusedError(refusals);
  return { listedHosts };
}

/** The origin of an http(s) URL of the config, or undefined after recording why it is refused. */
function checkedUrl(field: string, value: unknown, refusals: Refusal[]): string | undefined {
  const origin = typeof value === 'string' ? originOf(value) : undefined;
  if (origin === undefined) {
    refusals.push({ field, problem: 'is not an http(s) URL', rule: 'run-input' });
    return undefined;
  }
  const url = new URL(value as string);
  if (url.username || url.password) {
    refusals.push({ field, problem: 'holds a user name or password', rule: 'url-credentials' });
    return undefined;
  }
  if (addressClassOf(url.hostname) === 'never') {
    refusals.push({
      field,
      problem: `${url.hostname} is a link-local, unspecified, multicast or reserved address (such as a cloud metadata service)`,
      rule: 'link-local-address',
    });
    return undefined;
  }
  return origin;
}

function kinesisDestination(
  endPointURL: unknown,
  region: string,
  policy: RunPolicy,
  listedHosts: Set<string>,
  refusals: Refusal[],
): Destination {
  if (endPointURL === undefined || endPointURL === null || endPointURL === '') {
    return awsDefault('kinesis', region, policy, listedHosts);
  }
  const origin = checkedUrl(ENDPOINT, endPointURL, refusals);
  if (!origin) return { origin: 'refused', aws: false };
  const host = hostOfOrigin(origin);
  if (originAllowed(origin, policy.allowAwsEndpoints)) {
    listedHosts.add(host);
    return { origin, aws: false };
  }
  if (origin.startsWith('https://') && origin.endsWith(':443') && AWS_ENDPOINT_HOST.test(host)) {
    return { origin, aws: true };
  }
  refusals.push({
    field: ENDPOINT,
    problem: `${origin} is neither AWS's own endpoint nor one this worker allows`,
    rule: 'aws-endpoint',
    allowedBy: `${POLICY_OPTIONS.allowAwsEndpoints} ${origin}`,
  });
  return { origin, aws: false };
}

/** AWS's regional endpoint of a service; listed when the policy names it (e.g. for a VPC endpoint). */
function awsDefault(
  service: 'kinesis' | 'sts',
  region: string,
  policy: RunPolicy,
  listedHosts: Set<string>,
): Destination {
  const host = `${service}.${region}.amazonaws.com`;
  const origin = `https://${host}:443`;
  if (originAllowed(origin, policy.allowAwsEndpoints)) listedHosts.add(host);
  return { origin, aws: true };
}

function checkCredentials(config: IngestionConfig, policy: RunPolicy, refusals: Refusal[]): void {
  const aws = config.aws;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const role = text(aws.assumeRoleArn);
  if (role && !patternAllows(policy.allowRoles, role)) {
    refusals.push({
      field: `${AWS_CONFIG_FIELD}.assumeRoleArn`,
      problem: `${role} is not a role this worker lets runs assume`,
      rule: 'assume-role',
      allowedBy: `${POLICY_OPTIONS.allowRoles} ${role}`,
    });
  }
  if (text(aws.awsAccessKeyId) && text(aws.awsSecretAccessKey)) return;
  const profile = text(aws.profileName);
  if (profile) {
    if (!patternAllows(policy.allowProfiles, profile)) {
      refusals.push({
        field: `${AWS_CONFIG_FIELD}.profileName`,
        problem: `the profile ${JSON.stringify(profile)} of this worker is not one runs may use`,
        rule: 'aws-profile',
        allowedBy: `${POLICY_OPTIONS.allowProfiles} ${profile}`,
      });
    }
    return;
  }
  if (!policy.allowAmbientCredentials) {
    refusals.push({
      field: AWS_CONFIG_FIELD,
      problem: "gives no keys, so the run would act with this worker's own AWS identity",
      rule: 'ambient-credentials',
      allowedBy: POLICY_OPTIONS.allowAmbientCredentials,
    });
  }
}

function checkReference(
  field: string,
  value: string,
  destination: Destination | undefined,
  policy: RunPolicy,
  refusals: Refusal[],
): void {
  const name = environmentReference(value);
  if (name === undefined) return;
  if (isSecretsKeyVariable(name)) {
    refusals.push({
      field,
      problem: `refers to ${name}, the key that opens sealed secrets`,
      rule: 'sealing-key',
    });
    return;
  }
  const bound = Object.hasOwn(policy.envBindings, name) ? policy.envBindings[name] : undefined;
  if (bound !== undefined) {
    const matches =
      destination !== undefined && (bound === 'aws' ? destination.aws : bound === destination.origin);
    if (!matches) {
      const to = destination
        ? destination.aws
          ? `AWS (${destination.origin})`
          : destination.origin
        : 'an invalid URL';
      refusals.push({
        field,
        problem: `refers to ${name}, which this worker sends only to ${bound === 'aws' ? "AWS's own endpoints" : bound}, not to ${to}`,
        rule: 'env-binding',
        allowedBy: `${POLICY_OPTIONS.envBindings} ${name}=${destination?.origin ?? 'ORIGIN'}`,
      });
    }
    return;
  }
  if (!patternAllows(policy.allowEnv, name)) {
    refusals.push({
      field,
      problem: `refers to the environment variable ${name}, which this worker does not hand to runs`,
      rule: 'environment-variable',
      allowedBy: `${POLICY_OPTIONS.allowEnv} ${name}`,
    });
  }
}

/** Files the config names itself (a token file named through a variable is checked when read). */
function checkFiles(config: IngestionConfig, policy: RunPolicy, refusals: Refusal[]): void {
  const om = config.openMetadata;
  const named: Array<[string, unknown]> = [];
  if (om.verifySSL === 'validate')
    named.push([`${SERVER_CONFIG_FIELD}.sslConfig.caCertificate`, om.caCertificate]);
  const token = om.authProvider === 'no-auth' ? undefined : om.jwtToken;
  if (typeof token === 'string' && isAbsolute(token)) {
    named.push([`${SERVER_CONFIG_FIELD}.securityConfig.jwtToken`, token]);
  }
  for (const [field, path] of named) {
    if (path === undefined || path === null || path === '') continue;
    const problem = typeof path === 'string' ? fileRefusal(path, policy) : 'is not a path';
    if (problem !== undefined) {
      refusals.push({
        field,
        problem,
        rule: 'file',
        ...(typeof path === 'string' && isAbsolute(path)
          ? { allowedBy: `${POLICY_OPTIONS.allowFileDirs} ${dirname(path)}` }
          : {}),
      });
    }
  }
}
