import type { Env } from "@xplorium/config";
import { z } from "zod";
import { AppError } from "../errors";

/** The venue's time zone: which day a visit, a sign-up or a tier change falls on. */
export type AnalyticsConfig = Pick<Env, "TIME_ZONE">;

const DAY_MS = 86_400_000;
/** Longest range the dashboard compares (its previous period doubles it, retention triples). */
export const MAX_RANGE_DAYS = 5 * 366;

const isoDay = z.iso.date({ message: "Enter a date as YYYY-MM-DD." });

/** A range of venue days, both ends included. */
export const dateRangeInput = z.object({ from: isoDay, to: isoDay });
export type DateRangeInput = z.input<typeof dateRangeInput>;

const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `day` plus `n` calendar days (n may be negative). */
export const addDays = (day: string, n: number) => fromUtc(toUtc(day) + n * DAY_MS);
/** Whole days from `a` to `b`. */
export const daysBetween = (a: string, b: string) => Math.round((toUtc(b) - toUtc(a)) / DAY_MS);

/** Today's date in `timeZone` (YYYY-MM-DD). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export type Bucket = "day" | "week" | "month";

export interface Period {
  from: string;
  to: string;
}

/**
 * The chosen range and the periods it is compared with: `previous` is as long and ends the day
 * before it starts; `beforePrevious` is the one before that (the previous period's retention
 * needs it).
 */
export interface ComparedRange extends Period {
  days: number;
  previous: Period;
  beforePrevious: Period;
  /** Chart granularity: days up to a month, weeks up to half a year, then months. */
  bucket: Bucket;
}

export function compareRange(raw: DateRangeInput): ComparedRange {
  const { from, to } = dateRangeInput.parse(raw);
  if (from > to) {
    throw new AppError("BAD_REQUEST", "The range must start on or before its last day.", {
      fieldErrors: { to: ["Must be on or after the start."] },
    });
  }
  const days = daysBetween(from, to) + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new AppError("BAD_REQUEST", "Choose a range of at most five years.", {
      fieldErrors: { from: ["At most five years before the end."] },
    });
  }
  const previous = { from: addDays(from, -days), to: addDays(from, -1) };
  return {
    from,
    to,
    days,
    previous,
    beforePrevious: { from: addDays(from, -2 * days), to: addDays(from, -days - 1) },
    bucket: days <= 31 ? "day" : days <= 183 ? "week" : "month",
  };
}

/** The default range: the 30 days ending today. */
export function defaultRange(timeZone: string, now = new Date()): Period {
  const to = todayIn(timeZone, now);
  return { from: addDays(to, -29), to };
}

/** First day of the bucket holding `day` (weeks start on Monday, as PostgreSQL's date_trunc). */
export function bucketStart(day: string, bucket: Bucket): string {
  if (bucket === "day") return day;
  if (bucket === "month") return `${day.slice(0, 7)}-01`;
  const weekday = (new Date(toUtc(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every bucket start from the one holding `from` to the one holding `to`. */
export function bucketsOf(range: Period, bucket: Bucket): string[] {
  const out: string[] = [];
  let cur = bucketStart(range.from, bucket);
  while (cur <= range.to) {
    out.push(cur);
    if (bucket === "day") cur = addDays(cur, 1);
    else if (bucket === "week") cur = addDays(cur, 7);
    else {
      const [y, m] = cur.split("-").map(Number) as [number, number];
      cur = fromUtc(Date.UTC(y, m, 1));
    }
  }
  return out;
}

/**
 * The ranges the admin's presets ask for on `today` (apps/admin/app/lib/date-range.ts): the
 * refresh counts them ahead. A preset defined differently there is only slower, never wrong.
 */
export function standardRanges(today: string): Period[] {
  const [y, m] = today.split("-").map(Number) as [number, number];
  return [
    { from: addDays(today, -6), to: today },
    { from: addDays(today, -29), to: today },
    { from: addDays(today, -89), to: today },
    { from: addDays(today, -364), to: today },
    { from: `${today.slice(0, 7)}-01`, to: today },
    { from: fromUtc(Date.UTC(y, m - 2, 1)), to: fromUtc(Date.UTC(y, m - 1, 0)) },
    { from: `${y}-01-01`, to: today },
  ];
}
