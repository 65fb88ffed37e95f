import { PREFERRED_CONTACTS } from "@xplorium/domain";

/** "BIRTHDAY_BONUS" → "Birthday bonus": an enum value as the pages show it. */
export const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");

/** A select's options for an enum's values; `any` first (value "") for a filter. */
export function enumOptions(values: readonly string[], any?: string) {
  return [
    ...(any === undefined ? [] : [{ value: "", label: any }]),
    ...values.map((v) => ({ value: v, label: titleCase(v) })),
  ];
}

/** How a customer prefers to be contacted, as the selects offer it. */
export const CONTACT_OPTIONS = enumOptions(PREFERRED_CONTACTS);
