import { Form, useNavigation } from "@remix-run/react";
import { Alert, Button, TextField } from "@xplorium/ui";

export interface SignUpFormProps {
  action: string;
  email: string;
  ticket: string;
  name?: string;
  referralCode?: string;
  marketingEmail?: boolean;
  next?: string | null;
  message?: string | undefined;
  fieldErrors?: Record<string, string[] | undefined> | undefined;
  restart?: boolean | undefined;
  /** CONSENT_WORDING.EMAIL.text, from the loader: the box's label is what gets recorded. */
  consentWording: string;
}

/**
 * The last step of creating an account, once the address is proven: a name, the marketing
 * box (never pre-ticked; its label is the exact wording recorded with the consent) and a
 * friend's referral code. Shared by the sign-in page and the emailed sign-up link.
 */
export function SignUpForm(p: SignUpFormProps) {
  const busy = useNavigation().state !== "idle";
  const fieldErrors = p.fieldErrors ?? {};
  const formError = p.message && Object.keys(fieldErrors).length === 0 ? p.message : null;
  if (p.restart) {
    return (
      <div className="space-y-4">
        <Alert tone="error">{p.message}</Alert>
        <a
          href="/sign-in"
          className="block rounded-lg bg-brand-700 px-4 py-2.5 text-center font-semibold text-sm text-white hover:bg-brand-800"
        >
          Back to sign-in
        </a>
      </div>
    );
  }
  return (
    <Form method="post" action={p.action} className="space-y-4" noValidate>
      <h2 className="font-semibold text-lg text-stone-900">Create your account</h2>
      <p className="text-sm text-stone-600">
        There is no Xplorium account for{" "}
        <span className="font-medium text-stone-900">{p.email}</span> yet. A few details and you are
        in.
      </p>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <input type="hidden" name="intent" value="sign-up" />
      <input type="hidden" name="ticket" value={p.ticket} />
      <input type="hidden" name="email" value={p.email} />
      {p.next ? <input type="hidden" name="next" value={p.next} /> : null}
      <TextField
        label="Your name (optional)"
        name="name"
        autoComplete="name"
        defaultValue={p.name ?? ""}
        maxLength={120}
        error={fieldErrors.name}
      />
      <div className="flex items-start gap-3">
        <input
          id="marketing-email"
          type="checkbox"
          name="marketingEmail"
          value="yes"
          defaultChecked={p.marketingEmail === true}
          className="mt-0.5 size-5 shrink-0 rounded border-stone-400 accent-brand-700"
        />
        <label htmlFor="marketing-email" className="text-sm text-stone-800">
          {p.consentWording}{" "}
          <span className="text-stone-600">(optional: change it any time under Privacy)</span>
        </label>
      </div>
      <TextField
        label="Friend's referral code (optional)"
        name="referralCode"
        autoComplete="off"
        autoCapitalize="characters"
        defaultValue={p.referralCode ?? ""}
        maxLength={20}
        error={fieldErrors.referralCode}
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
