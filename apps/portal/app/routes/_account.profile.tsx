import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, formatDate, SelectField, TextField } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { describeActionError } from "~/lib/api.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "My profile · My Xplorium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  return data({ profile: await api.portal.profile() }, { headers });
}

const CONTACT_OPTIONS = [
  { value: "EMAIL", label: "Email" },
  { value: "PHONE", label: "Phone call" },
  { value: "SMS", label: "SMS" },
  { value: "ANY", label: "Any of these" },
] as const;

type ContactMethod = (typeof CONTACT_OPTIONS)[number]["value"];

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const form = await request.formData();
  try {
    const r = await api.portal.updateProfile({
      name: text(form, "name"),
      phone: text(form, "phone"),
      preferredContactMethod: text(form, "preferredContactMethod") as ContactMethod,
      // Only sent while the date may still be set (the field is not shown afterwards).
      ...(form.has("birthDate") ? { birthDate: text(form, "birthDate") } : {}),
    });
    return data(
      { ok: true as const, toast: r.changed ? "Profile saved." : "Nothing to change." },
      { headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

/** Right to rectification: the customer keeps their own details right. */
export default function Profile() {
  const { profile } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const fieldErrors = result && !result.ok ? result.fieldErrors : {};
  const formError =
    result && !result.ok && Object.keys(fieldErrors).length === 0 ? result.message : null;
  const toast = result
    ? {
        id: String(Date.now()),
        tone: result.ok ? ("success" as const) : ("error" as const),
        text: result.ok ? result.toast : result.message,
      }
    : null;
  return (
    <div>
      <Toast message={toast} />
      <h1 className="font-bold text-2xl text-stone-900">My profile</h1>
      <p className="mt-1 text-sm text-stone-600">
        Keep your details up to date. We use them only to run your account and your bookings.
      </p>
      <Form
        method="post"
        noValidate
        className="mt-6 space-y-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-stone-200"
      >
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <div className="space-y-1">
          <p className="font-medium text-sm text-stone-700">Email</p>
          <p className="text-sm text-stone-900" data-testid="profile-email">
            {profile.email}
          </p>
          <p className="text-stone-500 text-xs">
            You sign in with this address. To change it, ask us at the front desk.
          </p>
        </div>
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={120}
          defaultValue={profile.name ?? ""}
          error={fieldErrors.name}
        />
        <TextField
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          maxLength={40}
          defaultValue={profile.phone ?? ""}
          hint="With the country code, like +381 64 123 4567. Leave empty to remove it."
          error={fieldErrors.phone}
        />
        <SelectField
          label="How should we contact you?"
          name="preferredContactMethod"
          defaultValue={profile.preferredContactMethod}
          options={[...CONTACT_OPTIONS]}
          error={fieldErrors.preferredContactMethod}
        />
        {profile.birthDateLocked ? (
          <div className="space-y-1">
            <p className="font-medium text-sm text-stone-700">Birth date</p>
            <p className="text-sm text-stone-900" data-testid="birth-date">
              {formatDate(profile.birthDate)}
            </p>
            <p className="text-stone-500 text-xs">
              Set once, for your birthday treat. If it is wrong, ask us at the front desk to correct
              it.
            </p>
            {fieldErrors.birthDate ? (
              <p className="text-red-600 text-sm">{fieldErrors.birthDate[0]}</p>
            ) : null}
          </div>
        ) : (
          <TextField
            label="Birth date (optional)"
            name="birthDate"
            type="date"
            max={new Date().toISOString().slice(0, 10)}
            hint="For a birthday treat. You can set it once; after that only our staff can change it."
            error={fieldErrors.birthDate}
          />
        )}
        <Button busy={busy} className="w-full sm:w-auto">
          Save
        </Button>
      </Form>
    </div>
  );
}
