// Client-side pacing of the Kinesis calls whose AWS quota is per account. A crawl that fires
// them as fast as its concurrency allows gets throttled (LimitExceededException), backs off,
// and ends up slower than one that spaces its calls at the quota: pacing keeps every call
// useful. Each worker paces its own calls; N workers of one account each take 1/N of the quota
// (`share`), so that together they stay within it.
import type { KinesisClient } from '@aws-sdk/client-kinesis';

/** AWS's per-account quotas (calls per second) of the Kinesis calls the connector makes. */
export const AWS_ACCOUNT_QUOTAS: Readonly<Record<string, number>> = {
  ListStreams: 5,
  DescribeStreamSummary: 20,
};

export interface AwsRateLimitOptions {
  /** Calls per second per API, over {@link AWS_ACCOUNT_QUOTAS}; 0 or Infinity: not paced. */
  perSecond?: Record<string, number>;
  /** Share of each quota this worker uses (0 < share <= 1): 1/N when N workers crawl one account. */
  share?: number;
}

export class InvalidRateLimitError extends Error {
  readonly code = 'INVALID_AWS_RATE_LIMIT';
}

/** Calls per second per API that one worker paces at; an API missing here is not paced. */
export function effectiveRates(options: AwsRateLimitOptions = {}): Record<string, number> {
  const share = options.share ?? 1;
  if (!(share > 0 && share <= 1)) {
    throw new InvalidRateLimitError(`the AWS quota share must be above 0 and at most 1, got ${share}`);
  }
  const rates: Record<string, number> = {};
  for (const [api, perSecond] of Object.entries({ ...AWS_ACCOUNT_QUOTAS, ...options.perSecond })) {
    if (perSecond > 0 && Number.isFinite(perSecond)) rates[api] = perSecond * share;
  }
  return rates;
}

/**
 * Spaces call starts evenly, in arrival order, so that at most `rate` of them start in any
 * second plus a margin. Even spacing (rather than bursts of a second's quota) keeps calls
 * from queueing behind each other on their way out, and the margin absorbs what jitter is
 * left between a call's start here and its arrival at AWS, which counts calls per second.
 */
export class CallPacer {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(perSecond: number, marginMs = DEFAULT_MARGIN_MS) {
    this.intervalMs = (1000 + marginMs) / perSecond;
  }

  /** Resolves when the caller may start its call. */
  async acquire(): Promise<void> {
    const now = performance.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}

/** 5% of a second: costs 5% of the quota, tolerates 50 ms of jitter over a second's calls. */
const DEFAULT_MARGIN_MS = 50;

const MIDDLEWARE_NAME = 'omKinesisAccountQuotaPacing';

/**
 * Paces every attempt of the client's calls (retries included: the middleware runs after the
 * SDK's retry middleware) at the given rates.
 */
export function paceKinesisCalls(client: KinesisClient, options: AwsRateLimitOptions = {}): void {
  const pacers = new Map(
    Object.entries(effectiveRates(options)).map(([api, rate]) => [api, new CallPacer(rate)]),
  );
  if (pacers.size === 0) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const api = context.commandName?.replace(/Command$/, '');
      const pacer = api ? pacers.get(api) : undefined;
      if (pacer) await pacer.acquire();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME },
  );
}
