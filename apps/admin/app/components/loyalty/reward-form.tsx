import { Form, Link, useLocation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  Alert,
  Button,
  CheckboxField,
  type FormResultLike,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { createRewardForm, updateRewardForm } from "./reward-forms";

export type Reward = RouterOutputs["rewards"]["list"][number];

/**
 * Adds a reward, or edits `reward`. Mount one per reward (and again after each save), so it
 * starts from what is stored; after a refused save it shows what was typed.
 */
export function RewardForm({
  reward,
  result,
}: {
  reward?: Reward | undefined;
  result: FormResultLike | undefined;
}) {
  const { pathname } = useLocation();
  const busy = useBusyIntent();
  const intent = reward ? "update" : "create";
  const [form, fields] = useZodForm(reward ? updateRewardForm : createRewardForm, {
    result,
    intent,
    defaultValue: reward
      ? {
          name: reward.name,
          description: reward.description ?? "",
          pointsCost: String(reward.pointsCost),
          stock: reward.stock === null ? "" : String(reward.stock),
          voucherValidityDays: String(reward.voucherValidityDays),
          // A ticked checkbox posts "on".
          active: reward.active ? "on" : "",
        }
      : { voucherValidityDays: "90", active: "on" },
  });
  return (
    // Posting to the bare path closes the edit form (drops ?edit=) once saved.
    <Form
      method="post"
      action={pathname}
      className="space-y-3"
      aria-label={reward ? `Edit ${reward.name}` : "Add a reward"}
      {...getFormProps(form)}
    >
      {reward ? <input type="hidden" name="id" value={reward.id} /> : null}
      {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
      <TextField label="Name" field={fields.name} />
      <TextField
        label="Description"
        field={fields.description}
        placeholder="What the customer gets"
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField label="Points cost" field={fields.pointsCost} inputMode="numeric" />
        <TextField
          label="Valid for (days)"
          field={fields.voucherValidityDays}
          inputMode="numeric"
        />
      </div>
      <TextField
        label="Stock"
        field={fields.stock}
        inputMode="numeric"
        hint="Leave empty for unlimited. Each voucher takes one; a cancelled one puts it back."
      />
      <CheckboxField label="Offered to customers (active)" field={fields.active} />
      <div className="flex items-center gap-3">
        <Button name="intent" value={intent} busy={busy === intent}>
          {reward ? "Save changes" : "Add reward"}
        </Button>
        {reward ? (
          <Link to={pathname} className="font-medium text-sm text-stone-700 hover:underline">
            Cancel
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
