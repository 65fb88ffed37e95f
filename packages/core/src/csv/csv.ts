/**
 * CSV for people's spreadsheets, one set of rules for every export (the admin list, where
 * PostgreSQL's COPY writes the rows, and the privacy download, written here).
 *
 * Formula injection (OWASP "CSV Injection"): a cell a spreadsheet would run as a formula, text
 * starting with =, +, -, @, tab or carriage return, gets a leading apostrophe, so it shows as
 * text (which also keeps an E.164 phone's "+" instead of turning it into a number). Only text
 * from people is guarded; numbers and dates are ours.
 */
export const FORMULA_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"] as const;

/** The triggers' character codes, for the same check in SQL (`ascii(cell) in (…)`). */
export const FORMULA_TRIGGER_CODES = FORMULA_TRIGGERS.map((c) => c.charCodeAt(0));

/** Text a spreadsheet shows as text, never runs. */
export function formulaSafe(text: string): string {
  return (FORMULA_TRIGGERS as readonly string[]).includes(text.charAt(0)) ? `'${text}` : text;
}

/** One field, quoted as RFC 4180 says when it holds a quote, comma or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A cell's value: text from people (`personText`, guarded), our own text (dates, codes,
 * enum values) or numbers, or nothing.
 */
export type CsvCell = { text: string | null } | string | number | null;

/** Marks a value as text from people, so it gets the formula guard. */
export const personText = (text: string | null | undefined): CsvCell => ({ text: text ?? null });

function cell(value: CsvCell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return csvField(value);
  return value.text === null ? "" : csvField(formulaSafe(value.text));
}

/**
 * A whole CSV document: a UTF-8 byte order mark (so spreadsheet apps read UTF-8), the header
 * row, then the rows; lines end in LF, as the admin export's do.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvField).join(",")];
  for (const row of rows) lines.push(row.map(cell).join(","));
  return `\uFEFF${lines.join("\n")}\n`;
}
