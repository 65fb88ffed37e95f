import { Form } from "@remix-run/react";
import {
  Button,
  Card,
  type FormResultLike,
  getFormProps,
  TextareaField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useCan } from "~/lib/can";
import { notesForm } from "./customer-forms";

/** Staff's notes about the family (allergies, preferences); read-only without write:customer. */
export function NotesCard({
  notes,
  result,
  className,
}: {
  notes: string | null;
  result: FormResultLike | undefined;
  className?: string;
}) {
  const canEdit = useCan()("write:customer");
  const busy = useBusyIntent();
  const [form, fields] = useZodForm(notesForm, {
    result,
    intent: "notes",
    defaultValue: { notes: notes ?? "" },
  });
  return (
    <Card title="Admin notes" className={className}>
      {canEdit ? (
        <Form method="post" className="space-y-2" {...getFormProps(form)}>
          <TextareaField
            label="Admin notes"
            hideLabel
            field={fields.notes}
            error={fields.notes.errors ?? form.errors}
            rows={4}
            placeholder="Allergies, preferences, things to remember at the counter…"
          />
          <Button name="intent" value="notes" variant="secondary" busy={busy === "notes"}>
            Save notes
          </Button>
        </Form>
      ) : (
        <p className="whitespace-pre-wrap text-sm text-stone-700">{notes || "No notes."}</p>
      )}
    </Card>
  );
}
