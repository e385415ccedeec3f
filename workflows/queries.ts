import { defineQuery } from '@temporalio/workflow';
import type { BatchProgress, RunProgress } from '../common/progress.js';

/** Streams done / total, per-outcome counts and failures so far (see common/progress.ts). */
export const progressQuery = defineQuery<RunProgress>('progress');

/** A batch's own counts so far. */
export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');
