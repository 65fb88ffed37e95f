import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, TextField } from "@xplorium/ui";
import { PublicCard } from "~/components/account/public-card";
import { adminApi, describeActionError, forwardDataHeaders } from "~/lib/api.server";
import { clearResetCookie, readResetToken, resetPageHeaders } from "~/lib/password-reset.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.state === "invalid"
        ? "Link expired · Xplorium CRM"
        : "Choose a new password · Xplorium CRM",
  },
  // Also as a header (resetPageHeaders); the meta tag holds even where a proxy rewrites it.
  { name: "referrer", content: "no-referrer" },
];

/** No-store and no-referrer on the page, Retry-After when limited, the cookie cleared. */
export const headers = forwardDataHeaders;

const MISMATCH = "The two passwords do not match.";

/** The form when the link (its token, in the cookie set by /reset-password/<token>) still works. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const secure = context.env.production;
  const headers = resetPageHeaders();
  const token = readResetToken(request, secure);
  if (!token) return data({ state: "invalid" as const }, { headers });
  const { api } = await adminApi(request, context);
  try {
    const link = await api.auth.staff.checkPasswordReset({ token });
    if (link.valid) return data({ state: "form" as const, email: link.email }, { headers });
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.retryAfterSeconds) headers.set("Retry-After", String(failure.retryAfterSeconds));
    return data({ state: "limited" as const, message: failure.message }, { headers });
  }
  headers.append("Set-Cookie", clearResetCookie(secure));
  return data({ state: "invalid" as const }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const secure = context.env.production;
  const headers = resetPageHeaders();
  const form = await request.formData();
  const password = String(form.get("password") ?? "");
  const token = readResetToken(request, secure);
  const refused = (
    status: number,
    message: string,
    fieldErrors: Record<string, string[] | undefined>,
    invalid = false,
  ) => data({ ok: false as const, invalid, message, fieldErrors }, { status, headers });
  if (!token) return refused(400, "", {}, true);
  if (password !== String(form.get("confirmPassword") ?? "")) {
    return refused(400, MISMATCH, { confirmPassword: [MISMATCH] });
  }
  const { api } = await adminApi(request, context);
  try {
    await api.auth.staff.resetPassword({ token, password });
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.retryAfterSeconds) headers.set("Retry-After", String(failure.retryAfterSeconds));
    if (failure.fieldErrors.token) {
      headers.append("Set-Cookie", clearResetCookie(secure));
      return refused(failure.status, failure.message, {}, true);
    }
    return refused(failure.status, failure.message, failure.fieldErrors);
  }
  // Signed in nowhere: the sign-in form comes next (and a second step there, if they use one).
  headers.append("Set-Cookie", clearResetCookie(secure));
  throw redirect("/sign-in?reset=done", { headers });
}

export default function ResetPassword() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (page.state === "invalid" || result?.invalid) {
    return (
      <PublicCard title="This link has expired or was already used">
        <div className="space-y-4 text-sm text-stone-700" data-testid="reset-link-invalid">
          <p>
            A link to reset your password works once, for one hour, and asking for a new link ends
            the older ones.
          </p>
          <Link
            to="/forgot-password"
            className="inline-flex w-full items-center justify-center rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
          >
            Email me a new link
          </Link>
          <p className="text-center">
            <Link to="/sign-in" className="font-medium text-brand-700 hover:underline">
              Back to sign-in
            </Link>
          </p>
        </div>
      </PublicCard>
    );
  }
  if (page.state === "limited") {
    return (
      <PublicCard title="Choose a new password">
        <Alert tone="error">{page.message}</Alert>
      </PublicCard>
    );
  }
  const errors = result && !result.ok ? result : null;
  return (
    <PublicCard title="Choose a new password">
      <Form method="post" className="space-y-4" noValidate>
        {errors && Object.keys(errors.fieldErrors).length === 0 ? (
          <Alert tone="error">{errors.message}</Alert>
        ) : null}
        <p className="text-sm text-stone-600">
          For <span className="font-medium text-stone-900">{page.email}</span>. Setting it signs you
          out everywhere; then sign in with the new password.
        </p>
        {/* For password managers: the account the new password belongs to. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={page.email}
          readOnly
          hidden
        />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; a few unrelated words make a good one."
          required
          autoFocus
          error={errors?.fieldErrors.password}
        />
        <TextField
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={errors?.fieldErrors.confirmPassword}
        />
        <Button className="w-full" busy={busy}>
          Set new password
        </Button>
      </Form>
    </PublicCard>
  );
}
