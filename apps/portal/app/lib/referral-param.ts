/** A referral code as shared in a `?ref=` link or form field: letters and digits, at most 20. */
export function referralParam(value: FormDataEntryValue | string | null | undefined): string {
  if (typeof value !== "string") return "";
  return value
    .replace(/[^a-z0-9]/gi, "")
    .toUpperCase()
    .slice(0, 20);
}
