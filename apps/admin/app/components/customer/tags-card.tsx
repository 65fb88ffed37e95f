import { Form } from "@remix-run/react";
import {
  Button,
  Card,
  type FormResultLike,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useCan } from "~/lib/can";
import { addTagForm } from "./customer-forms";

/** The customer's tags: remove one with its ×, add one (suggesting tags already in use). */
export function TagsCard({
  tags,
  suggestions,
  result,
}: {
  tags: string[];
  suggestions: string[];
  result: FormResultLike | undefined;
}) {
  const canEdit = useCan()("write:customer");
  const busy = useBusyIntent();
  const [form, fields] = useZodForm(addTagForm, { result, intent: "addTag" });
  return (
    <Card title="Tags">
      <ul aria-label="Tags" className="mt-3 flex flex-wrap gap-1">
        {tags.length === 0 ? <li className="text-sm text-stone-500">No tags</li> : null}
        {tags.map((t) => (
          <li
            key={t}
            className="inline-flex items-center gap-1 rounded-full bg-stone-100 py-0.5 pr-1 pl-2 text-stone-700 text-xs"
          >
            {t}
            {canEdit ? (
              <Form method="post" className="inline">
                <input type="hidden" name="tag" value={t} />
                <button
                  type="submit"
                  name="intent"
                  value="removeTag"
                  aria-label={`Remove tag ${t}`}
                  className="rounded-full px-1 text-stone-500 hover:bg-stone-200 hover:text-stone-900"
                >
                  ×
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <Form
          key={tags.join(",")}
          method="post"
          className="mt-3 flex items-start gap-2"
          {...getFormProps(form)}
        >
          <TextField
            label="New tag"
            hideLabel
            field={fields.tag}
            error={fields.tag.errors ?? form.errors}
            list="tag-suggestions"
            placeholder="Add a tag"
            autoComplete="off"
            className="flex-1"
          />
          <datalist id="tag-suggestions">
            {suggestions
              .filter((t) => !tags.includes(t))
              .map((t) => (
                <option key={t} value={t} />
              ))}
          </datalist>
          <Button
            name="intent"
            value="addTag"
            variant="secondary"
            className="px-3 py-1.5"
            busy={busy === "addTag"}
          >
            Add
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
