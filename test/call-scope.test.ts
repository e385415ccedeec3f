// The CLI follows a run for as long as it lasts, under one abort signal that Ctrl-C or the
// command's end fires. The SDK adds a listener to that signal for every request and never
// removes it; withCallScope gives each call a signal of its own.
import { expect } from 'chai';
import { getEventListeners, setMaxListeners } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { errorText } from '../client/error-text.js';
import { withCallScope } from '../client/temporal-connection.js';
import { getTemporal } from './support/global-stack.js';
import { uniqueName } from './support/ingestion-harness.js';

describe('requests of a command that follows a run', function () {
  this.timeout(60_000);

  let connection: Connection;
  let client: Client;

  before(async () => {
    connection = await Connection.connect({ address: (await getTemporal()).address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection?.close();
  });

  const systemInfo = () => client.workflowService.getSystemInfo({});

  it('leave no listener on the command-wide signal, where the bare SDK leaves one per request', async () => {
    const bare = new AbortController();
    setMaxListeners(0, bare.signal); // what Node would warn of here is the point of the test
    await connection.withAbortSignal(bare.signal, async () => {
      for (let i = 0; i < 12; i += 1) await systemInfo();
    });
    expect(getEventListeners(bare.signal, 'abort').length, 'the SDK alone').to.equal(12);

    const scoped = new AbortController();
    await connection.withAbortSignal(scoped.signal, async () => {
      for (let i = 0; i < 12; i += 1) await withCallScope(client, systemInfo);
    });
    expect(getEventListeners(scoped.signal, 'abort')).to.deep.equal([]);
  });

  it('are still cancelled when the command-wide signal fires', async () => {
    // A run no worker takes: waiting for its result is a long poll that only the signal ends.
    const handle = await client.workflow.start('kinesisMetadataIngestion', {
      taskQueue: uniqueName('nobody'),
      workflowId: uniqueName('call-scope'),
      args: [{}],
    });
    try {
      const signal = new AbortController();
      const waiting = connection
        .withAbortSignal(signal.signal, () => withCallScope(client, () => handle.result()))
        .then(
          () => 'completed',
          (error: unknown) => errorText(error),
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const abortedAt = Date.now();
      signal.abort();
      const outcome = await waiting;
      expect(Date.now() - abortedAt, 'ended by the signal, not by a poll timing out').to.be.below(2_000);
      expect(outcome).to.match(/CANCELLED/);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });
});
