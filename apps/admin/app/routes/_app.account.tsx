import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { StaffRole } from "@xplorium/auth/permissions";
import {
  Alert,
  Button,
  Card,
  failedResult,
  getFormProps,
  PageHeader,
  TextField,
  useResultToast,
  useZodForm,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { changePasswordForm } from "~/components/account/password-forms";
import { forwardDataHeaders } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Your account · Xplorium CRM" }];

/** Retry-After when wrong current passwords have slowed this account down (429). */
export const headers = forwardDataHeaders;

const ROLE_LABELS: Record<StaffRole, string> = {
  OWNER: "Owner",
  MANAGER: "Manager",
  FRONT_DESK: "Front desk",
  MARKETING: "Marketing",
};

/** Every staff member's own page, whatever their role. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { headers, staff } = await requireStaff(request, context);
  return data({ staff }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context);
  const submission = parseForm(await request.formData(), changePasswordForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { currentPassword, newPassword } = submission.value;
  try {
    const { sessionsEnded } = await api.auth.staff.changePassword({ currentPassword, newPassword });
    // A fresh form after the change empties the fields.
    return formResult(submission, {
      headers,
      toast: changedMessage(sessionsEnded),
      resetForm: true,
    });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

function changedMessage(sessionsEnded: number) {
  if (sessionsEnded === 0) return "Password changed.";
  return `Password changed. ${sessionsEnded === 1 ? "Your other session was" : `Your ${sessionsEnded} other sessions were`} signed out.`;
}

export default function AccountPage() {
  const { staff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useZodForm(changePasswordForm, { result });
  const failed = failedResult(result);
  const toast = useResultToast(result?.ok ? result : null);
  return (
    <>
      <PageHeader title="Your account" description="Your sign-in details, and how you sign in." />
      {/* Refusals show at their field (or above the form); the toast confirms the change. */}
      <Toast message={toast} />
      <div className="grid max-w-4xl gap-6 lg:grid-cols-2">
        <Card title="You">
          <dl className="space-y-3 text-sm" data-testid="account-details">
            <div>
              <dt className="text-stone-500">Name</dt>
              <dd className="font-medium text-stone-900">{staff.name}</dd>
            </div>
            <div>
              <dt className="text-stone-500">Email</dt>
              <dd className="font-medium text-stone-900">{staff.email}</dd>
            </div>
            <div>
              <dt className="text-stone-500">Role</dt>
              <dd className="font-medium text-stone-900">{ROLE_LABELS[staff.role]}</dd>
            </div>
          </dl>
          <p className="mt-4 text-stone-500 text-xs">
            An owner changes names, emails and roles on the Staff page.
          </p>
        </Card>

        <Card title="Password">
          <Form method="post" className="space-y-3" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="password" />
            {/* For password managers: whose password this is. */}
            <input
              type="text"
              name="username"
              autoComplete="username"
              value={staff.email}
              readOnly
              hidden
            />
            {failed && form.errors ? <Alert tone="error">{failed.message}</Alert> : null}
            <TextField
              label="Current password"
              field={fields.currentPassword}
              type="password"
              autoComplete="current-password"
              required
            />
            <TextField
              label="New password"
              field={fields.newPassword}
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters; a few unrelated words make a good one."
              required
            />
            <TextField
              label="Confirm new password"
              field={fields.confirmPassword}
              type="password"
              autoComplete="new-password"
              required
            />
            <p className="text-stone-500 text-xs">
              Changing it signs you out on every other device; you stay signed in here.
            </p>
            <Button busy={busy}>Change password</Button>
          </Form>
        </Card>

        {/* ── Two-factor sign-in ─────────────────────────────────────────────────────────────
            The two-factor helper's section: its status and enrolment live on their own page,
            /account/two-factor (_app.account_.two-factor.tsx); this card links there. */}
        <Card title="Two-factor sign-in" className="lg:col-span-2">
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-stone-700">
            <p>
              A second step when you sign in: a code from an authenticator app on your phone, so a
              password alone does not open your account.
            </p>
            <Link
              to="/account/two-factor"
              className="font-semibold text-brand-700 hover:underline"
              data-testid="two-factor-link"
            >
              Two-factor sign-in
            </Link>
          </div>
        </Card>
      </div>
    </>
  );
}
