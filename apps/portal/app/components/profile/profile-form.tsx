import { Form, useNavigation } from "@remix-run/react";
import {
  Alert,
  Button,
  cn,
  type FormResultLike,
  formatDate,
  getFormProps,
  SelectField,
  TextField,
  useZodForm,
} from "@xplorium/ui";
import { CARD_CLASS } from "~/components/section-card";
import { CONTACT_OPTIONS, profileForm } from "./profile-forms";

interface Profile {
  email: string | null;
  name: string | null;
  phone: string | null;
  preferredContactMethod: string;
  birthDate: string | null;
  birthDateLocked: boolean;
}

/** The customer's own details: the email shown (staff change it), the rest editable. */
export function ProfileForm({
  profile,
  result,
}: {
  profile: Profile;
  result: FormResultLike | null | undefined;
}) {
  const [form, fields] = useZodForm(profileForm, {
    result,
    defaultValue: {
      name: profile.name ?? "",
      phone: profile.phone ?? "",
      preferredContactMethod: profile.preferredContactMethod,
    },
  });
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" className={cn(CARD_CLASS, "mt-6 space-y-4")} {...getFormProps(form)}>
      {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
      <div className="space-y-1">
        <p className="font-medium text-sm text-stone-700">Email</p>
        <p className="text-sm text-stone-900" data-testid="profile-email">
          {profile.email}
        </p>
        <p className="text-stone-500 text-xs">
          You sign in with this address. To change it, ask us at the front desk.
        </p>
      </div>
      <TextField label="Name" field={fields.name} autoComplete="name" />
      <TextField
        label="Phone"
        field={fields.phone}
        type="tel"
        autoComplete="tel"
        hint="With the country code, like +381 64 123 4567. Leave empty to remove it."
      />
      <SelectField
        label="How should we contact you?"
        field={fields.preferredContactMethod}
        options={[...CONTACT_OPTIONS]}
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
          {fields.birthDate.errors ? (
            <p className="text-red-600 text-sm">{fields.birthDate.errors[0]}</p>
          ) : null}
        </div>
      ) : (
        <TextField
          label="Birth date (optional)"
          field={fields.birthDate}
          type="date"
          max={new Date().toISOString().slice(0, 10)}
          hint="For a birthday treat. You can set it once; after that only our staff can change it."
        />
      )}
      <Button busy={busy} className="w-full sm:w-auto">
        Save
      </Button>
    </Form>
  );
}
