import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";

import { Alert, Button, TextField } from "@xplorium/ui";
import { describeActionError, portalApi } from "~/lib/api.server";

export const meta: MetaFunction = () => [{ title: "Sign in · My Xplorium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { principal } = await portalApi(request, context);
  if (principal.type === "customer") throw redirect("/");
  return null;
}

type Result =
  | { step: "email"; message?: string; fieldErrors?: Record<string, string[] | undefined> }
  | {
      step: "code";
      email: string;
      notice?: string;
      message?: string;
      fieldErrors?: Record<string, string[] | undefined>;
    };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const { api, headers } = await portalApi(request, context);
  if (form.get("intent") === "verify") {
    try {
      await api.auth.customer.verifyCode({ email, code: String(form.get("code") ?? "") });
    } catch (error) {
      const f = describeActionError(error);
      return data<Result>(
        { step: "code", email, message: f.message, fieldErrors: f.fieldErrors },
        { status: f.status, headers },
      );
    }
    return redirect("/", { headers });
  }
  try {
    const sent = await api.auth.customer.requestCode({ email });
    return data<Result>(
      {
        step: "code",
        email: email.trim().toLowerCase(),
        notice: `If ${email.trim()} belongs to an Xplorium account, a 6-digit code is on its way. It works for ${sent.expiresInMinutes} minutes.`,
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
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const fieldErrors = result?.fieldErrors ?? {};
  const formError =
    result?.message && Object.keys(fieldErrors).length === 0 ? result.message : null;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4">
      <div className="w-full max-w-sm rounded-3xl bg-white p-7 shadow-lg ring-1 ring-stone-200">
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="mt-1 mb-2 font-bold text-2xl text-stone-900">My family account</h1>
        <p className="mb-6 text-sm text-stone-600">
          Points, rewards and your privacy choices. No password needed.
        </p>
        {result?.step === "code" ? (
          <Form method="post" className="space-y-4" noValidate>
            {result.notice ? <Alert tone="info">{result.notice}</Alert> : null}
            {formError ? <Alert tone="error">{formError}</Alert> : null}
            <input type="hidden" name="email" value={result.email} />
            <input type="hidden" name="intent" value="verify" />
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
            <p className="text-center text-sm text-stone-500">
              <a href="/sign-in" className="text-brand-700 hover:underline">
                Use another email or get a new code
              </a>
            </p>
          </Form>
        ) : (
          <Form method="post" className="space-y-4" noValidate>
            {formError ? <Alert tone="error">{formError}</Alert> : null}
            <input type="hidden" name="intent" value="request" />
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
        )}
      </div>
    </main>
  );
}
