/** The form layer's server half (ADR 022): parse the post against the page's zod schema. */

export type { FormResult, FormSubmission, Refusal } from "@xplorium/api";
export { formResult, parseForm } from "@xplorium/api";
