import { z } from "zod";

export const CONTACT_OPTIONS = [
  { value: "EMAIL", label: "Email" },
  { value: "PHONE", label: "Phone call" },
  { value: "SMS", label: "SMS" },
  { value: "ANY", label: "Any of these" },
] as const;

/**
 * The profile form (right to rectification; ADR 022). Limits and messages are the procedure's
 * (packages/core customers/portal-profile.ts), which also checks the phone number and the birth
 * date. A blank phone removes it; a blank birth date leaves it as it is.
 */
export const profileForm = z.object({
  name: z
    .string({ message: "Enter your name." })
    .trim()
    .min(1, { message: "Enter your name." })
    .max(120, { message: "Names are at most 120 characters." }),
  phone: z.string().trim().max(40, { message: "That phone number is too long." }).optional(),
  preferredContactMethod: z.enum(
    CONTACT_OPTIONS.map((o) => o.value),
    { message: "Choose how you prefer to be contacted." },
  ),
  /** Only on the page while the date may still be set (once, for the birthday treat). */
  birthDate: z.string().trim().optional(),
});
