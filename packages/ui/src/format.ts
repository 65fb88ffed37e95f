/** The one money formatter: integer minor units → localized string. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
}

let displayTimeZone: string | undefined;

/**
 * Times are shown in the venue's time zone (TIME_ZONE), the same on the server and in the
 * browser, so server-rendered and hydrated text agree wherever staff sit. Each app's root sets it
 * from its loader data.
 */
export function setDisplayTimeZone(timeZone: string | undefined): void {
  displayTimeZone = timeZone;
}

/** The one date formatter. Calendar dates ("2019-04-02") are shown as that day everywhere. */
export function formatDate(
  value: Date | string | null | undefined,
  opts: { time?: boolean } = {},
  locale = "en-GB",
): string {
  if (!value) return "—";
  const calendarDate = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    ...(opts.time ? { timeStyle: "short" } : {}),
    timeZone: calendarDate ? "UTC" : displayTimeZone,
  }).format(d);
}

export function formatNumber(n: number, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale).format(n);
}
