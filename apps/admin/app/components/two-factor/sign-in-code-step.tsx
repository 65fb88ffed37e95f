import { Form } from "@remix-run/react";
import { Alert, Button, TextField } from "@xplorium/ui";
import { CodeField } from "./code-field";

interface Failure {
  ok: false;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
  kind?: "totp" | "recovery";
}

/**
 * The sign-in page's second step: the code from the authenticator app, or (folded away, no
 * script needed) one of the recovery codes; and a way back to the password for another account.
 */
export function SignInCodeStep({
  next,
  failure,
  busy,
}: {
  next: string;
  failure: Failure | null;
  busy: boolean;
}) {
  const recoveryFailed = failure?.kind === "recovery";
  const message = (kind: "totp" | "recovery") =>
    failure && (failure.kind ?? "totp") === kind ? failure : null;
  const alertFor = (kind: "totp" | "recovery") => {
    const f = message(kind);
    return f && !f.fieldErrors.code ? <Alert tone="error">{f.message}</Alert> : null;
  };
  return (
    <div className="space-y-5">
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="intent" value="code" />
        <input type="hidden" name="kind" value="totp" />
        <p className="text-sm text-stone-700">
          Open the authenticator app on your phone and enter the code it shows for Xplorium CRM.
        </p>
        {alertFor("totp")}
        <CodeField
          label="6-digit code"
          autoFocus={!recoveryFailed}
          error={message("totp")?.fieldErrors.code}
        />
        <Button className="w-full" busy={busy}>
          Verify and sign in
        </Button>
      </Form>
      <details className="rounded-lg border border-stone-200 px-4 py-3" open={recoveryFailed}>
        <summary className="cursor-pointer font-medium text-sm text-stone-700">
          Lost your phone? Use a recovery code
        </summary>
        <Form method="post" className="mt-3 space-y-3" noValidate>
          <input type="hidden" name="next" value={next} />
          <input type="hidden" name="intent" value="code" />
          <input type="hidden" name="kind" value="recovery" />
          {alertFor("recovery")}
          <TextField
            label="Recovery code"
            name="code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="xxxxx-xxxxx"
            hint="Each recovery code works once."
            autoFocus={recoveryFailed}
            error={message("recovery")?.fieldErrors.code}
          />
          <Button variant="secondary" className="w-full" busy={busy}>
            Sign in with a recovery code
          </Button>
        </Form>
      </details>
      <Form method="post">
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="intent" value="restart" />
        <button type="submit" className="font-medium text-sm text-stone-600 hover:underline">
          Sign in as someone else
        </button>
      </Form>
    </div>
  );
}
