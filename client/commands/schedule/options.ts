// The option shapes of the schedule commands.
import type { TemporalFlags } from '../../temporal-connection.js';

export interface ConnectionFlags extends TemporalFlags {
  taskQueue?: string;
}

export interface TimingFlags {
  cron?: string;
  every?: number;
  jitter?: number;
  timeZone?: string;
}
export interface ScheduleCreateCommandOptions extends ConnectionFlags, TimingFlags {
  config: string;
  paused?: boolean;
  note?: string;
  update?: boolean;
}

export interface ScheduleUpdateCommandOptions extends ConnectionFlags, TimingFlags {
  config: string;
  /** Whether --task-queue was given (otherwise the schedule keeps its task queue). */
  taskQueueGiven: boolean;
}

export interface ScheduleCommandOptions extends ConnectionFlags {
  note?: string;
  json?: boolean;
}
