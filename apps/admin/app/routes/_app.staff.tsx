import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  failedResult,
  getFormProps,
  PageHeader,
  SelectField,
  TextField,
  useBusyIntent,
  useResultToast,
  useZodForm,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import {
  confirmStaffPasswordForm,
  createStaffForm,
  roleOptions,
  staffForms,
} from "~/components/staff/staff-forms";
import { StaffTable } from "~/components/staff/staff-table";
import { formResult, parseForm } from "~/lib/form.server";
import { confirmPassword, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Staff · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff, ...session } = await requireStaff(request, context, "manage:staff");
  return data(
    { me: staff.id, members: await api.staff.list(), ...passwordPrompt(session, context) },
    { headers },
  );
}

const SAVED = "Saved. Their open sessions were ended where needed.";

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "manage:staff");
  const submission = parseForm(await request.formData(), staffForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  try {
    // Every change here is owner-level: the password again when it was not entered recently,
    // typed into the form itself (adding a member) or the page's "Confirm your password" box.
    const password = "yourPassword" in input ? input.yourPassword : undefined;
    const refuse = await confirmPassword(api, password, {
      required: input.intent === "confirm-password",
    });
    if (refuse) return formResult(submission, { headers, refuse });
    switch (input.intent) {
      case "confirm-password":
        return formResult(submission, {
          headers,
          toast: "Password confirmed. You can change roles and accounts now.",
        });
      case "create": {
        const { name, email, role, password } = input;
        const created = await api.staff.create({ name, email, role, password });
        return formResult(submission, { headers, toast: `${created.name} can now sign in.` });
      }
      case "reset-two-factor":
        await api.twoFactor.reset({ staffId: input.id });
        return formResult(submission, {
          headers,
          toast: "Two-factor sign-in reset. They were signed out and set it up again next time.",
        });
      case "role":
        await api.staff.update({ id: input.id, role: input.role });
        return formResult(submission, { headers, toast: SAVED });
      case "password":
        await api.staff.update({ id: input.id, password: input.password });
        return formResult(submission, { headers, toast: SAVED });
      default:
        await api.staff.update({ id: input.id, disabled: input.intent === "disable" });
        return formResult(submission, { headers, toast: SAVED });
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function StaffPage() {
  const { me, members, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useBusyIntent();
  const toast = useResultToast(result);
  const [createForm, fields] = useZodForm(createStaffForm, {
    result,
    intent: "create",
    defaultValue: { role: "FRONT_DESK" },
  });
  const [confirmForm, confirmFields] = useZodForm(confirmStaffPasswordForm, {
    result,
    intent: "confirm-password",
  });
  const createFailed = failedResult(result, "create");
  // The rows' small forms (role, disable, enable) have no room for a password: the box above
  // the team asks for it, up front or after one of them was refused.
  const rowFailure = result && !result.ok && result.intent !== "create" ? result : null;
  const askedByRow = rowFailure && asksForPassword(rowFailure) ? rowFailure : null;
  return (
    <>
      <PageHeader
        title="Staff"
        description="Who can sign in to the console, and what each role may do."
      />
      <Toast message={toast} />
      {askPassword || askedByRow ? (
        <Card title="Confirm your password" className="mb-6 max-w-xl">
          <Form method="post" className="space-y-3" {...getFormProps(confirmForm)}>
            <p className="text-sm text-stone-600">
              Changing a role, switching an account off or on, or adding a member needs your
              password: you last entered it more than {confirmMinutes} minutes ago.
            </p>
            <ConfirmPasswordField
              show
              failure={askedByRow}
              minutes={confirmMinutes}
              field={confirmFields.yourPassword}
            />
            <Button name="intent" value="confirm-password" busy={busy === "confirm-password"}>
              Confirm
            </Button>
          </Form>
        </Card>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <Card title={`Team (${members.length})`}>
          <div className="overflow-x-auto">
            <StaffTable members={members} me={me} />
          </div>
        </Card>
        <Card title="Add a staff member">
          <Form method="post" className="space-y-3" {...getFormProps(createForm)}>
            {createFailed && !asksForPassword(createFailed) && createForm.errors ? (
              <Alert tone="error">{createFailed.message}</Alert>
            ) : null}
            <TextField label="Name" field={fields.name} />
            <TextField label="Email" field={fields.email} type="email" />
            <SelectField label="Role" field={fields.role} options={roleOptions} />
            <TextField
              label="First password"
              field={fields.password}
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters; they can change it later."
              required
            />
            <ConfirmPasswordField
              show={askPassword}
              failure={createFailed}
              minutes={confirmMinutes}
              field={fields.yourPassword}
            />
            <Button name="intent" value="create" busy={busy === "create"}>
              Add staff member
            </Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
