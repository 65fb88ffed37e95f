import { Form } from "@remix-run/react";
import {
  Button,
  type FormResultLike,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { deleteAccountForm } from "./privacy-forms";

/**
 * Right to erasure: what goes and what stays, and the account's email address or DELETE typed
 * to confirm. Every refusal is about the confirmation: it shows next to the field.
 */
export function DeleteAccountForm({
  email,
  result,
}: {
  email: string;
  result: FormResultLike | null | undefined;
}) {
  const [form, fields] = useZodForm(deleteAccountForm, { result, intent: "delete" });
  const deleting = useBusyIntent() === "delete";
  return (
    <>
      <div className="space-y-2 text-sm text-stone-700">
        <p>
          This deletes your name, email address, phone number, birth date and marketing choices, and
          signs you out everywhere. Your points and referral code go with the account. It cannot be
          undone.
        </p>
        <p>
          We keep the dates, types and amounts of past bookings without your identity, because we
          must keep accounting records, and a one-way fingerprint of your email address so we never
          email it again. We send one last email to confirm the deletion.
        </p>
      </div>
      <Form method="post" className="mt-4 space-y-3" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="delete" />
        <TextField
          label={`To confirm, type your email address (${email}) or DELETE`}
          field={fields.confirmation}
          error={fields.confirmation.errors ?? form.errors}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <Button variant="danger" busy={deleting}>
          Delete my account
        </Button>
      </Form>
    </>
  );
}
