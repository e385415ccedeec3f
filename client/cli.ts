import { readFileSync } from 'node:fs';
import { NamespaceNotFoundError } from '@temporalio/common';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { IngestCommandOptions } from './commands/ingest.js';
import type { InputCommandOptions } from './commands/input.js';
import { addScheduleCommand } from './commands/schedule/index.js';
import { printable } from '../common/printable.js';
import { CliExit, EXIT_BAD_CONFIG, EXIT_OK, EXIT_RUN_FAILED } from './cli-exit.js';
import { exitAtOnceOnInterrupt } from './interrupts.js';
import { errorText } from './error-text.js';
import { SealedSecretError } from '../common/sealed-secrets.js';
import type { StatusCommandOptions } from './commands/status.js';
import type { WorkerCommandOptions } from './commands/worker.js';
import type { TemporalFlags } from './temporal-connection.js';
import { addWorkerPolicyOptions } from './commands/worker-policy-flags.js';
import { addWorkerOperationsOptions } from './commands/worker-operations.js';

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number');
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = wholeNumber(value);
  if (parsed < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return parsed;
}

/** The run options that read stream tags, for the commands that build a run input. */
function tagOptions(command: Command): Command {
  return command
    .option(
      '--stream-tags',
      "read each stream's tags into its topic (ListTagsForStream: 5 per second per account, the run's pace)",
    )
    .option(
      '--owner-tag-key <key>',
      "set a topic's owner from this tag: an OpenMetadata user or team (implies --stream-tags)",
    );
}

/** What --address means for a command: where it runs without one, or that it needs one. */
type AddressUse = 'local-without' | 'required';

function temporalOptions(command: Command, address: AddressUse = 'required'): Command {
  return command
    .option(
      '--address <host:port>',
      `Temporal frontend address (env TEMPORAL_ADDRESS); ${address === 'required' ? 'required' : 'none = run locally'}`,
    )
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE)', undefined)
    .option('--tls', 'connect with TLS (implied by the TLS paths and --api-key)')
    .option('--tls-cert-path <file>', 'client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH)')
    .option('--tls-key-path <file>', 'client key for mTLS (env TEMPORAL_TLS_CLIENT_KEY_PATH)')
    .option('--tls-ca-path <file>', 'server CA certificate (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)')
    .option('--tls-server-name <name>', 'TLS server name override (env TEMPORAL_TLS_SERVER_NAME)')
    .option('--api-key <key>', 'Temporal Cloud API key (env TEMPORAL_API_KEY; prefer the variable)')
    .option('--task-queue <name>', 'task queue of the workers', 'om-kinesis');
}

/** The version of the package this CLI belongs to. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export function buildProgram(): Command {
  const program = new Command('om-kinesis')
    .description('Catalogue AWS Kinesis Data Streams in OpenMetadata, as durable Temporal workflows')
    .version(packageVersion(), '-V, --version', 'print the version of om-kinesis')
    .showHelpAfterError("(add --help for the command's options)")
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 done; 1 the run failed or did not meet its threshold (or the command could not do its work); 2 the invocation or the config is wrong; 130 interrupted (Ctrl-C).',
    );

  tagOptions(
    temporalOptions(
      program
        .command('ingest')
        .description('validate the config, then run one ingestion and print its summary')
        .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`'),
      'local-without',
    ),
  )
    .option('--dry-run', 'compute everything, write nothing to OpenMetadata, print what would be written')
    .option('--sample-size <n>', 'most sample messages per topic (default 50)', wholeNumber)
    .option('--stream-concurrency <n>', 'streams processed at once per batch (default 20)', positiveInteger)
    .option('--batch-size <n>', 'streams per batch workflow (default 200)', positiveInteger)
    .option('--no-wait', 'with a cluster: start the run and return without waiting for it')
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'no live progress on stderr while waiting (--json implies it)')
    .action(async (options: IngestCommandOptions) => {
      const { ingestCommand } = await import('./commands/ingest.js');
      process.exitCode = await ingestCommand(options);
    });

  temporalOptions(
    program
      .command('status')
      .description("show a service's run: follow it with live progress until it ends, or how it ended")
      .argument('<service>', 'the serviceName of the config'),
  )
    .option('--once', 'print the current progress once and exit, without following the run')
    .option('--json', 'print the progress or the outcome as JSON (no live progress)')
    .option('--no-progress', 'no live progress on stderr while following the run')
    .action(async (service: string, options: StatusCommandOptions) => {
      const { statusCommand } = await import('./commands/status.js');
      process.exitCode = await statusCommand(service, options);
    });

  temporalOptions(
    program
      .command('validate')
      .description(
        'check the config exactly as `ingest` would for the same target (a cluster with --address, else a local run); start nothing',
      )
      .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`'),
    'local-without',
  ).action(async (options: { config: string } & TemporalFlags) => {
    const { validateCommand } = await import('./commands/validate.js');
    await validateCommand(options);
  });

  tagOptions(program.command('input'))
    .description('print the workflow input `ingest` would send (for `temporal workflow start --input-file`)')
    .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`')
    .option('--dry-run', 'make it a dry run')
    .option('--sample-size <n>', 'most sample messages per topic (default 50)', wholeNumber)
    .action(async (options: InputCommandOptions) => {
      const { inputCommand } = await import('./commands/input.js');
      await inputCommand(options);
    });

  addWorkerPolicyOptions(
    addWorkerOperationsOptions(
      temporalOptions(
        program.command('worker').description('run a worker for a Temporal cluster until Ctrl-C'),
      ),
    ),
  )
    .option(
      '--max-concurrent-activities <n>',
      'activities this worker runs at once (default 100)',
      positiveInteger,
    )
    .option(
      '--describe-rate <n>',
      "DescribeStreamSummary calls per second for all workers of the task queue together (default 20, AWS's quota per account); lower it when other tools use the account's quota, and give every worker the same value",
      positiveInteger,
    )
    .option(
      '--no-quota-pacing',
      "do not pace Kinesis calls at AWS's per-account quotas (for endpoints without them, e.g. emulators)",
    )
    .addOption(
      new Option('--log-level <level>', 'worker log level')
        .choices(['DEBUG', 'INFO', 'WARN', 'ERROR'])
        .default('INFO'),
    )
    .action(async (options: WorkerCommandOptions) => {
      const { workerCommand } = await import('./commands/worker.js');
      await workerCommand(options);
    });

  addScheduleCommand(program, temporalOptions);

  return program;
}

/** commander's outcomes that are not mistakes: the help or the version, as asked. */
const COMMANDER_ANSWERS = new Set(['commander.helpDisplayed', 'commander.version']);

export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeOf(error);
  } finally {
    exitAtOnceOnInterrupt();
  }
}

/** Prints what went wrong (never a stack trace) and returns the exit code it calls for. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander printed the problem, or the help / version it was asked for. Any other outcome
    // (an unknown option, a missing -c, no command at all) is a wrong invocation.
    return COMMANDER_ANSWERS.has(error.code) ? EXIT_OK : EXIT_BAD_CONFIG;
  }
  if (error instanceof CliExit) {
    console.error(printable(error.message));
    return error.exitCode;
  }
  if (error instanceof NamespaceNotFoundError) {
    console.error(
      printable(
        `om-kinesis: the Temporal cluster has no namespace ${error.namespace} (from --namespace or TEMPORAL_NAMESPACE; "default" when neither is set): check the name, or create it with: temporal operator namespace create --namespace ${error.namespace}`,
      ),
    );
    return EXIT_RUN_FAILED;
  }
  // A sealing key or sealed value the CLI cannot use is the invocation's, before anything started.
  if (error instanceof SealedSecretError) {
    console.error(printable(`om-kinesis: ${error.message}`));
    return EXIT_BAD_CONFIG;
  }
  // The SDK's own messages are generic ("Failed to start Workflow"): the causes say why.
  console.error(printable(`om-kinesis: ${errorText(error)}`));
  return EXIT_RUN_FAILED;
}
