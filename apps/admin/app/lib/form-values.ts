import { TZDate } from "@date-fns/tz";

/** "25", "25.5", "25,50" → 2550 minor units; null when it is not an amount. */
export function parseAmount(raw: string): number | null {
  const s = raw.trim().replace(",", ".");
  if (s === "") return 0;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ""] = s.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** A datetime-local value ("2026-12-01T15:00") read in the venue's time zone. */
export function parseVenueTime(raw: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return new Date(new TZDate(y, mo - 1, d, h, mi, 0, timeZone).getTime());
}

/** A moment as a datetime-local value ("2026-12-01T15:00") in the venue's time zone. */
export function venueTimeValue(at: Date, timeZone: string): string {
  const d = new TZDate(at.getTime(), timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
