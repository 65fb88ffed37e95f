import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { STAFF_ROLES } from "@xplorium/auth/permissions";
import { Alert, Button, Card, formatDate, PageHeader, SelectField, TextField } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { describeActionError } from "~/lib/api.server";
import { confirmPasswordFromForm, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Staff · Xplorium CRM" }];

const ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], string> = {
  OWNER: "Owner",
  MANAGER: "Manager",
  FRONT_DESK: "Front desk",
  MARKETING: "Marketing",
};
const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff, ...session } = await requireStaff(request, context, "manage:staff");
  return data(
    { me: staff.id, members: await api.staff.list(), ...passwordPrompt(session, context) },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "manage:staff");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const text = (k: string) => String(form.get(k) ?? "");
  try {
    // Every change here is owner-level: the password again when it was not entered recently,
    // typed into the form itself (adding a member) or the page's "Confirm your password" box.
    const reauth = await confirmPasswordFromForm(api, form, {
      required: intent === "confirm-password",
    });
    if (reauth) return data({ ...reauth, intent }, { status: reauth.status, headers });
    if (intent === "confirm-password") {
      return data(
        {
          ok: true as const,
          intent,
          toast: "Password confirmed. You can change roles and accounts now.",
        },
        { headers },
      );
    }
    if (intent === "create") {
      const created = await api.staff.create({
        email: text("email"),
        name: text("name"),
        role: text("role") as (typeof STAFF_ROLES)[number],
        password: text("password"),
      });
      return data(
        { ok: true as const, intent, toast: `${created.name} can now sign in.` },
        { headers },
      );
    }
    const id = text("id");
    if (intent === "role")
      await api.staff.update({ id, role: text("role") as (typeof STAFF_ROLES)[number] });
    else if (intent === "disable") await api.staff.update({ id, disabled: true });
    else if (intent === "enable") await api.staff.update({ id, disabled: false });
    else if (intent === "password") await api.staff.update({ id, password: text("password") });
    else if (intent === "reset-two-factor") {
      await api.twoFactor.reset({ staffId: id });
      const toast = "Two-factor sign-in reset. They were signed out and set it up again next time.";
      return data({ ok: true as const, intent, toast }, { headers });
    } else
      return data(
        {
          ok: false as const,
          intent,
          status: 400,
          message: "Unknown action.",
          fieldErrors: {} as Record<string, string[] | undefined>,
        },
        { status: 400 },
      );
    return data(
      { ok: true as const, intent, toast: "Saved. Their open sessions were ended where needed." },
      { headers },
    );
  } catch (error) {
    const failure = describeActionError(error);
    return data({ ...failure, intent }, { status: failure.status, headers });
  }
}

export default function StaffPage() {
  const { me, members, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const creating = nav.state !== "idle" && nav.formData?.get("intent") === "create";
  const confirming = nav.state !== "idle" && nav.formData?.get("intent") === "confirm-password";
  const createErrors = result && !result.ok && result.intent === "create" ? result : null;
  // The rows' small forms (role, disable, enable) have no room for a password: the box above
  // the team asks for it, up front or after one of them was refused.
  const rowFailure =
    result && !result.ok && result.intent !== "create" && asksForPassword(result) ? result : null;
  return (
    <>
      <PageHeader
        title="Staff"
        description="Who can sign in to the console, and what each role may do."
      />
      <Toast
        message={
          result
            ? {
                id: String(Date.now()),
                tone: result.ok ? "success" : "error",
                text: result.ok ? result.toast : result.message,
              }
            : null
        }
      />
      {askPassword || rowFailure ? (
        <Card title="Confirm your password" className="mb-6 max-w-xl">
          <Form method="post" className="space-y-3" noValidate>
            <input type="hidden" name="intent" value="confirm-password" />
            <p className="text-sm text-stone-600">
              Changing a role, switching an account off or on, or adding a member needs your
              password: you last entered it more than {confirmMinutes} minutes ago.
            </p>
            <ConfirmPasswordField show failure={rowFailure} minutes={confirmMinutes} />
            <Button busy={confirming}>Confirm</Button>
          </Form>
        </Card>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <Card title={`Team (${members.length})`}>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-stone-500 text-xs uppercase">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    Name
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Role
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Last sign-in
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Two-factor
                  </th>
                  <th scope="col" className="py-2">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {members.map((m) => (
                  <tr key={m.id} data-testid={`staff-row-${m.email}`}>
                    <td className="py-3 pr-3">
                      <p className="font-medium text-stone-900">{m.name}</p>
                      <p className="text-stone-500 text-xs">{m.email}</p>
                    </td>
                    <td className="py-3 pr-3">
                      <Form method="post" className="flex items-center gap-2">
                        <input type="hidden" name="id" value={m.id} />
                        <input type="hidden" name="intent" value="role" />
                        <label className="sr-only" htmlFor={`role-${m.id}`}>
                          Role of {m.name}
                        </label>
                        <select
                          id={`role-${m.id}`}
                          name="role"
                          defaultValue={m.role}
                          className="rounded-lg border border-stone-300 px-2 py-1 text-sm"
                        >
                          {roleOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        <Button variant="ghost" className="px-2 py-1">
                          Save
                        </Button>
                      </Form>
                    </td>
                    <td className="py-3 pr-3 text-stone-600">
                      {formatDate(m.lastSignInAt, { time: true })}
                    </td>
                    <td className="py-3 pr-3">
                      {/* Reset: for a member who lost their phone and their recovery codes. */}
                      <Form method="post" className="flex items-center gap-2">
                        <input type="hidden" name="id" value={m.id} />
                        <span
                          className={m.twoFactorEnabledAt ? "text-emerald-700" : "text-stone-500"}
                        >
                          {m.twoFactorEnabledAt ? "On" : "Off"}
                        </span>
                        {m.twoFactorEnabledAt && m.id !== me ? (
                          <Button
                            variant="ghost"
                            name="intent"
                            value="reset-two-factor"
                            className="px-2 py-1"
                            aria-label={`Reset two-factor sign-in of ${m.name} (signs them out)`}
                          >
                            Reset
                          </Button>
                        ) : null}
                      </Form>
                    </td>
                    <td className="py-3">
                      <Form method="post" className="flex items-center gap-2">
                        <input type="hidden" name="id" value={m.id} />
                        <span className={m.disabledAt ? "text-red-700" : "text-emerald-700"}>
                          {m.disabledAt ? "Disabled" : "Active"}
                        </span>
                        {m.id !== me ? (
                          <Button
                            variant="ghost"
                            name="intent"
                            value={m.disabledAt ? "enable" : "disable"}
                            className="px-2 py-1"
                          >
                            {m.disabledAt ? "Enable" : "Disable"}
                          </Button>
                        ) : (
                          <span className="text-stone-400 text-xs">(you)</span>
                        )}
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card title="Add a staff member">
          <Form method="post" className="space-y-3" noValidate>
            <input type="hidden" name="intent" value="create" />
            {createErrors &&
            !asksForPassword(createErrors) &&
            Object.keys(createErrors.fieldErrors).length === 0 ? (
              <Alert tone="error">{createErrors.message}</Alert>
            ) : null}
            <TextField label="Name" name="name" required error={createErrors?.fieldErrors.name} />
            <TextField
              label="Email"
              name="email"
              type="email"
              required
              error={createErrors?.fieldErrors.email}
            />
            <SelectField
              label="Role"
              name="role"
              options={roleOptions}
              defaultValue="FRONT_DESK"
              error={createErrors?.fieldErrors.role}
            />
            <TextField
              label="First password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters; they can change it later."
              required
              error={createErrors?.fieldErrors.password}
            />
            <ConfirmPasswordField
              show={askPassword}
              failure={createErrors}
              minutes={confirmMinutes}
            />
            <Button busy={creating}>Add staff member</Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
