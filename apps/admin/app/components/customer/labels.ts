/** "BIRTHDAY_BONUS" → "Birthday bonus": an enum value as the pages show it. */
export const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");

/** How a customer prefers to be contacted (the schema's enum), in the order the selects list it. */
export const CONTACT_METHODS = ["EMAIL", "PHONE", "SMS", "ANY"] as const;

export const CONTACT_OPTIONS = CONTACT_METHODS.map((v) => ({ value: v, label: titleCase(v) }));
