import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, Card, formatDate, PageHeader, TextField } from "@xplorium/ui";
import { qrCodeDataUrl } from "@xplorium/ui/qr-code";
import { Toast } from "@xplorium/ui/remix";
import {
  asksForPassword,
  ConfirmPasswordField,
  PASSWORD_FIELD,
} from "~/components/confirm-password-field";
import { CodeField } from "~/components/two-factor/code-field";
import { RecoveryCodes } from "~/components/two-factor/recovery-codes";
import { describeActionError, forwardDataHeaders } from "~/lib/api.server";
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

type Intent = "start" | "confirm" | "regenerate" | "disable";

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireSignedInStaff(request, context);
  const form = await request.formData();
  const text = (k: string) => String(form.get(k) ?? "");
  const intent = text("intent") as Intent;
  headers.set("Cache-Control", "no-store");
  try {
    if (intent === "start") {
      // "Your password", when asked: checked by the same call (this member may owe the setup,
      // and auth.staff.confirmPassword is not open to them).
      const password = text(PASSWORD_FIELD);
      await api.twoFactor.start(password ? { password } : null);
      return data({ ok: true as const, intent, recoveryCodes: null, toast: null }, { headers });
    }
    if (intent === "confirm") {
      const { recoveryCodes } = await api.twoFactor.confirm({ code: text("code") });
      const toast = "Two-factor sign-in is on.";
      return data({ ok: true as const, intent, recoveryCodes, toast }, { headers });
    }
    if (intent === "regenerate") {
      const { recoveryCodes } = await api.twoFactor.regenerateRecoveryCodes({ code: text("code") });
      const toast = "New recovery codes made; the old ones no longer work.";
      return data({ ok: true as const, intent, recoveryCodes, toast }, { headers });
    }
    if (intent === "disable") {
      await api.twoFactor.disable({
        ...(text("password") ? { password: text("password") } : {}),
        ...(text("code").trim() ? { code: text("code") } : {}),
      });
      const toast = "Two-factor sign-in is off.";
      return data({ ok: true as const, intent, recoveryCodes: null, toast }, { headers });
    }
    return data(
      {
        ok: false as const,
        intent,
        status: 400,
        message: "Unknown action.",
        fieldErrors: {} as Record<string, string[] | undefined>,
      },
      { status: 400, headers },
    );
  } catch (error) {
    const failure = describeActionError(error);
    return data({ ...failure, intent }, { status: failure.status, headers });
  }
}

export default function TwoFactorPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = (intent: Intent) => nav.state !== "idle" && nav.formData?.get("intent") === intent;
  const failed = (intent: Intent) =>
    result && !result.ok && result.intent === intent ? result : null;
  const shownCodes = result?.ok ? result.recoveryCodes : null;
  const continueTo = page.next ?? "/account";

  return (
    <>
      <PageHeader
        title="Two-factor sign-in"
        description="After your password, a code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Authy…): a stolen password alone does not open your account."
      />
      <Toast
        message={
          result?.ok && result.toast
            ? { id: String(Date.now()), tone: "success", text: result.toast }
            : null
        }
      />
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

        {!page.enabled && !page.enrolment ? (
          <Card title="Set it up">
            <ol className="list-decimal space-y-1 pl-5 text-sm text-stone-700">
              <li>Install an authenticator app on your phone, if you have none.</li>
              <li>Scan the QR code this page shows next (or type in the key).</li>
              <li>Enter the 6-digit code the app then shows.</li>
            </ol>
            <Form method="post" className="mt-4">
              <input type="hidden" name="intent" value="start" />
              {failed("start") && !asksForPassword(failed("start")) ? (
                <Alert tone="error">{failed("start")?.message}</Alert>
              ) : null}
              <ConfirmPasswordField
                show={page.askPassword}
                failure={failed("start")}
                minutes={page.confirmMinutes}
              />
              <Button busy={busy("start")}>Set up two-factor sign-in</Button>
            </Form>
          </Card>
        ) : null}

        {!page.enabled && page.enrolment ? (
          <Card title="Add Xplorium CRM to your authenticator app">
            <div className="flex flex-col gap-5 sm:flex-row">
              <img
                src={page.enrolment.qr}
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
                    {page.enrolment.secret}
                  </p>
                  <p className="mt-1 text-stone-500 text-xs">
                    Time-based, 6 digits, every 30 seconds (the app's defaults).
                  </p>
                </div>
              </div>
            </div>
            <Form method="post" className="mt-5 space-y-3" noValidate>
              <input type="hidden" name="intent" value="confirm" />
              {failed("confirm") && !failed("confirm")?.fieldErrors.code ? (
                <Alert tone="error">{failed("confirm")?.message}</Alert>
              ) : null}
              <CodeField
                label="2. The 6-digit code the app shows now"
                error={failed("confirm")?.fieldErrors.code}
                autoFocus
              />
              <Button busy={busy("confirm")}>Turn on two-factor sign-in</Button>
            </Form>
            <Form method="post" className="mt-3 space-y-3">
              <input type="hidden" name="intent" value="start" />
              <ConfirmPasswordField
                show={page.askPassword}
                failure={failed("start")}
                minutes={page.confirmMinutes}
              />
              <button
                type="submit"
                className="font-medium text-sm text-stone-600 hover:underline"
                disabled={busy("start")}
              >
                Start over with a new key
              </button>
            </Form>
          </Card>
        ) : null}

        {page.enabled ? (
          <>
            <Card title="Two-factor sign-in is on">
              <p className="text-sm text-stone-700" data-testid="two-factor-status">
                On since {formatDate(page.enabledAt, { time: true })}. You have{" "}
                <strong>{page.recoveryCodesLeft}</strong> of 10 recovery codes left.
              </p>
              {page.recoveryCodesLeft <= 3 ? (
                <p className="mt-2 text-amber-800 text-sm">
                  Few recovery codes left: make new ones below.
                </p>
              ) : null}
            </Card>

            <Card title="New recovery codes">
              <Form method="post" className="space-y-3" noValidate key={`regen-${shownCodes?.[0]}`}>
                <input type="hidden" name="intent" value="regenerate" />
                <p className="text-sm text-stone-700">
                  Makes ten new codes; the old ones stop working.
                </p>
                {failed("regenerate") && !failed("regenerate")?.fieldErrors.code ? (
                  <Alert tone="error">{failed("regenerate")?.message}</Alert>
                ) : null}
                <CodeField error={failed("regenerate")?.fieldErrors.code} />
                <Button variant="secondary" busy={busy("regenerate")}>
                  Make new recovery codes
                </Button>
              </Form>
            </Card>

            <Card title="Turn it off">
              {page.requiredBy ? (
                <p className="text-sm text-stone-700" data-testid="two-factor-required">
                  {REQUIRED_BY[page.requiredBy]} It cannot be turned off.
                </p>
              ) : (
                <Form method="post" className="space-y-3" noValidate>
                  <input type="hidden" name="intent" value="disable" />
                  <input
                    type="text"
                    name="username"
                    autoComplete="username"
                    value={page.staff.email}
                    readOnly
                    hidden
                  />
                  <p className="text-sm text-stone-700">
                    Your password or a current code from the app proves it is you.
                  </p>
                  {failed("disable") &&
                  Object.keys(failed("disable")?.fieldErrors ?? {}).length === 0 ? (
                    <Alert tone="error">{failed("disable")?.message}</Alert>
                  ) : null}
                  <TextField
                    label="Your password"
                    name="password"
                    type="password"
                    autoComplete="current-password"
                    error={failed("disable")?.fieldErrors.password}
                  />
                  <CodeField
                    label="Or a current code from the app"
                    required={false}
                    error={failed("disable")?.fieldErrors.code}
                  />
                  <Button variant="danger" busy={busy("disable")}>
                    Turn off two-factor sign-in
                  </Button>
                </Form>
              )}
            </Card>
          </>
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
