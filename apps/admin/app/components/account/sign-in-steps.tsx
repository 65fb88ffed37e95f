import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  type FormField,
  type FormResultLike,
  failedResult,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { CodeField } from "~/components/two-factor/code-field";
import { CardLink } from "./public-card";
import { codeSignInForm, passwordSignInForm } from "./sign-in-forms";

/**
 * The sign-in page's two steps (ADR 022): email and password, then, for a member with
 * two-factor sign-in, the code. "Forgot password?" asks for the address the same way.
 */

/** The address a member signs in with. */
export function StaffEmailField({ field }: { field: FormField }) {
  return <TextField label="Email" field={field} type="email" autoComplete="username" autoFocus />;
}

/**
 * The sign-in page's first step: email and password. Its own refusals show at their field or
 * above the form; so does the message of a code step that ended (back here to start again).
 */
export function SignInPasswordStep({
  next,
  result,
  resetDone,
}: {
  next: string;
  result: FormResultLike | undefined;
  resetDone: boolean;
}) {
  const busy = useBusyIntent();
  const ours = result?.intent === "code" ? null : result;
  // Checked from the first submit on: "Forgot password?" must not move when the email is left.
  const [form, fields] = useZodForm(passwordSignInForm, {
    result: ours,
    id: "sign-in",
    validateFirstOn: "submit",
  });
  const failed = failedResult(result);
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      <input type="hidden" name="next" value={next} />
      {failed && (failed !== ours || form.errors) ? (
        <Alert tone="error">{failed.message}</Alert>
      ) : null}
      {resetDone && !result ? (
        <Alert tone="success">Your new password is set. Sign in with it.</Alert>
      ) : null}
      <StaffEmailField field={fields.email} />
      <TextField
        label="Password"
        field={fields.password}
        type="password"
        autoComplete="current-password"
      />
      <Button className="w-full" name="intent" value="password" busy={busy === "password"}>
        Sign in
      </Button>
      <CardLink to="/forgot-password">Forgot password?</CardLink>
    </Form>
  );
}

type Kind = "totp" | "recovery";

/** The code forms' result, for the form it came from (`kind`: the app's code or a recovery code). */
function useCodeForm(kind: Kind, failed: FormResultLike | null) {
  const failedKind = failed?.reply.initialValue?.kind === "recovery" ? "recovery" : "totp";
  const ours = failed && failedKind === kind ? failed : null;
  const [form, fields] = useZodForm(codeSignInForm, { result: ours, id: `code-${kind}` });
  return { form, fields, failed: ours };
}

/**
 * The sign-in page's second step: the code from the authenticator app, or (folded away, no
 * script needed) one of the recovery codes; and a way back to the password for another account.
 */
export function SignInCodeStep({
  next,
  result,
}: {
  next: string;
  result: FormResultLike | undefined;
}) {
  const busy = useBusyIntent() === "code";
  const failed = failedResult(result, "code");
  const app = useCodeForm("totp", failed);
  const recovery = useCodeForm("recovery", failed);
  const recoveryFailed = !!recovery.failed;
  const hidden = (kind: Kind) => (
    <>
      <input type="hidden" name="next" value={next} />
      <input type="hidden" name="intent" value="code" />
      <input type="hidden" name="kind" value={kind} />
    </>
  );
  return (
    <div className="space-y-5">
      <Form method="post" className="space-y-4" {...getFormProps(app.form)}>
        {hidden("totp")}
        <p className="text-sm text-stone-700">
          Open the authenticator app on your phone and enter the code it shows for Xplorium CRM.
        </p>
        {app.failed && app.form.errors ? <Alert tone="error">{app.failed.message}</Alert> : null}
        <CodeField label="6-digit code" field={app.fields.code} autoFocus={!recoveryFailed} />
        <Button className="w-full" busy={busy}>
          Verify and sign in
        </Button>
      </Form>
      <details className="rounded-lg border border-stone-200 px-4 py-3" open={recoveryFailed}>
        <summary className="cursor-pointer font-medium text-sm text-stone-700">
          Lost your phone? Use a recovery code
        </summary>
        <Form method="post" className="mt-3 space-y-3" {...getFormProps(recovery.form)}>
          {hidden("recovery")}
          {recovery.failed && recovery.form.errors ? (
            <Alert tone="error">{recovery.failed.message}</Alert>
          ) : null}
          <TextField
            label="Recovery code"
            field={recovery.fields.code}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="xxxxx-xxxxx"
            hint="Each recovery code works once."
            autoFocus={recoveryFailed}
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
