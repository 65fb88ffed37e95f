/**
 * The dashboard's date range in the URL: `?range=<preset>` or `?from=YYYY-MM-DD&to=YYYY-MM-DD`
 * (venue days, both included). The API checks the range again; this only turns the URL into
 * one and names it.
 */
export const RANGE_PRESETS = [
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "90d", label: "Last 90 days" },
  { id: "month", label: "This month" },
  { id: "last-month", label: "Last month" },
  { id: "ytd", label: "Year to date" },
  { id: "12m", label: "Last 12 months" },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["id"];
export const DEFAULT_PRESET: RangePreset = "30d";

export interface ChosenRange {
  preset: RangePreset | "custom";
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const isDay = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Today in the venue's time zone. */
export function venueToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  switch (preset) {
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    case "month":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "last-month": {
      const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
      const last = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
      return { from: first, to: last };
    }
    case "ytd":
      return { from: `${y}-01-01`, to: today };
    case "12m":
      return { from: addDays(today, -364), to: today };
  }
}

/** The range a dashboard URL asks for; a malformed one falls back to the default, said why. */
export function rangeFromUrl(
  url: URL,
  timeZone: string,
  now = new Date(),
): { range: ChosenRange; error: string | null } {
  const today = venueToday(timeZone, now);
  const from = url.searchParams.get("from");
  const to = url.searchParams.get("to");
  const preset = url.searchParams.get("range");
  if (from !== null || to !== null) {
    if (isDay(from) && isDay(to)) return { range: { preset: "custom", from, to }, error: null };
    return {
      range: { preset: DEFAULT_PRESET, ...presetRange(DEFAULT_PRESET, today) },
      error: "Choose both a start and an end date.",
    };
  }
  const known = RANGE_PRESETS.find((p) => p.id === preset)?.id ?? DEFAULT_PRESET;
  return { range: { preset: known, ...presetRange(known, today) }, error: null };
}
