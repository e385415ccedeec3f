// The Temporal Web UI, as a user sees it: a Temporal dev server with its UI on, the product's
// worker, runs started by `om-kinesis ingest` and `om-kinesis schedule` exactly as a user
// starts them, then headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// lists the runs with the product's search attributes as columns, filters them by service,
// opens one and reads its timeline, event history, result and current details. Screenshots
// are kept in test-artifacts/web-ui/ (git-ignored).
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import type { IngestionSummary } from '../common/summary.js';
import { ingestionWorkflowId } from '../common/run-input.js';
import { demoConfigYaml, seedDemoStreams } from '../devstack/demo-streams.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import {
  startTemporalDevServer,
  type TemporalDevServer,
} from '../client/local-temporal/temporal-dev-server.js';
import { runOmKinesis, type CommandResult } from './support/cli-runner.js';
import { eventually } from './support/eventually.js';
import { TEST_LOG_DIR, TEST_SEARCH_ATTRIBUTES } from './support/global-stack.js';
import {
  getOpenMetadata,
  isolatedKinesis,
  startTestWorker,
  TEST_REGION,
  uniqueName,
  type RunningWorker,
} from './support/ingestion-harness.js';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling out, which a closed network refuses.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = path.join(projectRoot(), 'test-artifacts', 'web-ui');

// A fake AWS secret no page may ever show: the config names it as ${WEB_UI_TEST_AWS_SECRET},
// which only the worker resolves; the CLI that starts the run does not even have it.
const SECRET_ENV = 'WEB_UI_TEST_AWS_SECRET';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/WebUiNeverShowsThisKEY';

// Generous per wait: a 2-core machine running other suites renders the SPA slowly.
const UI_WAIT_MS = 20_000;

// The CLI passes the ${...} reference on, unsealed and unresolved, for the worker to resolve.
const runCli = (args: string[]) =>
  runOmKinesis(args, {}, { unset: [SECRET_ENV, 'OM_KINESIS_SECRETS_KEY'], timeoutMs: 60_000 });

/** The list columns a person adds: the product's search attributes and the schedule's id. */
const LIST_COLUMNS = [
  'OmKinesisService',
  'OmKinesisRole',
  'Scheduled By ID',
  'OmKinesisDryRun',
  'OmKinesisCreated',
  'OmKinesisUpdated',
  'OmKinesisFailed',
];

/** A row's values of {@link LIST_COLUMNS}, in that order. */
function columns(row: Record<string, string>): string[] {
  return LIST_COLUMNS.map((column) => row[column] ?? '');
}

/** The rows of the Web UI's workflow table, as column header -> cell text (before CSS casing). */
async function tableRows(page: Page): Promise<Record<string, string>[]> {
  const table = page.locator('table').first();
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.trim());
  const rows: Record<string, string>[] = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    rows.push(Object.fromEntries(cells.map((cell, i) => [headers[i] ?? `#${i}`, cell])));
  }
  return rows;
}

/** The run ids of a workflow id, oldest first. */
async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: { runId: string; startTime: Date }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId="${workflowId}"` }))
    runs.push({ runId: run.runId, startTime: run.startTime });
  return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()).map((run) => run.runId);
}

/** True when `text`, or a base64 string inside it (the UI's API sends payloads so), holds `needle`. */
function reveals(text: string, needle: string): boolean {
  if (text.includes(needle)) return true;
  for (const match of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
    if (Buffer.from(match[0], 'base64').toString('latin1').includes(needle)) return true;
  }
  return false;
}

describe('Temporal Web UI (headless Chromium)', function () {
  this.timeout(90_000);

  const serviceName = uniqueName('webui').replaceAll('-', '_');
  const otherServiceName = `${serviceName}_other`;
  const failingServiceName = `${serviceName}_failing`;
  const scheduledServiceName = `${serviceName}_scheduled`;
  const workflowId = ingestionWorkflowId(serviceName);
  let temporal: TemporalDevServer | undefined;
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let runId: string;
  let summary: IngestionSummary;
  // Every text the UI showed and every answer of its API, checked for the secret at the end.
  const seenTexts: { where: string; text: string }[] = [];
  const pendingResponses: Promise<void>[] = [];

  const runUrl = (view: string): string =>
    `${temporal?.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/${view}`;

  async function recordPage(where: string): Promise<void> {
    seenTexts.push({ where, text: await page.locator('body').innerText() });
    seenTexts.push({ where: `${where} (HTML)`, text: await page.content() });
  }

  /** A tab of the run's page: clicked when the run is open (the SPA routes in place), else loaded. */
  async function openTab(name: string, view: string): Promise<void> {
    if (!page.url().includes(`/${runId}/`)) {
      await page.goto(runUrl(view));
      return;
    }
    await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
    await page.waitForURL((url) => url.pathname.endsWith(`/${runId}/${view}`));
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
  }

  before(async function () {
    this.timeout(120_000);
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium with \`bash scripts/install-tools.sh\` as root (or \`apt-get install -y --no-install-recommends chromium\`).`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const [server, om, kinesis] = await Promise.all([
      startTemporalDevServer({
        headless: false,
        logDir: TEST_LOG_DIR,
        searchAttributes: { ...TEST_SEARCH_ATTRIBUTES },
      }),
      getOpenMetadata(),
      isolatedKinesis(),
    ]);
    temporal = server;
    const seeded = seedDemoStreams(kinesis.fixture).finally(() => kinesis.fixture.close());
    const workerStarted = startTestWorker({ env: { [SECRET_ENV]: SECRET } }, { address: server.address });
    // Settle both before failing, so that after() stops a worker that did start.
    const [, started] = await Promise.allSettled([seeded, workerStarted]);
    if (started.status === 'fulfilled') worker = started.value;
    const running = await workerStarted;
    await seeded;

    const scratch = mkdtempSync(path.join(tmpdir(), 'om-kinesis-web-ui-'));
    const configFile = (name: string, secretEnv = SECRET_ENV): string => {
      const file = path.join(scratch, `${name}.yaml`);
      writeFileSync(
        file,
        demoConfigYaml({
          serviceName: name,
          accessKeyId: kinesis.accessKeyId,
          secretEnv,
          kinesisEndpoint: kinesis.endpoint,
          region: TEST_REGION,
          openMetadataUrl: om.url,
        }),
      );
      return file;
    };
    const cluster = ['--address', server.address, '--task-queue', running.taskQueue];
    const ingest = (file: string, ...extra: string[]): Promise<CommandResult> =>
      runCli(['ingest', '-c', file, ...cluster, ...extra]);
    // A second service's run, which the filter must leave out. The browser starts meanwhile.
    const launched = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    launched.catch(() => undefined); // awaited below; a failure is reported there
    const [ours, other] = await Promise.all([
      ingest(configFile(serviceName)),
      ingest(configFile(otherServiceName)),
    ]);
    expect(ours.code, ours.stderr).to.equal(0);
    expect(other.code, other.stderr).to.equal(0);
    // For the list: a dry run, a run that fails (its secret is missing on the worker), and a
    // scheduled run, which is a trigger and the ingestion it starts under the service's id.
    const scheduled = configFile(scheduledServiceName);
    const created = await runCli(['schedule', 'create', '-c', scheduled, '--every', '24h', ...cluster]);
    expect(created.code, created.stderr).to.equal(0);
    const [dryRun, failing, triggered] = await Promise.all([
      ingest(configFile(serviceName), '--dry-run'),
      ingest(configFile(failingServiceName, 'WEB_UI_TEST_SECRET_NOBODY_HAS')),
      runCli(['schedule', 'trigger', scheduledServiceName, '--address', server.address]),
    ]);
    expect(dryRun.code, dryRun.stderr).to.equal(0);
    expect(failing.code, 'the run with the missing secret fails').to.equal(1);
    expect(triggered.code, triggered.stderr).to.equal(0);
    await running.client.workflow.getHandle(ingestionWorkflowId(scheduledServiceName)).result();
    browser = await launched;

    // The service's first run (the dry run came after it, under the same workflow id).
    const [first] = await eventually(async () => {
      const runs = await runsOf(running.client, workflowId);
      if (runs.length < 2) throw new Error(`the list shows ${runs.length} of the 2 runs of ${workflowId}`);
      return runs;
    });
    const handle = running.client.workflow.getHandle(workflowId, first);
    summary = (await handle.result()) as IngestionSummary;
    runId = (await handle.describe()).runId;
    expect(summary.created, JSON.stringify(summary)).to.equal(4);

    page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    page.setDefaultTimeout(UI_WAIT_MS);
    const uiHost = new URL(server.uiUrl as string).host;
    // The UI fetches a news feed from the internet: refuse anything that is not the local UI.
    await page.route(
      (url) => url.host !== uiHost,
      (route) => route.abort(),
    );
    page.on('response', (response: Response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/')) return;
      pendingResponses.push(
        response
          .text()
          .then((text) => void seenTexts.push({ where: `API ${response.url()}`, text }))
          .catch(() => undefined),
      );
    });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await worker?.stop();
    await temporal?.stop();
  });

  it("filters the runs by the service's search attribute and opens its run", async () => {
    const query = `OmKinesisService="${serviceName}"`;
    await page.goto(`${temporal?.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    // The service's run and its dry run: the same workflow id, two run ids.
    const runLink = page.getByRole('link', { name: runId, exact: true });
    await runLink.waitFor();
    await page.getByText('2 Workflows', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: ingestionWorkflowId(otherServiceName) }).count()).to.equal(0);
    await screenshot('workflow-list.png');
    await recordPage('workflow list');

    await runLink.click();
    await page.waitForURL((url) => url.pathname.includes(`/workflows/${encodeURIComponent(workflowId)}/`));
    expect(page.url()).to.include(runId);
  });

  it('lists the runs readably: service, role, dry run and counts as columns; a scheduled run as its trigger and its ingestion', async () => {
    // A page of its own: the columns a person configures are kept in the browser's storage.
    const list = await (browser as Browser).newPage({ viewport: { width: 2600, height: 700 } });
    list.setDefaultTimeout(UI_WAIT_MS);
    const uiHost = new URL(temporal?.uiUrl as string).host;
    await list.route(
      (url) => url.host !== uiHost,
      (route) => route.abort(),
    );
    const query = 'OmKinesisConnector="kinesis"';
    await list.goto(`${temporal?.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    await list.getByText('6 Workflows', { exact: true }).waitFor();
    // As docs/operations.md tells: Configure Columns, add the product's attributes.
    await list.getByTestId('workflows-summary-table-configuration-button').click();
    for (const column of ['Run ID', 'Type', 'Start', 'End'])
      await list.getByRole('button', { name: `Remove ${column} column` }).click();
    for (const column of LIST_COLUMNS)
      await list.getByRole('button', { name: `Add ${column} column` }).click();
    await list.getByRole('button', { name: 'Close' }).and(list.locator(':visible')).click();
    await list.getByRole('columnheader', { name: 'OmKinesisCreated' }).waitFor();

    const rows = await tableRows(list);
    // Rows by workflow id (a RegExp for the trigger, whose id Temporal suffixes with the time).
    const row = (id: string | RegExp, status: string) =>
      rows.filter((r) => {
        const rowId = r['Workflow ID'] ?? '';
        return (typeof id === 'string' ? rowId === id : id.test(rowId)) && r.Status === status;
      });
    const scheduleId = `om-kinesis-${scheduledServiceName}`;
    expect(rows, JSON.stringify(rows, null, 2)).to.have.length(6);
    // The service's run, and its dry run: told apart by OmKinesisDryRun.
    expect(row(workflowId, 'Completed').map(columns)).to.have.deep.members([
      [serviceName, 'ingestion', '', 'false', '4', '0', '0'],
      [serviceName, 'ingestion', '', 'true', '0', '0', '0'],
    ]);
    expect(row(ingestionWorkflowId(otherServiceName), 'Completed').map(columns)).to.deep.equal([
      [otherServiceName, 'ingestion', '', 'false', '4', '0', '0'],
    ]);
    // A failed run still says whose it is.
    expect(row(ingestionWorkflowId(failingServiceName), 'Failed').map(columns)).to.deep.equal([
      [failingServiceName, 'ingestion', '', 'false', '', '', ''],
    ]);
    // The scheduled run: the schedule's trigger, and the service's run with the counts.
    expect(row(new RegExp(`^${scheduleId}-scheduled-`), 'Completed').map(columns)).to.deep.equal([
      [scheduledServiceName, 'trigger', scheduleId, 'false', '', '', ''],
    ]);
    expect(row(ingestionWorkflowId(scheduledServiceName), 'Completed').map(columns)).to.deep.equal([
      [scheduledServiceName, 'ingestion', '', 'false', '4', '0', '0'],
    ]);
    await list.screenshot({ path: path.join(ARTIFACTS, 'workflow-list-columns.png'), fullPage: true });
    seenTexts.push({ where: 'workflow list with columns', text: await list.locator('body').innerText() });
    await list.close();
  });

  it('shows the activity summaries in the timeline and the summary as the result', async () => {
    await openTab('Timeline', 'timeline');
    for (const text of [
      'validate run input',
      'check Kinesis connection',
      `upsert messaging service ${serviceName}`,
      'list streams',
      'sweep stale topics',
    ]) {
      await page.getByText(text).first().waitFor();
    }
    for (const line of [
      `"serviceName": "${serviceName}"`,
      `"created": ${summary.created}`,
      `"filtered": 1`,
      `"successPercent": 100`,
    ]) {
      await page.getByText(line).first().waitFor();
    }
    await screenshot('run-timeline.png');
    await recordPage('run timeline');

    // The batch child workflow opens in place, with one summary per stream and step.
    await page.getByText('streams audit-log … payments.raw (4)').first().click();
    for (const text of [
      'describe stream orders.v1',
      'upsert topic orders.v1',
      'sample stream orders.v1',
      'describe stream payments.raw',
      'upsert topic clickstream',
    ]) {
      await page.getByText(text).first().waitFor();
    }
    expect(await page.getByText('_tmp_scratch').count(), 'the filtered stream has no step').to.equal(0);
    await page.getByText('describe stream orders.v1').first().scrollIntoViewIfNeeded();
    await screenshot('batch-timeline.png');
    await recordPage('run timeline with the batch open');
  });

  it('shows the workflow summary in the event history, and the search attributes', async () => {
    await openTab('Event History', 'history');
    await page.getByText(`Kinesis -> OpenMetadata ingestion of service ${serviceName}`).first().waitFor();
    await page.getByText('sweep stale topics').first().waitFor();
    await screenshot('event-history.png');
    await recordPage('event history');

    await openTab('Search Attributes', 'search-attributes');
    await page.getByText(`"OmKinesisService": "${serviceName}"`).first().waitFor();
    await page.getByText('"OmKinesisConnector": "kinesis"').first().waitFor();
    await page.getByText('"OmKinesisCreated": 4').first().waitFor();
    await recordPage('search attributes');
  });

  it('shows what the run did as its current details', async () => {
    await page.getByRole('tab', { name: /^User Metadata/ }).click();
    // The UI renders the markdown of the current details in a frame of its own.
    const details = page.frameLocator('#user-metadata-current-details');
    await details.getByText(`Ingestion of service ${serviceName}`).waitFor();
    await details.getByText(/Completed in \d+ s: 5 streams seen, 1 filtered/).waitFor();
    await details.getByText(/4 created · 0 updated · 0 unchanged · 0 skipped · 0 failed/).waitFor();
    await screenshot('run-details.png');
    seenTexts.push({ where: 'current details', text: await details.locator('body').innerText() });
    await recordPage('user metadata');
  });

  it('shows no secret anywhere: only the ${...} reference the worker resolved', async () => {
    await Promise.all(pendingResponses);
    const reference = `\${${SECRET_ENV}}`;
    const pages = seenTexts.filter(({ where }) => !where.startsWith('API '));
    const answers = seenTexts.filter(({ where }) => where.startsWith('API '));
    // The checks can see the input: the reference is rendered, and found in the API's payloads.
    expect(
      pages.some(({ text }) => text.includes(reference)),
      'the run input is rendered',
    ).to.equal(true);
    expect(answers.some(({ text }) => reveals(text, reference))).to.equal(true);
    const leaks = seenTexts.filter(({ text }) => reveals(text, SECRET)).map(({ where }) => where);
    expect(leaks, 'pages or API answers that reveal the secret').to.deep.equal([]);
  });
});
