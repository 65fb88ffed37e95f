import { PREFERRED_CONTACTS } from "@xplorium/domain";

/** "BIRTHDAY_BONUS" → "Birthday bonus": an enum value as the pages show it. */
export const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");

/** How a customer prefers to be contacted, as the selects offer it. */
export const CONTACT_OPTIONS = PREFERRED_CONTACTS.map((v) => ({ value: v, label: titleCase(v) }));
