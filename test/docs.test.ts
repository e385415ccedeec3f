// The README and docs/ as a newcomer reads them: the README fits on a few screens, its example
// config is valid, and every `om-kinesis` command the docs show is one the CLI accepts.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../client/cli.js';
import { EXIT_BAD_CONFIG, EXIT_INTERRUPTED, EXIT_OK, EXIT_RUN_FAILED } from '../client/cli-exit.js';
import { projectRoot } from '../client/local-temporal/temporal-cli.js';
import { runOmKinesis } from './support/cli-runner.js';

const root = projectRoot();
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).map((name) => path.join('docs', name))];

/** The `om-kinesis` command lines of the shell blocks (```bash) of a Markdown page, as argument lists. */
function commandsOf(markdown: string): Array<{ line: string; args: string[] }> {
  const commands = [];
  let block: string | undefined; // the language of the fenced block the line is in
  let continued = ''; // the start of a command that goes on on the next line (`\`)
  for (const raw of markdown.split('\n')) {
    if (raw.startsWith('```')) {
      block = block === undefined ? raw.slice(3).trim() : undefined;
      continue;
    }
    if (raw.trimEnd().endsWith('\\')) {
      continued += `${raw.trimEnd().slice(0, -1).trim()} `;
      continue;
    }
    const line = `${continued}${raw.trim()}`;
    continued = '';
    if (!['bash', 'sh', 'shell'].includes(block ?? '') || !/^(npx )?om-kinesis( |$)/.test(line)) continue;
    const words = shellWords(line);
    const start = words.indexOf('om-kinesis') + 1;
    // What the shell does with the rest: a comment, a redirection, a pipe.
    const end = words.findIndex((word, index) => index >= start && /^(#|>|\||&&)/.test(word));
    commands.push({ line, args: words.slice(start, end === -1 ? undefined : end) });
  }
  return commands;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** Parses `args` as the CLI does, running nothing: the commander error for what it refuses. */
async function parseOnly(args: string[]): Promise<Error | undefined> {
  const program = buildProgram();
  const quiet = (command: Command): void => {
    command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    command.action(() => {});
    command.commands.forEach(quiet);
  };
  quiet(program);
  try {
    await program.parseAsync(['node', 'om-kinesis', ...args]);
    return undefined;
  } catch (error) {
    // Asked for the help or the version: accepted.
    const code = (error as { code?: string }).code;
    return code === 'commander.helpDisplayed' || code === 'commander.version' ? undefined : (error as Error);
  }
}

describe('README and docs', function () {
  this.timeout(60_000);

  it('the README fits in about 250 lines and states the exit codes', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme.split('\n').length).to.be.at.most(250);
    for (const code of [EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_CONFIG, EXIT_INTERRUPTED])
      expect(readme).to.match(new RegExp(`^\\| ${code} +\\| \\S`, 'm'));
    for (const page of ['operations', 'security', 'performance', 'architecture', 'openmetadata'])
      expect(readme).to.include(`](docs/${page}.md`);
  });

  it('every om-kinesis command the README and docs/ show is one the CLI accepts', async () => {
    let checked = 0;
    for (const page of pages) {
      for (const { line, args } of commandsOf(readFileSync(path.join(root, page), 'utf8'))) {
        const refused = await parseOnly(args);
        expect(refused?.message, `${page}: ${line}`).to.equal(undefined);
        checked += 1;
      }
    }
    expect(checked, 'commands found').to.be.at.least(20);
  });

  it('examples/kinesis.yaml is valid, for a local run and for a cluster', async () => {
    const example = path.join(root, 'examples', 'kinesis.yaml');
    const local = await runOmKinesis(['validate', '-c', example], {
      AWS_SECRET_ACCESS_KEY: 'x',
      OPENMETADATA_JWT_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.test.token',
    });
    expect(local.code, local.stderr).to.equal(0);
    expect(local.stderr, 'no warning').to.equal('');
    expect(local.stdout).to.include('valid for a local run. Service orders_kinesis, region eu-west-1');

    const cluster = await runOmKinesis(
      ['validate', '-c', example, '--address', '127.0.0.1:7233'],
      {},
      {
        unset: ['AWS_SECRET_ACCESS_KEY', 'OPENMETADATA_JWT_TOKEN'],
      },
    );
    expect(cluster.code, cluster.stderr).to.equal(0);
    expect(cluster.stderr).to.include(
      'every worker must have AWS_SECRET_ACCESS_KEY, OPENMETADATA_JWT_TOKEN set',
    );
  });
});
