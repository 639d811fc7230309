/**
 * Client-side limits: a sliding-window rate limiter (stay under Cloudflare's 1,200 requests / 5 minutes) and a
 * counting semaphore (bounded concurrency). Time comes from an injected clock.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Cloudflare's documented limit for the API as a whole, per user or token. */
export const CLOUDFLARE_RATE_LIMIT: RateLimit = { requests: 1200, windowMs: 300_000 };

/**
 * Sliding-window log: at most `requests` acquisitions in any window of `windowMs`. `pauseUntil` stops every caller
 * until a moment (used when the server answers 429 with `Retry-After`).
 */
export class SlidingWindowLimiter {
  private readonly log: number[] = [];
  private pausedUntil = 0;
  /** Headroom for network and server delays: 1 % of the window, at most one second. */
  private readonly guardMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {
    if (!(limit.requests >= 1) || !(limit.windowMs > 0))
      throw new RangeError('rate limit must allow at least one request per window');
    this.guardMs = Math.min(1000, limit.windowMs / 100);
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      // A request leaves the window a little later than the server could count it (it arrives after it is sent).
      const window = this.limit.windowMs + this.guardMs;
      while (this.log.length && (this.log[0] as number) <= now - window) this.log.shift();
      if (this.pausedUntil > now) {
        await this.clock.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.log.length < this.limit.requests) {
        this.log.push(now);
        return;
      }
      await this.clock.sleep((this.log[0] as number) + window - now);
    }
  }

  pauseUntil(at: number): void {
    if (at > this.pausedUntil) this.pausedUntil = at;
  }

  /** Acquisitions inside the current window. */
  inWindow(): number {
    const now = this.clock.now();
    return this.log.filter((t) => t > now - this.limit.windowMs).length;
  }
}

/** A counting semaphore. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
