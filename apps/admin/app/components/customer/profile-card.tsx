import { Form } from "@remix-run/react";
import { Button, Card, formatDate, SelectField, TextField } from "@xplorium/ui";
import { useEffect, useState } from "react";
import { type FormState, titleCase } from "./form-state";

export const PROFILE_INTENT = "profile";

const CONTACT_OPTIONS = ["EMAIL", "PHONE", "SMS", "ANY"].map((v) => ({
  value: v,
  label: titleCase(v),
}));

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
  canEdit,
  form,
  saved,
}: {
  profile: Profile;
  canEdit: boolean;
  form: FormState;
  /** True right after a successful save: closes the editor. */
  saved: boolean;
}) {
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (saved) setEditing(false);
  }, [saved]);
  const error = (field: string) => form.fieldError(PROFILE_INTENT, field);
  const general = form.errorFor(PROFILE_INTENT, "_");
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
        <Form method="post" className="space-y-3" aria-label="Edit profile">
          <input type="hidden" name="intent" value={PROFILE_INTENT} />
          <TextField
            label="Name"
            name="name"
            defaultValue={profile.name ?? ""}
            error={error("name")}
            autoComplete="off"
          />
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            defaultValue={profile.phone ?? ""}
            hint="With country code, e.g. +381 64 123 4567. Leave empty to remove."
            error={error("phone")}
          />
          <TextField
            label="Birth date"
            name="birthDate"
            type="date"
            defaultValue={profile.birthDate ?? ""}
            hint="Changing it within 30 days of the birthday earns no birthday bonus that year."
            error={error("birthDate")}
          />
          <SelectField
            label="Preferred contact"
            name="preferredContactMethod"
            defaultValue={profile.preferredContactMethod}
            options={CONTACT_OPTIONS}
            error={error("preferredContactMethod")}
          />
          {general && !error("name") && !error("phone") && !error("birthDate") ? (
            <p role="alert" className="text-red-600 text-sm">
              {general}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button busy={form.pending(PROFILE_INTENT)}>Save profile</Button>
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
