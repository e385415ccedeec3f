// Safe upgrades of workers: the recorded histories of every shape of run (test/histories/,
// written by `npm run record-histories`) are replayed against the current workflow code with
// the SDK's replayer. A change that would make a worker fail runs started before it (a new,
// removed or reordered activity, child, timer or search attribute update) fails here.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../worker/workflow-bundle.js';
import {
  HISTORIES_DIR,
  HISTORIES_INDEX,
  readHistoryFile,
  WORKFLOW_SHAPES,
  type HistoriesIndex,
} from './support/history-files.js';
import './support/quiet-runtime.js';

describe('replay of the recorded histories', function () {
  this.timeout(120_000);
  const index = JSON.parse(readFileSync(HISTORIES_INDEX, 'utf8')) as HistoriesIndex;

  it('has a recording of every shape of run', () => {
    const recorded = new Set(index.histories.map(({ shape }) => shape));
    expect([...recorded].sort()).to.deep.equal(Object.keys(WORKFLOW_SHAPES).sort());
    // Each shape has its run and the batches it started (the failed run started none).
    for (const shape of recorded) {
      const types = index.histories
        .filter((entry) => entry.shape === shape)
        .map((entry) => readHistoryFile(path.join(HISTORIES_DIR, entry.file)))
        .map((history) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
      expect(types, shape).to.include('kinesisMetadataIngestion');
      if (shape !== 'failed-run') expect(types, shape).to.include('kinesisStreamBatch');
    }
  });

  it('replays every recorded history against the current workflow code', async () => {
    const histories = index.histories.map(({ workflowId, file }) => ({
      workflowId,
      history: readHistoryFile(path.join(HISTORIES_DIR, file)),
    }));
    const failures: string[] = [];
    let replayed = 0;
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories);
    for await (const result of results) {
      replayed += 1;
      const entry = index.histories.find(({ workflowId }) => workflowId === result.workflowId);
      if (result.error) failures.push(`${entry?.file} (${result.workflowId}): ${result.error.message}`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(replayed).to.equal(index.histories.length);
  });
});
