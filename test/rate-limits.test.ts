import { expect } from 'chai';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import {
  CallPacer,
  effectiveRates,
  GLUE_ACCOUNT_QUOTAS,
  InvalidRateLimitError,
  QuotaShare,
} from '../activities/aws/rate-limits.js';
import { awsClientsFor, destroyAwsClients } from '../activities/aws/aws-clients.js';
import { KINESIS_QUOTAS, startFaultProxy } from '../devstack/fault-proxy.js';
import { isolatedKinesis, TEST_REGION } from './support/ingestion-harness.js';
import type { AwsConfig } from '../common/config/index.js';

describe('AWS call pacing', function () {
  this.timeout(30_000);

  it('defaults to the per-account quotas and splits them between workers', () => {
    expect(effectiveRates()).to.deep.equal({
      ListStreams: 5,
      DescribeStreamSummary: 20,
      ListTagsForStream: 5,
    });
    expect(effectiveRates({ share: 0.5 })).to.deep.equal({
      ListStreams: 2.5,
      DescribeStreamSummary: 10,
      ListTagsForStream: 2.5,
    });
    expect(effectiveRates({ perSecond: { ListStreams: 0, GetRecords: 5 } })).to.deep.equal({
      DescribeStreamSummary: 20,
      ListTagsForStream: 5,
      GetRecords: 5,
    });
    expect(effectiveRates({ share: 0.5 }, GLUE_ACCOUNT_QUOTAS)).to.deep.equal({ GetSchemaVersion: 5 });
    expect(() => effectiveRates({ share: 0 })).to.throw(InvalidRateLimitError);
  });

  it('spaces call starts evenly at the rate, with a margin per second, in arrival order', async () => {
    const pacer = new CallPacer(10, 50);
    const begin = performance.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 11 }, () => pacer.acquire().then(() => times.push(performance.now() - begin))),
    );
    expect(times[0]).to.be.below(50);
    expect(times[1]).to.be.at.least(100);
    expect(times[10]).to.be.at.least(1045);
    expect(times[10]).to.be.below(1500);
  });

  it('after a stalled event loop, makes up half the margin and never exceeds the rate in any second', async () => {
    const pacer = new CallPacer(20, 50);
    const begin = performance.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pacer.acquire().then(() => {
          times.push(performance.now() - begin);
          if (i === 3) {
            const until = performance.now() + 300;
            while (performance.now() < until); // a busy event loop: the next timers fire late
          }
        }),
      ),
    );
    for (const [i, start] of times.entries()) {
      const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow, `calls in the second from call ${i}`).to.be.at.most(20);
    }
    // 39 intervals of 52.5 ms, plus how late the stall made call 4 (300 ms from call 3's start,
    // one interval of which it was due to wait anyway), less what was made up (25 ms).
    expect(times[39]).to.be.at.least(39 * 52.5 + (300 - 52.5) - 25 - 10);
    expect(times[39]).to.be.below(39 * 52.5 + 300 + 500);
  });

  it('two workers at half the quota each never start more than the quota in any second plus margin', async () => {
    // Two workers' pacers at 20/s x 0.5 (105 ms apart), on one event loop that stalls for
    // 150 ms after every 12th call of the first: its next timer fires 45 ms late, and making up
    // 25 ms of that brings its next call 80 ms after, so that spacing alone would fit 11 calls
    // into 1,025 ms.
    const pacers = [new CallPacer(10, 50), new CallPacer(10, 50)];
    const begin = performance.now();
    const starts: number[][] = [[], []];
    await Promise.all(
      pacers.flatMap((pacer, p) =>
        Array.from({ length: 30 }, (_, i) =>
          pacer.acquire().then(() => {
            starts[p]?.push(performance.now() - begin);
            // A busy event loop, once the other calls released in this turn are timed.
            if (p === 0 && i % 12 === 0)
              setImmediate(() => {
                const until = performance.now() + 150;
                while (performance.now() < until);
              });
          }),
        ),
      ),
    );
    // Windows of the second plus margin, less 1 ms: a start is timed here a fraction of a
    // millisecond after the pacer timed it, and the pacer may start a call exactly at the edge.
    const mostInAWindow = (times: number[]): number =>
      Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1049).length));
    expect(mostInAWindow(starts[0] ?? []), 'the stalled worker alone').to.be.at.most(10);
    expect(mostInAWindow(starts[1] ?? []), 'the other worker alone').to.be.at.most(10);
    expect(mostInAWindow([...(starts[0] ?? []), ...(starts[1] ?? [])]), 'both together').to.be.at.most(20);
  });

  it("follows a worker's share of the quota as it changes", async () => {
    const share = new QuotaShare(1);
    const pacer = new CallPacer(() => 10 * share.value, 0);
    await pacer.acquire();
    const begin = performance.now();
    await pacer.acquire();
    const atFullShare = performance.now() - begin;
    share.set(0.5);
    await pacer.acquire(); // spaced at the old rate: the slot was set when the last call went
    const halfBegin = performance.now();
    await pacer.acquire();
    const atHalfShare = performance.now() - halfBegin;
    // Timers never fire early; a busy machine may fire them late.
    expect(atFullShare).to.be.within(95, 400);
    expect(atHalfShare).to.be.within(195, 500);
    expect(() => share.set(0)).to.throw(InvalidRateLimitError);
    expect(JSON.stringify({ share })).to.not.include('0.5');
  });

  it('keeps a burst of ListStreams calls within the quota: none throttled', async () => {
    const kinesis = await isolatedKinesis();
    kinesis.fixture.close();
    const proxy = await startFaultProxy({ target: kinesis.endpoint, quotas: KINESIS_QUOTAS });
    try {
      const aws = {
        awsAccessKeyId: kinesis.accessKeyId,
        awsSecretAccessKey: 'x',
        awsRegion: TEST_REGION,
        endPointURL: proxy.endpoint,
      } as unknown as AwsConfig;
      const { kinesis: client } = awsClientsFor(aws, { env: {} }, { maxSockets: 7 });
      await Promise.all(Array.from({ length: 12 }, () => client.send(new ListStreamsCommand({ Limit: 1 }))));
      const stats = proxy.stats().ListStreams;
      expect(stats?.forwarded).to.equal(12);
      expect(stats?.throttled).to.equal(0);
    } finally {
      destroyAwsClients();
      await proxy.close();
    }
  });
});
