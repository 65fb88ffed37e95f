import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, failedResult, getFormProps, TextField, useZodForm } from "@xplorium/ui";
import { ResetLinkInvalidCard } from "~/components/account/password-reset-cards";
import { RESET_LINK_INVALID, resetPasswordForm } from "~/components/account/password-reset-forms";
import { PublicCard } from "~/components/account/public-card";
import { adminApi, describeActionError, forwardDataHeaders } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
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
  const submission = parseForm(await request.formData(), resetPasswordForm);
  const token = readResetToken(request, secure);
  // No link to use: the dead-link page, whatever was typed.
  const deadLink = { message: RESET_LINK_INVALID, fieldErrors: { token: [RESET_LINK_INVALID] } };
  if (!token) return formResult(submission, { headers, refuse: deadLink });
  if (submission.status !== "success") return formResult(submission, { headers });
  const { api } = await adminApi(request, context);
  try {
    await api.auth.staff.resetPassword({ token, password: submission.value.password });
  } catch (error) {
    // A used, expired or superseded link (its error is on `token`) leaves the cookie too.
    if (describeActionError(error).fieldErrors.token) {
      headers.append("Set-Cookie", clearResetCookie(secure));
    }
    return formResult(submission, { headers, error });
  }
  // Signed in nowhere: the sign-in form comes next (and a second step there, if they use one).
  headers.append("Set-Cookie", clearResetCookie(secure));
  throw redirect("/sign-in?reset=done", { headers });
}

export default function ResetPassword() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useZodForm(resetPasswordForm, { result });
  const failed = failedResult(result);
  if (page.state === "invalid" || failed?.reply.error?.token) return <ResetLinkInvalidCard />;
  if (page.state === "limited") {
    return (
      <PublicCard title="Choose a new password">
        <Alert tone="error">{page.message}</Alert>
      </PublicCard>
    );
  }
  return (
    <PublicCard title="Choose a new password">
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        {failed && form.errors ? <Alert tone="error">{failed.message}</Alert> : null}
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
          field={fields.password}
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; a few unrelated words make a good one."
          required
          autoFocus
        />
        <TextField
          label="Confirm new password"
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <Button className="w-full" busy={busy}>
          Set new password
        </Button>
      </Form>
    </PublicCard>
  );
}
