import { DefaultLogger, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { printable } from '../common/printable.js';
import { DESCRIBE_TASK_QUEUE_SUFFIX } from '../common/run-input.js';

/**
 * The SDK's logger, with control characters of messages shown as escapes (stream names and
 * server answers reach logs), less its warning that the describe worker polls no workflow tasks: that
 * worker runs activities only, by design (see create-worker.ts), and operators need not see it.
 */
export class IngestionWorkerLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const taskQueue = typeof meta?.taskQueue === 'string' ? meta.taskQueue : '';
    if (message.startsWith('No workflows registered') && taskQueue.endsWith(DESCRIBE_TASK_QUEUE_SUFFIX))
      return;
    super.log(level, printable(message), meta);
  }
}
