import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  type FormResultLike,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { requestCodeForm, verifyCodeForm } from "./sign-in-forms";

/** `?next=` and `?ref=` ride along through every step as hidden fields. */
interface Carried {
  next: string | null;
  /** A friend's referral code (`ref`; React keeps `ref` for itself). */
  friendCode: string;
}

function CarriedFields({ next, friendCode }: Carried) {
  return (
    <>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {friendCode ? <input type="hidden" name="ref" value={friendCode} /> : null}
    </>
  );
}

/** The first step again, keeping `next` and `ref`. */
function startOver({ next, friendCode }: Carried): string {
  const params = new URLSearchParams();
  if (next) params.set("next", next);
  if (friendCode) params.set("ref", friendCode);
  const query = params.toString();
  return query ? `/sign-in?${query}` : "/sign-in";
}

/** Step one: the address to email a code to (or, for a new address, a sign-up code). */
export function EmailStep({
  result,
  ...carried
}: Carried & { result: FormResultLike | null | undefined }) {
  const [form, fields] = useZodForm(requestCodeForm, { result, intent: "request" });
  const busy = useBusyIntent() === "request";
  return (
    <>
      <p className="mb-6 text-sm text-stone-600">
        Points, rewards and your privacy choices. No password needed: we email you a code. New here?
        Enter your email to create your account.
      </p>
      {carried.friendCode ? (
        <div className="mb-4">
          <Alert tone="info">
            A friend invited you (code{" "}
            <span className="font-mono font-semibold">{carried.friendCode}</span>). It is applied
            when you create your account.
          </Alert>
        </div>
      ) : null}
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
        <input type="hidden" name="intent" value="request" />
        <CarriedFields {...carried} />
        <TextField label="Email" field={fields.email} type="email" autoComplete="email" autoFocus />
        <Button className="w-full" busy={busy}>
          Email me a sign-in code
        </Button>
      </Form>
    </>
  );
}

/**
 * Step two: the 6-digit code sent to `email`. `notice` says it is on its way (the same words
 * for every address); after a refusal the step shows why. Too many code checks for one address
 * (429): the emailed link is not limited per address, so it still signs in.
 */
export function CodeStep({
  email,
  notice,
  result,
  ...carried
}: Carried & {
  email: string;
  notice: string | null;
  result: (FormResultLike & { retryAfterSeconds?: number }) | null | undefined;
}) {
  const [form, fields] = useZodForm(verifyCodeForm, { result, intent: "verify" });
  const busy = useBusyIntent() === "verify";
  const limited = result?.intent === "verify" && result.retryAfterSeconds !== undefined;
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {form.errors ? (
        <Alert tone="error">
          {form.errors[0]}
          {limited ? " Or use the link in the latest email we sent." : null}
        </Alert>
      ) : null}
      <input type="hidden" name="email" value={email} />
      <input type="hidden" name="intent" value="verify" />
      <CarriedFields {...carried} />
      <TextField
        label="6-digit code"
        field={fields.code}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus
      />
      <Button className="w-full" busy={busy}>
        Sign in
      </Button>
      <p className="text-center text-sm text-stone-600">
        <a href={startOver(carried)} className="text-brand-700 hover:underline">
          Use another email or get a new code
        </a>
      </p>
    </Form>
  );
}
