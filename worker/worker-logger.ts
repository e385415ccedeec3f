import { DefaultLogger, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { DESCRIBE_TASK_QUEUE_SUFFIX } from '../common/run-input.js';

/**
 * The SDK's logger, less its warning that the describe worker polls no workflow tasks: that
 * worker runs activities only, by design (see create-worker.ts), and operators need not see it.
 */
export class IngestionWorkerLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const taskQueue = typeof meta?.taskQueue === 'string' ? meta.taskQueue : '';
    if (message.startsWith('No workflows registered') && taskQueue.endsWith(DESCRIBE_TASK_QUEUE_SUFFIX))
      return;
    super.log(level, message, meta);
  }
}
