import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  type FormResultLike,
  failedResult,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { SIGN_UP_RESTART, signUpForm } from "./sign-in-forms";

/** A link styled as the page's main button (back to sign-in when a form cannot go on). */
export function ButtonLink({ href, children }: { href: string; children: string }) {
  return (
    <a
      href={href}
      className="block rounded-lg bg-brand-700 px-4 py-2.5 text-center font-semibold text-sm text-white hover:bg-brand-800"
    >
      {children}
    </a>
  );
}

/**
 * The last step of creating an account, once the address is proven: a name, the marketing
 * box (never pre-ticked; its label is the exact wording recorded with the consent) and a
 * friend's referral code. Shared by the sign-in page and the emailed sign-up link; after a
 * refusal it shows the person's own entries again (from the action's result).
 */
export function SignUpForm({
  action,
  result,
  start,
  consentWording,
}: {
  action: "/sign-in" | "/sign-up";
  /** The action's last result of this form, or of the code step that opened it. */
  result: (FormResultLike & { reason?: string }) | null | undefined;
  /** The ticket and address to start from, when no result carries them (the emailed link). */
  start?: { email: string; ticket: string; referralCode: string };
  /** CONSENT_WORDING.EMAIL.text, from the loader: the box's label is what gets recorded. */
  consentWording: string;
}) {
  const busy = useBusyIntent() === "sign-up";
  const [form, fields] = useZodForm(signUpForm, {
    result,
    ...(start ? { defaultValue: start } : {}),
  });
  const failed = failedResult(result);
  if (failed?.reason === SIGN_UP_RESTART) {
    return (
      <div className="space-y-4">
        <Alert tone="error">{failed.message}</Alert>
        <ButtonLink href="/sign-in">Back to sign-in</ButtonLink>
      </div>
    );
  }
  const value = (name: "email" | "ticket" | "next") => {
    const v = fields[name].initialValue;
    return typeof v === "string" ? v : "";
  };
  return (
    <Form method="post" action={action} className="space-y-4" {...getFormProps(form)}>
      <h2 className="font-semibold text-lg text-stone-900">Create your account</h2>
      <p className="text-sm text-stone-600">
        There is no Xplorium account for{" "}
        <span className="font-medium text-stone-900">{value("email")}</span> yet. A few details and
        you are in.
      </p>
      {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
      <input type="hidden" name="intent" value="sign-up" />
      <input type="hidden" name="ticket" value={value("ticket")} />
      <input type="hidden" name="email" value={value("email")} />
      {value("next") ? <input type="hidden" name="next" value={value("next")} /> : null}
      <TextField label="Your name (optional)" field={fields.name} autoComplete="name" />
      <div className="flex items-start gap-3">
        <input
          id="marketing-email"
          type="checkbox"
          name="marketingEmail"
          value="yes"
          defaultChecked={fields.marketingEmail.initialValue === "yes"}
          className="mt-0.5 size-5 shrink-0 rounded border-stone-400 accent-brand-700"
        />
        <label htmlFor="marketing-email" className="text-sm text-stone-800">
          {consentWording}{" "}
          <span className="text-stone-600">(optional: change it any time under Privacy)</span>
        </label>
      </div>
      <TextField
        label="Friend's referral code (optional)"
        field={fields.referralCode}
        autoComplete="off"
        autoCapitalize="characters"
        hint="From a friend's invitation link: you both get points after your first visit."
      />
      <Button className="w-full" busy={busy}>
        Create my account
      </Button>
      <p className="text-stone-600 text-xs">
        We use your email address to sign you in and send your vouchers and booking messages.
      </p>
    </Form>
  );
}
