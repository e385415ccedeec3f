import { Command, InvalidArgumentError, Option } from 'commander';
import type { IngestCommandOptions } from './commands/ingest.js';
import type { InputCommandOptions } from './commands/input.js';
import { addScheduleCommand } from './commands/schedule/index.js';
import { CliExit, EXIT_RUN_FAILED } from './commands/shared.js';
import type { StatusCommandOptions } from './commands/status.js';
import type { WorkerCommandOptions } from './commands/worker.js';

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

function temporalOptions(command: Command): Command {
  return command
    .option('--address <host:port>', 'Temporal frontend address (env TEMPORAL_ADDRESS); none = run locally')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE)', undefined)
    .option('--tls', 'connect with TLS (implied by the TLS paths and --api-key)')
    .option('--tls-cert-path <file>', 'client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH)')
    .option('--tls-key-path <file>', 'client key for mTLS (env TEMPORAL_TLS_CLIENT_KEY_PATH)')
    .option('--tls-ca-path <file>', 'server CA certificate (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)')
    .option('--tls-server-name <name>', 'TLS server name override (env TEMPORAL_TLS_SERVER_NAME)')
    .option('--api-key <key>', 'Temporal Cloud API key (env TEMPORAL_API_KEY; prefer the variable)')
    .option('--task-queue <name>', 'task queue of the workers', 'om-kinesis');
}

export function buildProgram(): Command {
  const program = new Command('om-kinesis')
    .description('Catalogue AWS Kinesis Data Streams in OpenMetadata, as durable Temporal workflows')
    .showHelpAfterError()
    .exitOverride();

  tagOptions(
    temporalOptions(
      program
        .command('ingest')
        .description('validate the config, then run one ingestion and print its summary')
        .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`'),
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

  program
    .command('validate')
    .description('check the config as `ingest` does, start nothing')
    .requiredOption('-c, --config <file>', 'the YAML you give `metadata ingest -c`')
    .action(async (options: { config: string }) => {
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

  temporalOptions(program.command('worker').description('run a worker for a Temporal cluster until Ctrl-C'))
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

export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliExit) {
      console.error(error.message);
      process.exitCode = error.exitCode;
    } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('commander.')) {
      // commander already printed the problem (or the help / version it was asked for).
      process.exitCode = (error as { exitCode?: number }).exitCode ?? 2;
    } else {
      console.error(`om-kinesis: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT_RUN_FAILED;
    }
  }
}
