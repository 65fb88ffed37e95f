/** The one money formatter: integer minor units → localized string. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
}

/** The one date formatter. */
export function formatDate(
  value: Date | string | null | undefined,
  opts: { time?: boolean } = {},
  locale = "en-GB",
): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    ...(opts.time ? { timeStyle: "short" } : {}),
  }).format(d);
}

export function formatNumber(n: number, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale).format(n);
}
