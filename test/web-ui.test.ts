// The Temporal Web UI, as a user sees it: a Temporal dev server with its UI on, the product's
// worker, runs started by `om-kinesis ingest` exactly as a user starts them, then headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core) filters the runs by service,
// opens one and reads its timeline, event history and result. Screenshots are kept in
// test-artifacts/web-ui/ (git-ignored).
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
    const ingest = (name: string): Promise<CommandResult> => {
      const file = path.join(scratch, `${name}.yaml`);
      writeFileSync(
        file,
        demoConfigYaml({
          serviceName: name,
          accessKeyId: kinesis.accessKeyId,
          secretEnv: SECRET_ENV,
          kinesisEndpoint: kinesis.endpoint,
          region: TEST_REGION,
          openMetadataUrl: om.url,
        }),
      );
      return runCli(['ingest', '-c', file, '--address', server.address, '--task-queue', running.taskQueue]);
    };
    // A second service's run, which the filter must leave out. The browser starts meanwhile.
    const launched = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    launched.catch(() => undefined); // awaited below; a failure is reported there
    const [ours, other] = await Promise.all([ingest(serviceName), ingest(otherServiceName)]);
    browser = await launched;
    expect(ours.code, ours.stderr).to.equal(0);
    expect(other.code, other.stderr).to.equal(0);

    const handle = running.client.workflow.getHandle(workflowId);
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
    const runLink = page.getByRole('link', { name: workflowId, exact: true });
    await runLink.waitFor();
    await page.getByText('1 Workflow', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: ingestionWorkflowId(otherServiceName) }).count()).to.equal(0);
    await screenshot('workflow-list.png');
    await recordPage('workflow list');

    await runLink.click();
    await page.waitForURL((url) => url.pathname.includes(`/workflows/${encodeURIComponent(workflowId)}/`));
    expect(page.url()).to.include(runId);
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
    await recordPage('search attributes');
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
