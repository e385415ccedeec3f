import { expect } from 'chai';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { awsClientsFor, destroyAwsClients } from '../activities/aws/aws-clients.js';
import { redactSecrets } from '../activities/errors.js';
import { destroyGuardedAgents, guardedAgents } from '../activities/network/guarded-agents.js';
import { OpenMetadataClient } from '../activities/openmetadata/openmetadata-client.js';
import { printable } from '../common/printable.js';
import { TEST_REGION } from './support/ingestion-harness.js';

/** A loopback HTTP server that records what it receives and answers with `answer`. */
async function recordingServer(
  answer: (url: string) => { status: number; headers?: Record<string, string>; body?: string },
) {
  const received: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers });
    const { status, headers, body } = answer(req.url ?? '');
    res.writeHead(status, headers).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function get(url: string, listed: string[]): Promise<number | string> {
  return new Promise((resolve) => {
    const { http } = guardedAgents(listed);
    request(url, { agent: http }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', (error) => resolve(error.message))
      .end();
  });
}

describe('network guard', () => {
  after(() => destroyGuardedAgents());

  it('reaches loopback only for listed hosts, whether the name resolves there or the URL says so', async () => {
    const server = await recordingServer(() => ({ status: 204 }));
    try {
      expect(await get(`http://localhost:${server.port}/`, ['localhost'])).to.equal(204);
      expect(await get(`http://127.0.0.1:${server.port}/`, ['127.0.0.1'])).to.equal(204);
      expect(await get(`http://localhost:${server.port}/`, [])).to.match(
        /^localhost resolved to 127\.0\.0\.1 is a loopback address, which runs reach only at endpoints the worker's policy lists$/,
      );
      expect(await get(`http://127.0.0.1:${server.port}/`, ['localhost'])).to.match(
        /127\.0\.0\.1 is a loopback address/,
      );
      expect(server.received).to.have.length(2);
    } finally {
      await server.close();
    }
  });

  it('never connects to a link-local address, listed or not', async () => {
    expect(await get('http://169.254.169.254/latest/meta-data/', ['169.254.169.254'])).to.equal(
      '169.254.169.254 is a link-local, unspecified, multicast or reserved address',
    );
  });

  it('follows no OpenMetadata redirect: the token goes nowhere else, and the failure names where it pointed', async () => {
    const elsewhere = await recordingServer(() => ({ status: 200, body: '{"version":"1.5.0"}' }));
    const server = await recordingServer(() => ({
      status: 302,
      headers: { location: `http://127.0.0.1:${elsewhere.port}/api/v1/system/version?token=x` },
    }));
    try {
      const client = new OpenMetadataClient({
        hostPort: `http://127.0.0.1:${server.port}/api`,
        jwtToken: 'redirected-token-value',
        agents: guardedAgents(['127.0.0.1']),
      });
      const failure = await client.serverVersion().then(
        () => undefined,
        (error: Error & { retryable?: boolean }) => error,
      );
      expect(failure?.message).to.equal(
        `OpenMetadata answered 302 to GET system/version, a redirect to http://127.0.0.1:${elsewhere.port}: redirects are not followed, since they would carry the token elsewhere. Set workflowConfig.openMetadataServerConfig.hostPort to the server's own address`,
      );
      expect(failure?.retryable).to.equal(false);
      expect(server.received).to.have.length(1);
      expect(elsewhere.received).to.deep.equal([]);
    } finally {
      await Promise.all([server.close(), elsewhere.close()]);
    }
  });

  it('follows no AWS redirect either', async () => {
    const elsewhere = await recordingServer(() => ({ status: 200, body: '{"StreamNames":[]}' }));
    const endpoint = await recordingServer(() => ({
      status: 307,
      headers: { location: `http://127.0.0.1:${elsewhere.port}/` },
    }));
    try {
      const { kinesis } = awsClientsFor(
        {
          awsRegion: TEST_REGION,
          awsAccessKeyId: 'AKIAREDIRECTED',
          awsSecretAccessKey: 'redirected-secret',
          endPointURL: `http://127.0.0.1:${endpoint.port}`,
          assumeRoleSessionName: 'OpenMetadataSession',
        },
        { env: {} },
        { listedHosts: ['127.0.0.1'], rateLimits: false },
      );
      const failure = await kinesis.send(new ListStreamsCommand({})).then(
        () => undefined,
        (error: { $metadata?: { httpStatusCode?: number } }) => error,
      );
      expect(failure?.$metadata?.httpStatusCode).to.equal(307);
      expect(endpoint.received).to.have.length(1);
      expect(elsewhere.received).to.deep.equal([]);
    } finally {
      destroyAwsClients();
      await Promise.all([endpoint.close(), elsewhere.close()]);
    }
  });

  it('removes an echoed token before shortening the answer, in every encoding', async () => {
    const token = 'tok-9f8e7d6c5b4a';
    const body = `${'x'.repeat(190)} ${token} ${encodeURIComponent(`${token}/`)} ${Buffer.from(`bot:${token}`).toString('base64')}`;
    const server = await recordingServer(() => ({ status: 400, body }));
    try {
      const client = new OpenMetadataClient({
        hostPort: `http://127.0.0.1:${server.port}/api`,
        jwtToken: token,
        agents: guardedAgents(['127.0.0.1']),
      });
      const failure = await client.serverVersion().then(
        () => '',
        (error: Error) => error.message,
      );
      expect(failure).to.include('OpenMetadata rejected GET system/version (400)').and.include('***');
      expect(failure).to.not.include(token.slice(0, 10));
    } finally {
      await server.close();
    }
  });

  it('redacts a secret as written, URL-encoded, JSON-escaped and in base64 at any alignment', () => {
    const secret = 'p@ss/w+rd"9';
    for (const prefix of ['', 'a', 'ab', 'user:']) {
      const basic = Buffer.from(`${prefix}${secret}`).toString('base64');
      const redacted = redactSecrets(`auth ${basic}`, [secret]);
      expect(redacted, prefix).to.include('***');
      const rest = Buffer.from(redacted.slice('auth '.length).replace('***', ''), 'base64').toString(
        'latin1',
      );
      expect(rest, prefix).to.not.include(secret.slice(2, 8));
    }
    expect(redactSecrets(`q=${encodeURIComponent(secret)}`, [secret])).to.equal('q=***');
    expect(redactSecrets(JSON.stringify({ s: secret }), [secret])).to.equal('{"s":"***"}');
    expect(redactSecrets(`x ${Buffer.from(secret).toString('base64url')}`, [secret])).to.not.include(
      'cEBzcy93',
    );
  });

  it('shows control characters as escapes instead of sending them to the terminal', () => {
    expect(printable('stream\u001b[2J\u0007 ok\n\tnext\u009b')).to.equal(
      'stream\\x1b[2J\\x07 ok\n\tnext\\x9b',
    );
  });
});
