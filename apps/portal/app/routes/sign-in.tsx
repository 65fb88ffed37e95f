import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { signInForms, signUpForm } from "~/components/auth/sign-in-forms";
import { CodeStep, EmailStep } from "~/components/auth/sign-in-steps";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { PublicCard } from "~/components/public-card";
import { CONSENT_WORDING, forwardDataHeaders, portalApi } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { referralParam } from "~/lib/referral-param";
import { safeNext } from "~/lib/safe-next.server";
import { handleSignUp } from "~/lib/sign-up.server";

export const meta: MetaFunction = () => [{ title: "Sign in · My Xplorium" }];

/** Retry-After on a rate-limited attempt (429), Set-Cookie on success. */
export const headers = forwardDataHeaders;

/** Where a signed-in customer goes: back to `next`, or to enter the friend's code, or home. */
function landing(next: string | null, ref: string): string {
  return next ?? (ref ? `/referrals?code=${encodeURIComponent(ref)}` : "/");
}

/**
 * `?next=` (where requireCustomer came from) and `?ref=` (a friend's code from /join) ride along
 * through every step as hidden fields.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { principal } = await portalApi(request, context);
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get("next"), context);
  const ref = referralParam(url.searchParams.get("ref"));
  if (principal.type === "customer") throw redirect(landing(next, ref));
  return { next, ref, consentWording: CONSENT_WORDING.EMAIL.text };
}

/**
 * Three forms: "request" emails a code, "verify" checks it (a customer's signs in; the sign-up
 * code of a new address answers with the sign-up form, its ticket filled in), "sign-up"
 * creates the account.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseForm(formData, signInForms);
  const { api, headers } = await portalApi(request, context);
  if (submission.status !== "success") return formResult(submission, { headers });
  const form = submission.value;
  if (form.intent === "sign-up") return handleSignUp(request, context, submission, form);
  const next = safeNext(form.next, context);
  const ref = referralParam(form.ref);
  try {
    if (form.intent === "request") {
      const sent = await api.auth.customer.requestCode({
        email: form.email,
        ...(ref ? { referralCode: ref } : {}),
      });
      // The same words for every address, customer or not (no account enumeration).
      return formResult(submission, {
        headers,
        toast: `A 6-digit code is on its way to ${form.email}. It works for ${sent.expiresInMinutes} minutes. New to Xplorium? The same email lets you create your account.`,
      });
    }
    const verified = await api.auth.customer.verifyCode({ email: form.email, code: form.code });
    if (!verified.signUp) return redirect(landing(next, ref), { headers });
    // The address is proven and has no account yet: the sign-up step, as its form's result.
    const step = new FormData();
    step.set("intent", "sign-up");
    step.set("email", verified.signUp.email);
    step.set("ticket", verified.signUp.ticket);
    step.set("referralCode", ref);
    if (next) step.set("next", next);
    return formResult(parseForm(step, signUpForm), { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function SignIn() {
  const { next, ref, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const typed = result?.reply.initialValue ?? {};
  const emailOf = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : "");
  return (
    <PublicCard title="My family account">
      {result?.intent === "sign-up" ? (
        <SignUpForm action="/sign-in" result={result} consentWording={consentWording} />
      ) : (result?.intent === "request" && result.ok) || result?.intent === "verify" ? (
        <CodeStep
          email={emailOf(typed.email)}
          notice={result.intent === "request" ? result.message : null}
          result={result}
          next={next}
          friendCode={ref}
        />
      ) : (
        <EmailStep result={result} next={next} friendCode={ref} />
      )}
    </PublicCard>
  );
}
