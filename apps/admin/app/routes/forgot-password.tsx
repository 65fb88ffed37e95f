import { type ActionFunctionArgs, data, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Alert, Button, failedResult, getFormProps, useZodForm } from "@xplorium/ui";
import { type ResetSent, ResetSentCard } from "~/components/account/password-reset-cards";
import { forgotPasswordForm } from "~/components/account/password-reset-forms";
import { CardLink, PublicCard } from "~/components/account/public-card";
import { StaffEmailField } from "~/components/account/sign-in-steps";
import { adminApi, forwardDataHeaders } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";

export const meta: MetaFunction = () => [{ title: "Forgot password · Xplorium CRM" }];

/** Retry-After on a rate-limited request (429). */
export const headers = forwardDataHeaders;

/**
 * "Forgot password?": the same answer for every address (a member's, a disabled member's, or
 * nobody's), in the same time; only an active member gets the link.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), forgotPasswordForm);
  const { api, headers } = await adminApi(request, context);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { email } = submission.value;
  try {
    const { expiresInMinutes } = await api.auth.staff.requestPasswordReset({ email });
    const result = formResult(submission, { headers });
    return data({ ...result.data, sent: { email, expiresInMinutes } }, { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  // Checked from the first submit on: "Back to sign-in" must not move when the email is left.
  const [form, fields] = useZodForm(forgotPasswordForm, { result, validateFirstOn: "submit" });
  const failed = failedResult(result);
  // Sent (or not: the same answer for any address), the confirmation instead of the form.
  const sent = result?.ok && "sent" in result ? (result.sent as ResetSent) : null;
  if (sent) return <ResetSentCard {...sent} />;
  return (
    <PublicCard title="Forgot your password?">
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <p className="text-sm text-stone-600">
          Enter the email you sign in with and we will send you a link to choose a new password.
        </p>
        {failed && form.errors ? <Alert tone="error">{failed.message}</Alert> : null}
        <StaffEmailField field={fields.email} />
        <Button className="w-full" busy={busy}>
          Email me a link
        </Button>
        <CardLink to="/sign-in">Back to sign-in</CardLink>
      </Form>
    </PublicCard>
  );
}
