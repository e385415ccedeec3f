import {
  DefaultLogger,
  makeTelemetryFilterString,
  type LogLevel,
  type LogMetadata,
  type RuntimeOptions,
} from '@temporalio/worker';
import { printable } from '../common/printable.js';
import { DESCRIBE_TASK_QUEUE_SUFFIX } from '../common/run-input.js';

/**
 * The SDK's logger, with control characters of messages shown as escapes (stream names and
 * server answers reach logs), less its warning that the describe worker polls no workflow tasks: that
 * worker runs activities only, by design (see create-worker.ts), and operators need not see it.
 * `omit` drops other messages a caller reports in its own words.
 */
export class IngestionWorkerLogger extends DefaultLogger {
  constructor(
    level: LogLevel,
    private readonly omit: (message: string) => boolean = () => false,
  ) {
    super(level);
  }

  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const taskQueue = typeof meta?.taskQueue === 'string' ? meta.taskQueue : '';
    if (message.startsWith('No workflows registered') && taskQueue.endsWith(DESCRIBE_TASK_QUEUE_SUFFIX))
      return;
    if (this.omit(message)) return;
    super.log(level, printable(message), meta);
  }
}

/**
 * Runtime options that send every log of the SDK to `logger` (stderr) at `level`: the native
 * core's too, which by default writes to stdout, where a command's output goes. The core's own
 * INFO lines (each poller starting and stopping) are left for DEBUG, as the SDK does by default.
 */
export function sdkLogging(
  logger: IngestionWorkerLogger,
  level: LogLevel,
): Pick<RuntimeOptions, 'logger' | 'telemetryOptions'> {
  const core: LogLevel = level === 'INFO' ? 'WARN' : level;
  return {
    logger,
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core }) } },
  };
}
