import { Form, useNavigation } from "@remix-run/react";
import {
  Button,
  type FormResultLike,
  formatNumber,
  getFormProps,
  TextField,
  useZodForm,
} from "@xplorium/ui";
import { SectionCard } from "~/components/section-card";
import { applyCodeForm } from "./referral-forms";

/** The form to enter a friend's code, with the procedure's refusal next to the field. */
export function ApplyCodeCard({
  result,
  prefill,
  pointsPerReferral,
}: {
  result: FormResultLike | null | undefined;
  /** `?code=` from the join page. */
  prefill: string;
  pointsPerReferral: number;
}) {
  const [form, fields] = useZodForm(applyCodeForm, {
    result,
    defaultValue: { code: prefill },
  });
  const busy = useNavigation().state === "submitting";
  return (
    <SectionCard id="apply-heading" title="Did a friend invite you?">
      <p className="mt-1 text-sm text-stone-600">
        Enter their code before your first visit and you both get {formatNumber(pointsPerReferral)}{" "}
        points when it is completed.
      </p>
      <Form method="post" className="mt-3 flex flex-wrap items-start gap-3" {...getFormProps(form)}>
        {/* Every refusal is about the code: it shows next to the field. */}
        <TextField
          label="Friend's referral code"
          field={fields.code}
          error={fields.code.errors ?? form.errors}
          autoComplete="off"
          autoCapitalize="characters"
          className="min-w-0 flex-1"
        />
        <Button busy={busy} className="mt-6">
          Apply code
        </Button>
      </Form>
    </SectionCard>
  );
}
