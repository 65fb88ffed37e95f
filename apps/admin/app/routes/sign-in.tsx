import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PublicCard } from "~/components/account/public-card";
import { SIGN_IN_AGAIN, signInForms } from "~/components/account/sign-in-forms";
import { SignInCodeStep, SignInPasswordStep } from "~/components/account/sign-in-steps";
import { adminApi, forwardDataHeaders } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { safeNext } from "~/lib/session.server";
import {
  challengeCookie,
  readChallenge,
  signInCodeStep,
  signInPage,
} from "~/lib/two-factor-sign-in.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Xplorium CRM" }];

/** Retry-After on a rate-limited attempt (429), Set-Cookie on success. */
export const headers = forwardDataHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { principal } = await adminApi(request, context);
  if (principal.type === "staff") throw redirect("/");
  if (principal.type === "staffTwoFactorSetup") throw redirect("/account/two-factor");
  // Past the password of a member with two-factor sign-in: the code is owed.
  return { step: readChallenge(request, context) ? ("code" as const) : ("password" as const) };
}

/** Three forms: the password, the code (app or recovery), and "Sign in as someone else". */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), signInForms);
  const { api, headers } = await adminApi(request, context);
  if (submission.status !== "success") return formResult(submission, { headers });
  const form = submission.value;
  if (form.intent === "code" || form.intent === "restart") {
    return signInCodeStep({ request, context, submission, form, api, headers });
  }
  try {
    const { twoFactor } = await api.auth.staff.signIn({
      email: form.email,
      password: form.password,
    });
    if (twoFactor) {
      // No session yet: the code step, with the challenge in an HttpOnly cookie.
      headers.append("Set-Cookie", challengeCookie(context, twoFactor.challenge));
      return signInPage(form.next, headers);
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
  return redirect(safeNext(form.next, context), { headers });
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const page = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "/";
  // A code refused for good (the challenge is gone) comes back to the password with its reason.
  const step =
    result?.intent === "code" ? (result.reason === SIGN_IN_AGAIN ? "password" : "code") : page.step;
  return (
    <PublicCard title={step === "code" ? "Two-factor sign-in" : "Staff sign-in"}>
      {step === "code" ? (
        <SignInCodeStep next={next} result={result} />
      ) : (
        <SignInPasswordStep
          next={next}
          result={result}
          // From /reset-password: the new password is set, every session ended.
          resetDone={params.get("reset") === "done"}
        />
      )}
    </PublicCard>
  );
}
