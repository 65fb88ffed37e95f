import { strToU8, zipSync } from "fflate";
import { personText, toCsv } from "../csv/csv";
import type { PersonalData } from "./personal-data-export";

/** `2026-11-24 18:30:05`, as the admin export writes times (UTC, read as a date by spreadsheets). */
function utc(d: Date | null): string | null {
  return d ? d.toISOString().slice(0, 19).replace("T", " ") : null;
}

/** Minor units as a major-unit number, 1250 → "12.50" (hundredths, as formatMoney). */
const major = (minor: number) => (minor / 100).toFixed(2);

export function bookingsCsv(data: PersonalData): string {
  return toCsv(
    [
      "Date (UTC)",
      "Type",
      "Status",
      "Guests",
      "Amount",
      "Currency",
      "Source",
      "Completed (UTC)",
      "Cancelled (UTC)",
      "Contact name",
      "Contact email",
      "Contact phone",
      "Notes",
      "Booking id",
    ],
    data.bookings.map((b) => [
      utc(b.scheduledAt),
      b.type,
      b.status,
      b.guests,
      major(b.amount),
      b.currency,
      b.source,
      utc(b.completedAt),
      utc(b.cancelledAt),
      personText(b.contactName),
      personText(b.contactEmail),
      personText(b.contactPhone),
      personText(b.notes),
      b.id,
    ]),
  );
}

export function pointsCsv(data: PersonalData): string {
  return toCsv(
    [
      "Date (UTC)",
      "Points",
      "Reason",
      "Note",
      "Balance after",
      "Lifetime points after",
      "Booking id",
      "Voucher id",
    ],
    data.pointsLedger.map((l) => [
      utc(l.at),
      l.delta,
      l.reason,
      personText(l.note),
      l.balanceAfter,
      l.lifetimeAfter,
      l.bookingId,
      l.voucherId,
    ]),
  );
}

const README = `Your data from Xplorium

data.json     everything we hold about you: profile (with staff notes and tags), email
              aliases, referral, consent history, bookings, points, vouchers, tier changes,
              emails we sent you, sign-ins, privacy requests and the activity log about you.
bookings.csv  your bookings, for a spreadsheet.
points.csv    your points history, for a spreadsheet.

Times are UTC. In data.json, amounts are in hundredths of the currency (1250 EUR = 12.50 EUR).
`;

/** The file name of the download, e.g. `xplorium-my-data-2026-11-24.zip`. */
export function personalDataFileName(data: Pick<PersonalData, "exportedAt">): string {
  return `xplorium-my-data-${data.exportedAt.toISOString().slice(0, 10)}.zip`;
}

/**
 * The one download of a data export: a zip of data.json, bookings.csv, points.csv and a short
 * README. One customer's data is small, so it is built in memory (fflate, no native code).
 */
export function personalDataZip(data: PersonalData): Uint8Array {
  const mtime = data.exportedAt;
  const file = (text: string) => [strToU8(text), { mtime }] as [Uint8Array, { mtime: Date }];
  return zipSync(
    {
      "data.json": file(`${JSON.stringify(data, null, 2)}\n`),
      "bookings.csv": file(bookingsCsv(data)),
      "points.csv": file(pointsCsv(data)),
      "README.txt": file(README),
    },
    { level: 6 },
  );
}
