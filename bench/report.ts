import { readFileSync } from "node:fs";

/** One line of the results table (bench/results/latest.json, docs/performance.md). */
export interface Row {
  scenario: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Requests (or rows, emails: see unit) per second. */
  throughput: number | null;
  unit?: string;
  peakRssMb: number | null;
  rawP50: number | null;
  ratio: number | null;
  budget: string;
  met: boolean | null;
  note?: string;
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
export const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** A process's resident set now, in MB (0 once it is gone). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set of a process while `fn` runs (sampled from /proc every `everyMs`). */
export async function withPeakRss<T>(
  pid: number,
  fn: () => Promise<T>,
  everyMs = 20,
): Promise<[T, number]> {
  const rss = () => rssMb(pid);
  let peak = rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, everyMs);
  try {
    const result = await fn();
    peak = Math.max(peak, rss());
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}
