/**
 * Waits until at least `ms` have passed since `started` (a performance.now() reading), so an
 * answer's timing does not tell which path it took (code-request-enumeration,
 * security-brute-force tests). Node's timers run on a millisecond clock and may fire up to a
 * millisecond early against performance.now(): it waits until the floor has really passed.
 */
export async function answerNoSoonerThan(started: number, ms: number): Promise<void> {
  for (
    let wait = ms - (performance.now() - started);
    wait > 0;
    wait = ms - (performance.now() - started)
  ) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}
