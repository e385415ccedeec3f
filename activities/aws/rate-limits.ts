// Client-side pacing of the AWS calls whose quota is per account. A crawl that fires
// them as fast as its concurrency allows gets throttled (LimitExceededException), backs off,
// and ends up slower than one that spaces its calls at the quota: pacing keeps every call
// useful. Each worker paces its own calls; N workers of one account each take 1/N of the quota
// (`share`), so that together they stay within it. The worker keeps its share up to date with
// the number of workers it sees (worker/quota-share-watch.ts).
import type { GlueClient } from '@aws-sdk/client-glue';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { THROTTLING_ERRORS } from './aws-errors.js';

/**
 * AWS's per-account quotas (calls per second) of the Kinesis calls the connector makes.
 * ListTagsForStream is made only when a run reads tags; its quota is then the run's floor.
 */
export const AWS_ACCOUNT_QUOTAS: Readonly<Record<string, number>> = {
  ListStreams: 5,
  DescribeStreamSummary: 20,
  ListTagsForStream: 5,
};

/**
 * The pace of Glue Schema Registry lookups. AWS publishes no per-API quota for
 * GetSchemaVersion: this is a conservative pace of our own (lookups are cached, so a run makes
 * one per schema version it meets).
 */
export const GLUE_ACCOUNT_QUOTAS: Readonly<Record<string, number>> = { GetSchemaVersion: 10 };

export interface AwsRateLimitOptions {
  /** Calls per second per API, over {@link AWS_ACCOUNT_QUOTAS}; 0 or Infinity: not paced. */
  perSecond?: Record<string, number>;
  /**
   * Share of each quota this worker uses (0 < share <= 1): 1/N when N workers crawl one
   * account. A {@link QuotaShare} can change while the worker runs.
   */
  share?: number | QuotaShare;
}

export class InvalidRateLimitError extends Error {
  readonly code = 'INVALID_AWS_RATE_LIMIT';
}

function checkedShare(share: number): number {
  if (!(share > 0 && share <= 1)) {
    throw new InvalidRateLimitError(`the AWS quota share must be above 0 and at most 1, got ${share}`);
  }
  return share;
}

/** A worker's share of the account's quotas, updated as workers come and go. */
export class QuotaShare {
  private static created = 0;
  private readonly id = `quota-share-${QuotaShare.created++}`;
  private current: number;

  constructor(initial = 1) {
    this.current = checkedShare(initial);
  }

  get value(): number {
    return this.current;
  }

  set(share: number): void {
    this.current = checkedShare(share);
  }

  /** What the AWS client cache keys on: one set of clients per share, whatever its value. */
  toJSON(): string {
    return this.id;
  }
}

/** Calls per second per API that one worker paces at; an API missing here is not paced. */
export function effectiveRates(
  options: AwsRateLimitOptions = {},
  quotas: Readonly<Record<string, number>> = AWS_ACCOUNT_QUOTAS,
): Record<string, number> {
  const share = options.share instanceof QuotaShare ? options.share.value : checkedShare(options.share ?? 1);
  const rates: Record<string, number> = {};
  for (const [api, perSecond] of Object.entries({ ...quotas, ...options.perSecond })) {
    if (perSecond > 0 && Number.isFinite(perSecond)) rates[api] = perSecond * share;
  }
  return rates;
}

/**
 * Spaces call starts evenly, in arrival order, so that at most `rate` of them start in any
 * second plus a margin. Even spacing (rather than bursts of a second's quota) keeps calls
 * from queueing behind each other on their way out, and the margin absorbs the jitter between
 * a call's start here and its arrival at AWS, which counts calls per second.
 *
 * A busy event loop fires timers late. Half the margin of such lateness is made up by
 * starting the next call sooner (or the crawl would fall behind the quota a little at every
 * late timer); beyond that the schedule slips, rather than releasing held-back calls at once.
 *
 * Making up lateness shortens one interval, so on its own the spacing could fit one call more
 * than `rate` into a second. A hard cap therefore also holds: at most floor(rate) starts in any
 * window of a second plus the margin. With N workers at 1/N of a quota each, their caps add up
 * to at most the quota in any such window, however their calls fall. (A share that does not
 * divide the quota, e.g. 20/s between 3 workers, then runs a little below it: 3 x 6, not 20.)
 */
export class CallPacer {
  private nextSlot = -Infinity;
  /** Start times within the last cap window, oldest first. */
  private readonly starts: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `perSecond` is read at every call: a worker's share of a quota changes as workers come and go. */
  constructor(
    private readonly perSecond: number | (() => number),
    private readonly marginMs = DEFAULT_MARGIN_MS,
  ) {}

  /** Resolves when the caller may start its call. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.releaseNext(false);
    });
  }

  /** `onTimer`: a call that waited for its slot, whose timer may have fired late. */
  private releaseNext(onTimer: boolean): void {
    if (this.timer || this.waiting.length === 0) return;
    const now = performance.now();
    const perSecond = typeof this.perSecond === 'number' ? this.perSecond : this.perSecond();
    const due = Math.max(this.nextSlot, this.capFreesAt(now, perSecond));
    if (due > now) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.releaseNext(true);
      }, due - now);
      return;
    }
    // A call that finds the pacer idle has no lateness to make up: the interval counts from now.
    const from = onTimer ? Math.max(this.nextSlot, now - this.marginMs / 2) : now;
    this.nextSlot = from + (1000 + this.marginMs) / perSecond;
    this.starts.push(now);
    this.waiting.shift()?.();
    this.releaseNext(false);
  }

  /** When the cap window next has room (-Infinity: now). Below 1/s, the spacing alone suffices. */
  private capFreesAt(now: number, perSecond: number): number {
    const windowMs = 1000 + this.marginMs;
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - windowMs) this.starts.shift();
    const cap = Math.floor(perSecond);
    if (cap < 1 || this.starts.length < cap) return -Infinity;
    return (this.starts[this.starts.length - cap] as number) + windowMs;
  }
}

/** 5% of a second: costs 5% of the quota, tolerates 50 ms of jitter over a second's calls. */
const DEFAULT_MARGIN_MS = 50;

const MIDDLEWARE_NAME = 'omKinesisAccountQuotaPacing';

/**
 * Paces every attempt of the client's calls (retries included: the middleware runs after the
 * SDK's retry middleware) at the given rates: Kinesis's quotas, or Glue's pace. `onWait` is told
 * how long each paced call waited.
 */
export function paceCalls(
  client: KinesisClient | GlueClient,
  options: AwsRateLimitOptions = {},
  quotas: Readonly<Record<string, number>> = AWS_ACCOUNT_QUOTAS,
  onWait?: (operation: string, seconds: number) => void,
): void {
  const share = options.share instanceof QuotaShare ? options.share : new QuotaShare(options.share ?? 1);
  const pacers = new Map(
    Object.entries(effectiveRates({ ...options, share: 1 }, quotas)).map(([api, rate]) => [
      api,
      new CallPacer(() => rate * share.value),
    ]),
  );
  if (pacers.size === 0) return;
  (client.middlewareStack as KinesisClient['middlewareStack']).add(
    (next, context) => async (args) => {
      const api = context.commandName?.replace(/Command$/, '');
      const pacer = api ? pacers.get(api) : undefined;
      if (api && pacer) {
        const queued = performance.now();
        await pacer.acquire();
        onWait?.(api, (performance.now() - queued) / 1000);
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME },
  );
}

/**
 * Tells `onThrottled` of every attempt AWS answers with a throttling error: each attempt, as
 * the middleware runs after the SDK's retry middleware, which retries them.
 */
export function countThrottles(
  client: { middlewareStack: KinesisClient['middlewareStack'] },
  onThrottled: ((operation: string) => void) | undefined,
): void {
  if (!onThrottled) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && THROTTLING_ERRORS.has(error.name))
          onThrottled(context.commandName?.replace(/Command$/, '') ?? 'unknown');
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'omKinesisThrottleCount' },
  );
}
