import { Form } from "@remix-run/react";
import {
  Button,
  Card,
  type FormResultLike,
  formatDate,
  getFormProps,
  SelectField,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useEffect, useState } from "react";
import { useCan } from "~/lib/can";
import { profileForm } from "./customer-forms";
import { CONTACT_OPTIONS, titleCase } from "./labels";

interface Profile {
  email: string | null;
  name: string | null;
  phone: string | null;
  birthDate: string | null;
  preferredContactMethod: string;
  referralCode: string;
  createdAt: string | Date;
}

/** Who they are and how to reach them; staff with write:customer can edit in place. */
export function ProfileCard({
  profile,
  result,
}: {
  profile: Profile;
  result: FormResultLike | undefined;
}) {
  const canEdit = useCan()("write:customer");
  const busy = useBusyIntent();
  const [editing, setEditing] = useState(false);
  const [form, fields] = useZodForm(profileForm, {
    result,
    intent: "profile",
    defaultValue: {
      name: profile.name ?? "",
      phone: profile.phone ?? "",
      birthDate: profile.birthDate ?? "",
      preferredContactMethod: profile.preferredContactMethod,
    },
  });
  // A successful save closes the editor.
  useEffect(() => {
    if (result?.ok && result.intent === "profile") setEditing(false);
  }, [result]);
  return (
    <Card
      title="Profile"
      actions={
        canEdit && !editing ? (
          <Button
            variant="secondary"
            type="button"
            className="px-3 py-1"
            onClick={() => setEditing(true)}
          >
            Edit
          </Button>
        ) : null
      }
    >
      {editing ? (
        <Form method="post" className="space-y-3" aria-label="Edit profile" {...getFormProps(form)}>
          <TextField label="Name" field={fields.name} autoComplete="off" />
          <TextField
            label="Phone"
            field={fields.phone}
            type="tel"
            hint="With country code, e.g. +381 64 123 4567. Leave empty to remove."
          />
          <TextField
            label="Birth date"
            field={fields.birthDate}
            type="date"
            hint="Changing it within 30 days of the birthday earns no birthday bonus that year."
          />
          <SelectField
            label="Preferred contact"
            field={fields.preferredContactMethod}
            options={CONTACT_OPTIONS}
          />
          {form.errors ? (
            <p role="alert" className="text-red-600 text-sm">
              {form.errors[0]}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button name="intent" value="profile" busy={busy === "profile"}>
              Save profile
            </Button>
            <Button variant="ghost" type="button" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </Form>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
          <dt className="text-stone-500">Email</dt>
          <dd className="break-all">{profile.email}</dd>
          <dt className="text-stone-500">Name</dt>
          <dd>{profile.name ?? "—"}</dd>
          <dt className="text-stone-500">Phone</dt>
          <dd>{profile.phone ?? "—"}</dd>
          <dt className="text-stone-500">Birthday</dt>
          <dd>{profile.birthDate ? formatDate(profile.birthDate) : "—"}</dd>
          <dt className="text-stone-500">Prefers</dt>
          <dd>{titleCase(profile.preferredContactMethod)}</dd>
          <dt className="text-stone-500">Referral code</dt>
          <dd className="font-mono">{profile.referralCode}</dd>
          <dt className="text-stone-500">Customer since</dt>
          <dd>{formatDate(profile.createdAt)}</dd>
        </dl>
      )}
    </Card>
  );
}
