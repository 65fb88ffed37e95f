import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Alert, PageHeader, useResultToast } from "@xplorium/ui";
import { qrCodeDataUrl } from "@xplorium/ui/qr-code";
import { Toast } from "@xplorium/ui/remix";
import { RecoveryCodes } from "~/components/two-factor/recovery-codes";
import { EnrolmentCard, StartSetupCard } from "~/components/two-factor/setup-cards";
import { twoFactorForms } from "~/components/two-factor/two-factor-forms";
import { TwoFactorOnCards } from "~/components/two-factor/two-factor-on";
import { forwardDataHeaders } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { passwordPrompt } from "~/lib/reauth.server";
import { requireSignedInStaff, safeNext } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · Xplorium CRM" }];

/** Cache-Control: no-store (the setup's secret, the recovery codes); Retry-After on a 429. */
export const headers = forwardDataHeaders;

const REQUIRED_BY = {
  policy: "Two-factor sign-in is required for all staff here.",
  owners: "Owners must use two-factor sign-in once any owner does.",
} as const;

/**
 * A staff member's own two-factor sign-in (any role), and the one page a member who owes its
 * setup can open. The secret of a setup in progress is read fresh each time (never cached).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff, mustSetUpTwoFactor, passwordConfirmedAt } =
    await requireSignedInStaff(request, context);
  const status = await api.twoFactor.status();
  const next = new URL(request.url).searchParams.get("next");
  headers.set("Cache-Control", "no-store");
  return data(
    {
      staff,
      mustSetUpTwoFactor,
      enabled: status.enabled,
      enabledAt: status.enabledAt,
      requiredBy: status.requiredBy,
      recoveryCodesLeft: status.recoveryCodesLeft,
      needsSetupAgain: status.needsSetupAgain,
      enrolment: status.enrolment
        ? {
            // In groups of four, easier to type into an app by hand.
            secret: status.enrolment.secret.replace(/(.{4})(?=.)/g, "$1 "),
            qr: await qrCodeDataUrl(status.enrolment.uri),
          }
        : null,
      // After the setup: back to the page the member was sent here from.
      next: next ? safeNext(next, context) : null,
      // Starting the setup needs the password entered recently (a stolen session must not
      // enrol the thief's phone); asked up front when it is older.
      ...passwordPrompt({ passwordConfirmedAt }, context),
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireSignedInStaff(request, context);
  headers.set("Cache-Control", "no-store");
  const submission = parseForm(await request.formData(), twoFactorForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  /** Success, with the recovery codes to show once (after the setup or new ones). */
  const done = (toast: string | null, recoveryCodes: string[] | null = null) => {
    const result = formResult(submission, { headers, ...(toast ? { toast } : {}) });
    return data({ ...result.data, recoveryCodes }, { headers });
  };
  try {
    switch (input.intent) {
      case "start":
        // "Your password", when asked: checked by the same call (this member may owe the setup,
        // and auth.staff.confirmPassword is not open to them).
        await api.twoFactor.start(input.yourPassword ? { password: input.yourPassword } : null);
        return done(null);
      case "confirm": {
        const { recoveryCodes } = await api.twoFactor.confirm({ code: input.code });
        return done("Two-factor sign-in is on.", recoveryCodes);
      }
      case "regenerate": {
        const { recoveryCodes } = await api.twoFactor.regenerateRecoveryCodes({ code: input.code });
        return done("New recovery codes made; the old ones no longer work.", recoveryCodes);
      }
      case "disable":
        await api.twoFactor.disable({
          ...(input.password ? { password: input.password } : {}),
          ...(input.code?.trim() ? { code: input.code } : {}),
        });
        return done("Two-factor sign-in is off.");
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function TwoFactorPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const toast = useResultToast(result?.ok ? result : null);
  const shownCodes =
    result && "recoveryCodes" in result ? (result.recoveryCodes as string[] | null) : null;
  const continueTo = page.next ?? "/account";

  return (
    <>
      <PageHeader
        title="Two-factor sign-in"
        description="After your password, a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Authy…): a stolen password alone does not open your account."
      />
      <Toast message={toast} />
      <div className="max-w-2xl space-y-6">
        {page.mustSetUpTwoFactor ? (
          <Alert tone="info">
            {page.requiredBy ? REQUIRED_BY[page.requiredBy] : null} Set it up to continue: the rest
            of the CRM opens once it is on.
          </Alert>
        ) : null}

        {page.needsSetupAgain && !page.enabled ? (
          <Alert tone="info">
            Your authenticator app's key can no longer be read here (the server's secret was
            changed). Set it up again; until then, sign in with your recovery codes.
          </Alert>
        ) : null}

        {shownCodes ? (
          <>
            <RecoveryCodes codes={shownCodes} email={page.staff.email} />
            <Link
              to={continueTo}
              className="inline-flex rounded-lg bg-brand-700 px-4 py-2 font-semibold text-sm text-white hover:bg-brand-800"
              data-testid="recovery-codes-saved"
            >
              I have saved my recovery codes
            </Link>
          </>
        ) : null}

        {!page.enabled && !page.enrolment ? <StartSetupCard result={result} prompt={page} /> : null}
        {!page.enabled && page.enrolment ? (
          <EnrolmentCard enrolment={page.enrolment} result={result} prompt={page} />
        ) : null}
        {page.enabled ? (
          <TwoFactorOnCards
            result={result}
            enabledAt={page.enabledAt}
            recoveryCodesLeft={page.recoveryCodesLeft}
            requiredBy={page.requiredBy ? REQUIRED_BY[page.requiredBy] : null}
            email={page.staff.email}
            shownCodes={shownCodes}
          />
        ) : null}

        <p className="text-sm">
          <Link to="/account" className="font-medium text-brand-700 hover:underline">
            ← Your account
          </Link>
        </p>
      </div>
    </>
  );
}
