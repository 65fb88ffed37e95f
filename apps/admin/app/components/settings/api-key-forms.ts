import { API_KEY_SCOPES } from "@xplorium/auth/permissions";
import { z } from "zod";
import { yourPasswordField } from "~/components/confirm-password-field";

/**
 * The API keys page's forms and the union on `intent` its action parses (ADR 022), with the
 * limits and messages of the procedure's input (packages/core api-keys/api-key-admin.ts).
 */
const SCOPES_MESSAGE = "Choose at least one scope.";

export const createApiKeyForm = z.object({
  intent: z.literal("create"),
  name: z
    .string({ message: "Name the key after who uses it, e.g. “Booking site”." })
    .trim()
    .max(80, { message: "Keep the name under 80 characters." }),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { message: "Unknown scope." }), { message: SCOPES_MESSAGE })
    .min(1, { message: SCOPES_MESSAGE }),
  ...yourPasswordField,
});

export const apiKeyForms = z.discriminatedUnion("intent", [
  createApiKeyForm,
  z.object({ intent: z.literal("revoke"), id: z.string({ message: "Unknown API key." }) }),
]);
