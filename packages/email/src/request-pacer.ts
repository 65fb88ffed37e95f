/**
 * Keeps requests to the email provider under its rate limit (Resend: 2 requests a second per
 * team by default), shared by everything in the process that sends through it.
 *
 * A token bucket in its "virtual scheduling" form (GCRA): each request reserves the next free
 * slot synchronously, so concurrent callers queue up fairly and never burst past the limit, and
 * nobody sleeps per email: a batch of 100 emails is one request and waits for one slot.
 */
export interface RequestPacer {
  /** Resolves when the caller may send one request. */
  take(signal?: AbortSignal): Promise<void>;
  /** Nobody sends for `ms` (the provider answered 429 with Retry-After). */
  pause(ms: number): void;
  readonly requestsPerSecond: number;
}

export interface PacerOptions {
  /** 0 = no limit (a local fake in benchmarks). */
  requestsPerSecond: number;
  /** Requests that may go at once after a quiet spell; 1 spaces every request evenly. */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function createRequestPacer(opts: PacerOptions): RequestPacer {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;
  const rate = opts.requestsPerSecond;
  const interval = rate > 0 ? 1000 / rate : 0;
  const burst = Math.max(1, opts.burst ?? 1);
  // The theoretical arrival time of the next request; slots are handed out from here.
  let tat = 0;
  let pausedUntil = 0;
  return {
    requestsPerSecond: rate,
    async take(signal) {
      const t = now();
      const start = Math.max(t, pausedUntil);
      if (interval === 0) {
        if (start > t) await wait(start - t, signal);
        return;
      }
      tat = Math.max(tat, start);
      const slot = tat - (burst - 1) * interval;
      tat += interval;
      const delay = Math.max(slot, start) - t;
      if (delay > 0) await wait(delay, signal);
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      tat = Math.max(tat, pausedUntil);
    },
  };
}
