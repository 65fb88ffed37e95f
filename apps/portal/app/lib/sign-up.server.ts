import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { describeActionError, portalApi } from "./api.server";
import { safeNext } from "./safe-next.server";

/** What the sign-up step shows again after a refusal: the person's own entries and why. */
export interface SignUpStep {
  step: "sign-up";
  email: string;
  ticket: string;
  name: string;
  referralCode: string;
  marketingEmail: boolean;
  next: string | null;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** The ticket is spent or too old, or the address has an account: start over / sign in. */
  restart?: boolean;
}

/**
 * The sign-up form's POST (from /sign-in's sign-up step or /sign-up): creates the account and
 * signs in, then home with a welcome (or `next`); otherwise the step again with the errors.
 */
export async function handleSignUp(request: Request, context: AppLoadContext, form: FormData) {
  const { api, headers } = await portalApi(request, context);
  const step: SignUpStep = {
    step: "sign-up",
    email: String(form.get("email") ?? ""),
    ticket: String(form.get("ticket") ?? ""),
    name: String(form.get("name") ?? ""),
    referralCode: String(form.get("referralCode") ?? ""),
    // An unticked checkbox sends nothing: consent only when the box was ticked.
    marketingEmail: form.get("marketingEmail") === "yes",
    next: safeNext(form.get("next"), context),
  };
  try {
    await api.auth.customer.signUp({
      ticket: step.ticket,
      name: step.name,
      marketingEmail: step.marketingEmail,
      referralCode: step.referralCode,
    });
  } catch (error) {
    const f = describeActionError(error);
    return data<SignUpStep>(
      {
        ...step,
        message: f.message,
        fieldErrors: f.fieldErrors,
        restart: f.status === 401 || f.status === 409,
      },
      { status: f.status, headers },
    );
  }
  return redirect(step.next ?? "/?welcome=1", { headers });
}
