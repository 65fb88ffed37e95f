import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  failedResult,
  formatDate,
  getFormProps,
  PageHeader,
  useResultToast,
  useZodForm,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { requireTwoFactorForm } from "~/components/settings/security-forms";
import { formResult, parseForm } from "~/lib/form.server";
import { confirmPassword, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Security · Xplorium CRM" }];

/** The venue's security rules; owners only (manage:security). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, ...session } = await requireStaff(request, context, "manage:security");
  const [settings, twoFactor] = await Promise.all([
    api.security.settings(),
    api.twoFactor.status(),
  ]);
  return data(
    { settings, ownTwoFactor: twoFactor.enabled, ...passwordPrompt(session, context) },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "manage:security");
  const submission = parseForm(await request.formData(), requireTwoFactorForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { requireTwoFactor: required, yourPassword } = submission.value;
  try {
    // Owner-level: the password again when it was not entered recently (reauth.server.ts).
    const refuse = await confirmPassword(api, yourPassword);
    if (refuse) return formResult(submission, { headers, refuse });
    await api.security.setRequireTwoFactor({ required });
    const toast = required
      ? "Two-factor sign-in is now required for all staff."
      : "Two-factor sign-in is no longer required for all staff.";
    return formResult(submission, { headers, toast });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function SecuritySettingsPage() {
  const { settings, ownTwoFactor, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const toast = useResultToast(result);
  const [form, fields] = useZodForm(requireTwoFactorForm, { result });
  const failed = failedResult(result);
  const on = settings.requiredForAll;
  return (
    <>
      <PageHeader
        title="Security"
        description="Rules for how every staff member signs in. Only owners change them."
      />
      <Toast message={toast} />
      <div className="max-w-2xl space-y-6">
        <Card title="Two-factor sign-in for all staff">
          <p className="text-sm text-stone-700" data-testid="require-two-factor-status">
            {on
              ? "Required: every staff member signs in with a code from an authenticator app after their password."
              : "Not required: each staff member chooses for themselves."}
          </p>
          {on && settings.staffWithoutTwoFactor > 0 ? (
            <p className="mt-2 text-sm text-stone-700">
              {settings.staffWithoutTwoFactor === 1
                ? "1 active member has"
                : `${settings.staffWithoutTwoFactor} active members have`}{" "}
              not set it up yet: they can do nothing else until they do, the next time they sign in
              or open a page.
            </p>
          ) : null}
          {settings.updatedByName ? (
            <p className="mt-2 text-stone-500 text-xs">
              Last changed by {settings.updatedByName} on{" "}
              {formatDate(settings.updatedAt, { time: true })}.
            </p>
          ) : null}
          {failed && !asksForPassword(failed) ? (
            <div className="mt-4">
              <Alert tone="error">{failed.message}</Alert>
            </div>
          ) : null}
          <Form method="post" className="mt-4 space-y-3" {...getFormProps(form)}>
            {on ? null : <input type="hidden" name="requireTwoFactor" value="on" />}
            <ConfirmPasswordField
              show={askPassword}
              failure={failed}
              minutes={confirmMinutes}
              field={fields.yourPassword}
            />
            <Button
              variant={on ? "secondary" : "primary"}
              busy={busy}
              disabled={!on && !ownTwoFactor}
            >
              {on ? "Stop requiring it" : "Require two-factor sign-in for all staff"}
            </Button>
          </Form>
          {!on && !ownTwoFactor ? (
            <p className="mt-2 text-sm text-stone-600">
              First{" "}
              <Link to="/account/two-factor" className="font-medium text-brand-700 hover:underline">
                turn it on for your own account
              </Link>
              , so that requiring it never locks you out.
            </p>
          ) : null}
          <p className="mt-4 text-stone-500 text-xs">
            Stopping it locks no one out: members who use two-factor sign-in keep it, the others
            sign in with their password alone again.
          </p>
        </Card>

        <Card title="Owners">
          <p className="text-sm text-stone-700" data-testid="owner-two-factor-status">
            {settings.requiredForOwners
              ? "An owner uses two-factor sign-in, so every owner must: an owner without it sets it up before anything else, and no owner can turn it off."
              : "Once any owner turns on two-factor sign-in, every owner must use it."}
          </p>
          <p className="mt-2 text-stone-500 text-xs">
            A member who lost their phone and their recovery codes: reset their two-factor sign-in
            on the{" "}
            <Link to="/staff" className="font-medium text-brand-700 hover:underline">
              Staff
            </Link>{" "}
            page; they set it up again at their next sign-in.
          </p>
        </Card>
      </div>
    </>
  );
}
