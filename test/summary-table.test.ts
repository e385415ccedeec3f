import { expect } from 'chai';
import { exitCodeFor, renderSummary, renderTable } from '../client/summary-table.js';
import type { IngestionSummary } from '../common/summary.js';

const summary = (overrides: Partial<IngestionSummary> = {}): IngestionSummary => ({
  serviceName: 'svc',
  dryRun: false,
  streamsSeen: 12,
  filtered: 2,
  created: 6,
  updated: 1,
  unchanged: 2,
  skipped: 0,
  deleted: 1,
  failed: 1,
  sourceErrors: 1,
  sinkErrors: 0,
  failures: [
    {
      stream: 'orders.v1',
      step: 'describeStream',
      type: 'AwsUnavailable',
      message: 'kinesis:DescribeStreamSummary failed',
    },
  ],
  warningCount: 0,
  warnings: [],
  sampleMessages: 40,
  serviceWritten: true,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:02.500Z',
  durationMs: 2500,
  successPercent: 90,
  successThreshold: 90,
  plannedWrites: [],
  ...overrides,
});

describe('renderTable', () => {
  it('draws a bordered table with numbers right-aligned', () => {
    expect(
      renderTable(
        ['Step', 'Count'],
        [
          ['Kinesis', 7],
          ['OpenMetadata', 12],
        ],
      ),
    ).to.equal(
      [
        '+--------------+-------+',
        '| Step         | Count |',
        '+--------------+-------+',
        '| Kinesis      |     7 |',
        '| OpenMetadata |    12 |',
        '+--------------+-------+',
      ].join('\n'),
    );
  });
});

describe('renderSummary', () => {
  it('reports counts per step, the failures and the success % against the threshold', () => {
    const text = renderSummary(summary());
    expect(text).to.include('Workflow Summary: service svc');
    expect(text).to.include('| Kinesis      |         9 |       0 |        0 |        2 |      1 |');
    expect(text).to.include('| OpenMetadata |         9 |       8 |        0 |        0 |      0 |');
    expect(text).to.include('Topics: 6 created, 1 updated, 2 unchanged, 0 skipped, 1 soft-deleted, 1 failed');
    expect(text).to.include('| orders.v1 | describeStream | kinesis:DescribeStreamSummary failed |');
    expect(text).to.include('Success %: 90.00 (threshold 90)');
  });

  it('lists what a dry run would write', () => {
    const text = renderSummary(summary({ dryRun: true, plannedWrites: ['create topic a'] }));
    expect(text).to.include('(dry run: nothing was written)');
    expect(text).to.include('Would write:\n  - create topic a');
  });
});

describe('exitCodeFor', () => {
  it('is 1 below the threshold or when a write to OpenMetadata failed, as metadata ingest', () => {
    expect(exitCodeFor(summary(), true)).to.equal(0);
    expect(exitCodeFor(summary({ successPercent: 89.99 }), true)).to.equal(1);
    const sinkFailure = summary({ sinkErrors: 1 });
    expect(exitCodeFor(sinkFailure, true)).to.equal(1);
    expect(exitCodeFor(sinkFailure, false), 'raiseOnError: false').to.equal(0);
  });
});

describe('renderSummary of what servers and run inputs wrote', () => {
  it('shows control characters as escapes, so that the terminal does not act on them', () => {
    const text = renderSummary(
      summary({
        warnings: [{ step: 'prepare', message: 'sink.config.\u001b]0;owned\u0007: Ignored by this tool' }],
        warningCount: 1,
        failures: [{ stream: 'orders', step: 'upsertTopic', type: 'X', message: 'said \u001b[2J\u009b31m' }],
      }),
    );
    expect(text).to.include('\\x1b]0;owned\\x07').and.include('said \\x1b[2J\\x9b31m');
    for (const control of ['\u001b', '\u0007', '\u009b']) expect(text).to.not.include(control);
  });
});
