import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";

/** Customers and staff are identified by email, trimmed and lower-cased (DESIGN.md "Identity"). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string({ message: "Enter an email address." })
  .trim()
  .min(3, { message: "Enter an email address." })
  .max(254, { message: "That email address is too long." })
  .pipe(z.email({ message: "Enter a valid email address, like name@example.com." }))
  .transform(normalizeEmail);

/** E.164, or null when the number cannot be a real one. */
export function normalizePhone(input: string, defaultRegion: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultRegion as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
