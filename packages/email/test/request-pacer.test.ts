import { createRequestPacer, parseRetryAfter } from "@xplorium/email";
import { describe, expect, it } from "vitest";

/** A pacer on a fake clock: `sleep` moves time on instead of waiting. */
function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    waits,
  };
}

describe("createRequestPacer", () => {
  it("spaces requests evenly at the configured rate, without waiting for the first", async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({ requestsPerSecond: 2, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it("hands out slots fairly to concurrent callers (one bucket for the process)", async () => {
    const now = 0;
    const granted: number[] = [];
    const pacer = createRequestPacer({
      requestsPerSecond: 4,
      now: () => now,
      sleep: async (ms) => {
        granted.push(now + ms);
      },
    });
    await Promise.all([pacer.take(), pacer.take(), pacer.take()]);
    // The first went at once; the others were given the next free slots.
    expect(granted).toEqual([250, 500]);
  });

  it("lets a burst through after a quiet spell, then paces", async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({
      requestsPerSecond: 10,
      burst: 3,
      now: clock.now,
      sleep: clock.sleep,
    });
    clock.advance(10_000);
    for (let i = 0; i < 5; i++) await pacer.take();
    expect(clock.waits).toEqual([100, 100]);
  });

  it("holds everyone back for a Retry-After pause", async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({ requestsPerSecond: 2, now: clock.now, sleep: clock.sleep });
    await pacer.take();
    pacer.pause(3000);
    await pacer.take();
    expect(clock.now()).toBe(3000);
    await pacer.take();
    expect(clock.now()).toBe(3500);
  });

  it("does not pace at 0 requests a second, but still honours a pause", async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({ requestsPerSecond: 0, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 100; i++) await pacer.take();
    expect(clock.waits).toEqual([]);
    pacer.pause(1000);
    await pacer.take();
    expect(clock.waits).toEqual([1000]);
  });

  it("stops waiting when the worker shuts down", async () => {
    const pacer = createRequestPacer({ requestsPerSecond: 0.01 });
    await pacer.take();
    const stop = new AbortController();
    const waiting = pacer.take(stop.signal);
    stop.abort(new Error("shutting down"));
    await expect(waiting).rejects.toThrow("shutting down");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("1")).toBe(1000);
    expect(parseRetryAfter(" 2.5 ")).toBe(2500);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(
      5000,
    );
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
