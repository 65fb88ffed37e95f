/**
 * The form layer's server half for this app's actions (ADR 022): parse the post against the
 * page's zod schema, return `formResult(...)` for every outcome.
 */
export {
  type FormResult,
  type FormSubmission,
  formResult,
  parseForm,
  type Refusal,
} from "@xplorium/api";
