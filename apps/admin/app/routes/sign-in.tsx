import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";

import { Alert, Button, TextField } from "@xplorium/ui";
import { SignInCodeStep } from "~/components/two-factor/sign-in-code-step";
import { adminApi, describeActionError, forwardDataHeaders } from "~/lib/api.server";
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

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { api, headers } = await adminApi(request, context);
  const intent = form.get("intent");
  if (intent === "code" || intent === "restart") {
    return signInCodeStep(request, context, form, api, headers);
  }
  try {
    const { twoFactor } = await api.auth.staff.signIn({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (twoFactor) {
      // No session yet: the code step, with the challenge in an HttpOnly cookie.
      headers.append("Set-Cookie", challengeCookie(context, twoFactor.challenge));
      return signInPage(form.get("next"), headers);
    }
  } catch (error) {
    const failure = describeActionError(error);
    return data(failure, { status: failure.status, headers });
  }
  return redirect(safeNext(form.get("next"), context), { headers });
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const page = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const step = (result && "step" in result ? result.step : null) ?? page.step;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4">
      <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-lg ring-1 ring-stone-200">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Xplorium CRM</p>
        <h1 className="mt-1 mb-6 text-2xl font-bold text-stone-900">
          {step === "code" ? "Two-factor sign-in" : "Staff sign-in"}
        </h1>
        {step === "code" ? (
          <SignInCodeStep
            next={params.get("next") ?? "/"}
            failure={result && !result.ok ? result : null}
            busy={busy}
          />
        ) : (
          <Form method="post" className="space-y-4" noValidate>
            <input type="hidden" name="next" value={params.get("next") ?? "/"} />
            {result && !result.ok && Object.keys(result.fieldErrors).length === 0 ? (
              <Alert tone="error">{result.message}</Alert>
            ) : null}
            {/* From /reset-password: the new password is set, every session ended. */}
            {params.get("reset") === "done" && !result ? (
              <Alert tone="success">Your new password is set. Sign in with it.</Alert>
            ) : null}
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              error={result?.fieldErrors.email}
            />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              error={result?.fieldErrors.password}
            />
            <Button className="w-full" busy={busy}>
              Sign in
            </Button>
            <p className="text-center text-sm">
              <Link to="/forgot-password" className="font-medium text-brand-700 hover:underline">
                Forgot password?
              </Link>
            </p>
          </Form>
        )}
      </div>
    </main>
  );
}
