import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  failedResult,
  getFormProps,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { CodeField } from "./code-field";
import { confirmForm, startForm } from "./two-factor-forms";

type Result = (FormResultLike & { reason?: string }) | undefined;

/** Asks for "Your password" when it was last entered long ago (starting the setup needs it). */
interface Prompt {
  askPassword: boolean;
  confirmMinutes: number;
}

/** "Start over with a new key" and "Set up two-factor sign-in" post the same form. */
function useStartForm(result: Result) {
  const [form, fields] = useZodForm(startForm, { result, intent: "start", id: "start" });
  return { form, fields, failed: failedResult(result, "start") };
}

export function StartSetupCard({ result, prompt }: { result: Result; prompt: Prompt }) {
  const busy = useBusyIntent();
  const { form, fields, failed } = useStartForm(result);
  return (
    <Card title="Set it up">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-stone-700">
        <li>Install an authenticator app on your phone, if you have none.</li>
        <li>Scan the QR code this page shows next (or type in the key).</li>
        <li>Enter the 6-digit code the app then shows.</li>
      </ol>
      <Form method="post" className="mt-4" {...getFormProps(form)}>
        {failed && !asksForPassword(failed) ? <Alert tone="error">{failed.message}</Alert> : null}
        <ConfirmPasswordField
          show={prompt.askPassword}
          failure={failed}
          minutes={prompt.confirmMinutes}
          field={fields.yourPassword}
        />
        <Button name="intent" value="start" busy={busy === "start"}>
          Set up two-factor sign-in
        </Button>
      </Form>
    </Card>
  );
}

/** The setup in progress: the QR code and the key to type, then the app's first code. */
export function EnrolmentCard({
  enrolment,
  result,
  prompt,
}: {
  enrolment: { qr: string; secret: string };
  result: Result;
  prompt: Prompt;
}) {
  const busy = useBusyIntent();
  const start = useStartForm(result);
  const [form, fields] = useZodForm(confirmForm, { result, intent: "confirm" });
  const failed = failedResult(result, "confirm");
  return (
    <Card title="Add Xplorium CRM to your authenticator app">
      <div className="flex flex-col gap-5 sm:flex-row">
        <img
          src={enrolment.qr}
          alt="QR code that adds Xplorium CRM to an authenticator app"
          width={192}
          height={192}
          className="size-48 shrink-0 rounded-lg ring-1 ring-stone-200"
          data-testid="totp-qr"
        />
        <div className="min-w-0 space-y-3 text-sm text-stone-700">
          <p>1. In the app, add an account and scan this QR code.</p>
          <div>
            <p>Cannot scan it? Choose “enter a setup key” and type:</p>
            <p
              className="mt-1 break-all rounded-lg bg-stone-100 px-3 py-2 font-mono text-base text-stone-900 tracking-wide"
              data-testid="totp-secret"
            >
              {enrolment.secret}
            </p>
            <p className="mt-1 text-stone-500 text-xs">
              Time-based, 6 digits, every 30 seconds (the app's defaults).
            </p>
          </div>
        </div>
      </div>
      <Form method="post" className="mt-5 space-y-3" {...getFormProps(form)}>
        {failed && form.errors ? <Alert tone="error">{failed.message}</Alert> : null}
        <CodeField label="2. The 6-digit code the app shows now" field={fields.code} autoFocus />
        <Button name="intent" value="confirm" busy={busy === "confirm"}>
          Turn on two-factor sign-in
        </Button>
      </Form>
      <Form method="post" className="mt-3 space-y-3" {...getFormProps(start.form)}>
        <ConfirmPasswordField
          show={prompt.askPassword}
          failure={start.failed}
          minutes={prompt.confirmMinutes}
          field={start.fields.yourPassword}
        />
        <button
          type="submit"
          name="intent"
          value="start"
          className="font-medium text-sm text-stone-600 hover:underline"
          disabled={busy === "start"}
        >
          Start over with a new key
        </button>
      </Form>
    </Card>
  );
}
