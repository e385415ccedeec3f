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
    expect(text).to.include('| OpenMetadata |        10 |       1 |        0 |        0 |      0 |');
    expect(text).to.include('Topics: 6 created, 1 updated, 2 unchanged, 0 skipped, 1 soft-deleted, 1 failed');
    expect(text).to.include('| orders.v1 | describeStream | kinesis:DescribeStreamSummary failed |');
    expect(text).to.include('Success %: 90.00 (threshold 90)');
  });

  it("the table's counts add up to the topic counts below it", () => {
    for (const counts of [
      { created: 4, updated: 0, unchanged: 0, skipped: 0, deleted: 0, failed: 0, sourceErrors: 0 },
      { created: 0, updated: 3, unchanged: 5, skipped: 1, deleted: 2, failed: 2, sourceErrors: 1 },
    ]) {
      const text = renderSummary(summary(counts));
      const row = (step: string) =>
        new RegExp(`\\| ${step} +\\| +(\\d+) \\| +(\\d+) \\|`).exec(text)?.slice(1).map(Number);
      const topics =
        /Topics: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) skipped, (\d+) soft-deleted, (\d+) failed/
          .exec(text)
          ?.slice(1)
          .map(Number);
      const [created = -1, updated = -1, unchanged = -1, skipped = -1, deleted = -1, failed = -1] =
        topics ?? [];
      expect(row('OpenMetadata'), text).to.deep.equal([created + updated + unchanged + deleted, updated]);
      expect(row('Kinesis'), text).to.deep.equal([
        created + updated + unchanged + skipped + failed - counts.sourceErrors,
        0,
      ]);
    }
  });

  it('a dry run speaks of what a run would write', () => {
    const text = renderSummary(
      summary({ dryRun: true, created: 4, updated: 1, deleted: 1, plannedWrites: ['create topic a'] }),
    );
    expect(text).to.include('(dry run: nothing was written; the counts are what a run would write)');
    expect(text).to.include('| OpenMetadata (dry run) |');
    expect(text).to.include(
      'Topics a run would write: 4 to create, 1 to update, 2 unchanged, 0 skipped, 1 to soft-delete, 1 failed',
    );
    expect(text).to.include('Sample messages a run would write: 40');
    expect(text).to.not.match(/\d+ created/);
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
