/** The one money formatter: integer minor units → localized string. */
/**
 * Intl formatters by locale and options. Building one parses locale data (tens of microseconds);
 * a page formats dozens of dates and numbers per render, so each distinct formatter is built once
 * per process. The key space is tiny (a few locales × a few option sets × the one display zone).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, currency?: string): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ""}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, currency ? { style: "currency", currency } : {});
    numberFormats.set(key, f);
  }
  return f;
}

function dateFormat(locale: string, time: boolean, timeZone: string | undefined) {
  const key = `${locale}|${time ? 1 : 0}|${timeZone ?? ""}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      ...(time ? { timeStyle: "short" } : {}),
      timeZone,
    });
    dateFormats.set(key, f);
  }
  return f;
}

export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  return numberFormat(locale, currency).format(minor / 100);
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
  return dateFormat(locale, opts.time === true, calendarDate ? "UTC" : displayTimeZone).format(d);
}

export function formatNumber(n: number, locale = "en-GB"): string {
  return numberFormat(locale).format(n);
}
