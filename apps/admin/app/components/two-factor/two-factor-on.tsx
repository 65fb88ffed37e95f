import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  failedResult,
  formatDate,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { CodeField } from "./code-field";
import { disableForm, regenerateForm } from "./two-factor-forms";

/**
 * Two-factor sign-in when it is on: its status, new recovery codes (with a current code), and
 * turning it off (with the password or a code), unless a rule requires it (`requiredBy`).
 */
export function TwoFactorOnCards({
  result,
  enabledAt,
  recoveryCodesLeft,
  requiredBy,
  email,
  shownCodes,
}: {
  result: FormResultLike | undefined;
  enabledAt: string | Date | null;
  recoveryCodesLeft: number;
  requiredBy: string | null;
  email: string;
  shownCodes: string[] | null;
}) {
  const busy = useBusyIntent();
  const [regenerate, regenerateFields] = useZodForm(regenerateForm, {
    result,
    intent: "regenerate",
    // A fresh form (empty code) once new codes are shown.
    id: `regenerate-${shownCodes?.[0] ?? ""}`,
  });
  const [disable, disableFields] = useZodForm(disableForm, { result, intent: "disable" });
  const regenerateFailed = failedResult(result, "regenerate");
  const disableFailed = failedResult(result, "disable");
  return (
    <>
      <Card title="Two-factor sign-in is on">
        <p className="text-sm text-stone-700" data-testid="two-factor-status">
          On since {formatDate(enabledAt, { time: true })}. You have{" "}
          <strong>{recoveryCodesLeft}</strong> of 10 recovery codes left.
        </p>
        {recoveryCodesLeft <= 3 ? (
          <p className="mt-2 text-amber-800 text-sm">
            Few recovery codes left: make new ones below.
          </p>
        ) : null}
      </Card>

      <Card title="New recovery codes">
        <Form method="post" className="space-y-3" {...getFormProps(regenerate)}>
          <p className="text-sm text-stone-700">Makes ten new codes; the old ones stop working.</p>
          {regenerateFailed && regenerate.errors ? (
            <Alert tone="error">{regenerateFailed.message}</Alert>
          ) : null}
          <CodeField field={regenerateFields.code} />
          <Button variant="secondary" name="intent" value="regenerate" busy={busy === "regenerate"}>
            Make new recovery codes
          </Button>
        </Form>
      </Card>

      <Card title="Turn it off">
        {requiredBy ? (
          <p className="text-sm text-stone-700" data-testid="two-factor-required">
            {requiredBy} It cannot be turned off.
          </p>
        ) : (
          <Form method="post" className="space-y-3" {...getFormProps(disable)}>
            <input
              type="text"
              name="username"
              autoComplete="username"
              value={email}
              readOnly
              hidden
            />
            <p className="text-sm text-stone-700">
              Your password or a current code from the app proves it is you.
            </p>
            {disableFailed && disable.errors ? (
              <Alert tone="error">{disableFailed.message}</Alert>
            ) : null}
            <TextField
              label="Your password"
              field={disableFields.password}
              type="password"
              autoComplete="current-password"
            />
            <CodeField
              label="Or a current code from the app"
              field={disableFields.code}
              required={false}
            />
            <Button variant="danger" name="intent" value="disable" busy={busy === "disable"}>
              Turn off two-factor sign-in
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
