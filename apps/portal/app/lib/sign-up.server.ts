import { type AppLoadContext, redirect } from "@remix-run/node";
import type { z } from "zod";
import { SIGN_UP_RESTART, type signUpFields } from "~/components/auth/sign-in-forms";
import { describeActionError, portalApi } from "./api.server";
import { type FormSubmission, formResult } from "./form.server";
import { safeNext } from "./safe-next.server";

/**
 * The sign-up form's POST (from /sign-in's sign-up step or /sign-up), parsed and valid (`form`
 * is its value): creates the account and signs in, then home with a welcome (or `next`);
 * otherwise the step again with the person's own entries and why.
 */
export async function handleSignUp(
  request: Request,
  context: AppLoadContext,
  submission: FormSubmission,
  form: z.output<typeof signUpFields>,
) {
  const { api, headers } = await portalApi(request, context);
  try {
    await api.auth.customer.signUp({
      ticket: form.ticket,
      name: form.name ?? "",
      marketingEmail: form.marketingEmail === "yes",
      referralCode: form.referralCode ?? "",
    });
  } catch (error) {
    const f = describeActionError(error);
    if (f.status === 401 || f.status === 409) {
      return formResult(submission, {
        headers,
        refuse: { message: f.message, status: f.status, reason: SIGN_UP_RESTART },
      });
    }
    return formResult(submission, { headers, error });
  }
  return redirect(safeNext(form.next, context) ?? "/?welcome=1", { headers });
}
