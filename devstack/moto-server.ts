// moto in server mode, as the STS/IAM emulator (AssumeRole, and IAM policy enforcement once
// `POST /moto-api/reset-auth` with body `0` has been sent after setup). moto serves every
// service on one HTTP/1.1 port and routes by the signed service name; its account id is
// 123456789012.
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { getFreePort } from '../client/local-temporal/free-port.js';
import { startProcess, waitUntilReady } from '../client/local-temporal/processes.js';
import type { ProcessExit } from '../client/local-temporal/processes.js';
import { resolveMotoServer } from './moto-cli.js';
import type { ResolvedTool } from '../client/local-temporal/temporal-cli.js';

export interface MotoServerOptions {
  logDir: string;
  /** Default: a free port. */
  port?: number;
  /** Default: {@link resolveMotoServer}. */
  cli?: ResolvedTool;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  pid: number;
  logFile: string;
  exited: Promise<ProcessExit>;
  stop(): Promise<void>;
}

export interface AssumableRoleOptions {
  roleName: string;
  /** IAM policy document attached inline to the role (moto enforces only `Resource: "*"`). */
  policy?: object;
  region: string;
}

/** Static fake credentials moto accepts while IAM enforcement is off. */
export const MOTO_SETUP_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** Starts moto_server and resolves once its management API answers. */
export async function startMotoServer(options: MotoServerOptions): Promise<MotoServer> {
  const host = '127.0.0.1';
  const cli = options.cli ?? resolveMotoServer();
  const port = options.port ?? (await getFreePort(host));
  const proc = await startProcess({
    name: 'moto',
    command: cli.path,
    args: ['-H', host, '-p', String(port)],
    logDir: options.logDir,
    // Unbuffered, so the log (and an error's log tail) is current.
    env: { PYTHONUNBUFFERED: '1' },
  });
  const endpoint = `http://${host}:${port}`;
  try {
    await waitUntilReady(
      proc,
      async () => {
        const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`GET /moto-api/ answered HTTP ${response.status}`);
      },
      { what: `moto_server at ${endpoint}`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
    );
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    endpoint,
    port,
    pid: proc.pid,
    logFile: proc.logFile,
    exited: proc.exited,
    stop: () => proc.stop(),
  };
}

/**
 * Creates an IAM role on moto that any principal may assume, with `policy` as its inline
 * policy. Call it before IAM enforcement is turned on.
 */
export async function createAssumableRole(
  endpoint: string,
  options: AssumableRoleOptions,
): Promise<{ roleArn: string }> {
  const iam = new IAMClient({
    endpoint,
    region: options.region,
    credentials: MOTO_SETUP_CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
  try {
    const trustPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
    };
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: options.roleName,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
      }),
    );
    if (!Role?.Arn) throw new Error(`moto returned no ARN for role ${options.roleName}`);
    if (options.policy) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: options.roleName,
          PolicyName: `${options.roleName}-policy`,
          PolicyDocument: JSON.stringify(options.policy),
        }),
      );
    }
    return { roleArn: Role.Arn };
  } finally {
    iam.destroy();
  }
}
