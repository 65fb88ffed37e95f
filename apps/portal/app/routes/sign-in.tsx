import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { Alert, Button, TextField } from "@xplorium/ui";
import { SignUpForm } from "~/components/sign-up-form";
import {
  CONSENT_WORDING,
  describeActionError,
  forwardDataHeaders,
  portalApi,
} from "~/lib/api.server";
import { referralParam } from "~/lib/referral-param";
import { safeNext } from "~/lib/safe-next.server";
import { handleSignUp, type SignUpStep } from "~/lib/sign-up.server";

export const meta: MetaFunction = () => [{ title: "Sign in · My Xplorium" }];

/** Retry-After on a rate-limited attempt (429), Set-Cookie on success. */
export const headers = forwardDataHeaders;

/** The first step again, keeping `next` and `ref`. */
function startOver(next: string | null, ref: string): string {
  const params = new URLSearchParams();
  if (next) params.set("next", next);
  if (ref) params.set("ref", ref);
  const query = params.toString();
  return query ? `/sign-in?${query}` : "/sign-in";
}

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

type Result =
  | { step: "email"; message?: string; fieldErrors?: Record<string, string[] | undefined> }
  | {
      step: "code";
      email: string;
      notice?: string;
      message?: string;
      fieldErrors?: Record<string, string[] | undefined>;
    }
  | SignUpStep;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "sign-up") return handleSignUp(request, context, form);

  const email = String(form.get("email") ?? "");
  const next = safeNext(form.get("next"), context);
  const ref = referralParam(form.get("ref"));
  const { api, headers } = await portalApi(request, context);
  if (intent === "verify") {
    let verified: Awaited<ReturnType<typeof api.auth.customer.verifyCode>>;
    try {
      verified = await api.auth.customer.verifyCode({
        email,
        code: String(form.get("code") ?? ""),
      });
    } catch (error) {
      const f = describeActionError(error);
      // Too many code checks for this address: the emailed link is not limited per address,
      // so it still signs in (the same words for every address).
      const message =
        f.status === 429 ? `${f.message} Or use the link in the latest email we sent.` : f.message;
      return data<Result>(
        { step: "code", email, message, fieldErrors: f.fieldErrors },
        { status: f.status, headers },
      );
    }
    if (verified.signUp) {
      // The address is proven and has no account yet: the sign-up step.
      return data<Result>(
        {
          step: "sign-up",
          email: verified.signUp.email,
          ticket: verified.signUp.ticket,
          name: "",
          referralCode: ref,
          marketingEmail: false,
          next,
        },
        { headers },
      );
    }
    return redirect(landing(next, ref), { headers });
  }
  try {
    const sent = await api.auth.customer.requestCode({
      email,
      ...(ref ? { referralCode: ref } : {}),
    });
    // The same words for every address, customer or not (no account enumeration).
    return data<Result>(
      {
        step: "code",
        email: email.trim().toLowerCase(),
        notice: `A 6-digit code is on its way to ${email.trim()}. It works for ${sent.expiresInMinutes} minutes. New to Xplorium? The same email lets you create your account.`,
      },
      { headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data<Result>(
      { step: "email", message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

export default function SignIn() {
  const { next, ref, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const fieldErrors = result?.fieldErrors ?? {};
  const formError =
    result?.message && Object.keys(fieldErrors).length === 0 ? result.message : null;
  const carried = (
    <>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {ref ? <input type="hidden" name="ref" value={ref} /> : null}
    </>
  );
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4 py-8">
      <div className="w-full max-w-sm rounded-3xl bg-white p-7 shadow-lg ring-1 ring-stone-200">
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="mt-1 mb-2 font-bold text-2xl text-stone-900">My family account</h1>
        {result?.step === "sign-up" ? (
          <SignUpForm
            action="/sign-in"
            email={result.email}
            ticket={result.ticket}
            name={result.name}
            referralCode={result.referralCode}
            marketingEmail={result.marketingEmail}
            next={result.next}
            message={result.message}
            fieldErrors={result.fieldErrors}
            restart={result.restart}
            consentWording={consentWording}
          />
        ) : result?.step === "code" ? (
          <Form method="post" className="space-y-4" noValidate>
            {result.notice ? <Alert tone="info">{result.notice}</Alert> : null}
            {formError ? <Alert tone="error">{formError}</Alert> : null}
            <input type="hidden" name="email" value={result.email} />
            <input type="hidden" name="intent" value="verify" />
            {carried}
            <TextField
              label="6-digit code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              autoFocus
              error={fieldErrors.code}
            />
            <Button className="w-full" busy={busy}>
              Sign in
            </Button>
            <p className="text-center text-sm text-stone-600">
              <a href={startOver(next, ref)} className="text-brand-700 hover:underline">
                Use another email or get a new code
              </a>
            </p>
          </Form>
        ) : (
          <>
            <p className="mb-6 text-sm text-stone-600">
              Points, rewards and your privacy choices. No password needed: we email you a code. New
              here? Enter your email to create your account.
            </p>
            {ref ? (
              <div className="mb-4">
                <Alert tone="info">
                  A friend invited you (code <span className="font-mono font-semibold">{ref}</span>
                  ). It is applied when you create your account.
                </Alert>
              </div>
            ) : null}
            <Form method="post" className="space-y-4" noValidate>
              {formError ? <Alert tone="error">{formError}</Alert> : null}
              <input type="hidden" name="intent" value="request" />
              {carried}
              <TextField
                label="Email"
                name="email"
                type="email"
                autoComplete="email"
                required
                autoFocus
                error={fieldErrors.email}
              />
              <Button className="w-full" busy={busy}>
                Email me a sign-in code
              </Button>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
