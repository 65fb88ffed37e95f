import { type ActionFunctionArgs, data, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Alert, Button, TextField } from "@xplorium/ui";
import { PublicCard } from "~/components/account/public-card";
import { adminApi, describeActionError, forwardDataHeaders } from "~/lib/api.server";

export const meta: MetaFunction = () => [{ title: "Forgot password · Xplorium CRM" }];

/** Retry-After on a rate-limited request (429). */
export const headers = forwardDataHeaders;

/**
 * "Forgot password?": the same answer for every address (a member's, a disabled member's, or
 * nobody's), in the same time; only an active member gets the link.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const { api, headers } = await adminApi(request, context);
  try {
    const sent = await api.auth.staff.requestPasswordReset({ email });
    return data({ ok: true as const, email: email.trim(), ...sent }, { headers });
  } catch (error) {
    const failure = describeActionError(error);
    return data({ ...failure, email }, { status: failure.status, headers });
  }
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (result?.ok) {
    return (
      <PublicCard title="Check your email">
        <div className="space-y-4 text-sm text-stone-700" role="status" data-testid="reset-sent">
          <p>
            If <span className="font-medium text-stone-900">{result.email}</span> belongs to a staff
            account, we&apos;ve sent a link to choose a new password. It works once, within{" "}
            {result.expiresInMinutes} minutes.
          </p>
          <p>
            Nothing after a few minutes? Look in the spam folder, or ask an owner to set a new
            password for you on the Staff page.
          </p>
          <p className="text-center">
            <Link to="/sign-in" className="font-medium text-brand-700 hover:underline">
              Back to sign-in
            </Link>
          </p>
        </div>
      </PublicCard>
    );
  }
  return (
    <PublicCard title="Forgot your password?">
      <Form method="post" className="space-y-4" noValidate>
        <p className="text-sm text-stone-600">
          Enter the email you sign in with and we will send you a link to choose a new password.
        </p>
        {result && Object.keys(result.fieldErrors).length === 0 ? (
          <Alert tone="error">{result.message}</Alert>
        ) : null}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={result?.email}
          required
          autoFocus
          error={result?.fieldErrors.email}
        />
        <Button className="w-full" busy={busy}>
          Email me a link
        </Button>
        <p className="text-center text-sm">
          <Link to="/sign-in" className="font-medium text-brand-700 hover:underline">
            Back to sign-in
          </Link>
        </p>
      </Form>
    </PublicCard>
  );
}
