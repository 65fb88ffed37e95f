import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, formatDate } from "@xplorium/ui";
import type { ReactNode } from "react";
import { PublicCard } from "~/components/public-card";
import { describeActionError, portalApi } from "~/lib/api.server";

export const meta: MetaFunction = () => [{ title: "Confirm marketing messages · My Xplorium" }];

const INVALID =
  "This confirmation link is not valid. Check that you opened the whole link from our email.";
const STATUS = { invalid: 404, expired: 410, superseded: 409 } as const;

/**
 * The double opt-in link from the confirmation email. GET only shows what is being confirmed
 * and one button, so mail scanners that open links confirm nothing; the POST confirms. No
 * sign-in: the signed link is the proof.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await portalApi(request, context);
  try {
    const link = await api.consent.preview({ token: params.token ?? "" });
    const status = link.status in STATUS ? STATUS[link.status as keyof typeof STATUS] : 200;
    return data(link, { status, headers });
  } catch (error) {
    const f = describeActionError(error);
    if (f.status !== 400) throw error;
    return data({ status: "invalid" as const, message: INVALID }, { status: 404, headers });
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await portalApi(request, context);
  try {
    const r = await api.consent.confirm({ token: params.token ?? "" });
    return data({ ok: true as const, ...r }, { headers });
  } catch (error) {
    const f = describeActionError(error);
    const message = f.status === 400 ? INVALID : f.message;
    // The same statuses as the GET: a malformed link is not found, an expired one is gone.
    const status = f.status === 400 ? 404 : f.status === 412 ? 410 : f.status;
    return data({ ok: false as const, message }, { status, headers });
  }
}

const what = (channel: "EMAIL" | "SMS") =>
  channel === "EMAIL" ? "Xplorium emails" : "Xplorium SMS messages";

function Wording({ text }: { text: string }) {
  return (
    <blockquote
      className="rounded-xl border-brand-600 border-l-4 bg-brand-50 px-4 py-3 text-left text-stone-800"
      data-testid="consent-wording"
    >
      “{text}”
    </blockquote>
  );
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <PublicCard title={title} wide>
      {children}
      <a href="/" className="block pt-2 text-brand-700 text-sm hover:underline">
        Go to my Xplorium account
      </a>
    </PublicCard>
  );
}

export default function ConfirmConsent() {
  const link = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";

  if (result?.ok) {
    return (
      <Shell
        title={result.status === "confirmed" ? "Thank you, you're subscribed" : "Already confirmed"}
      >
        <Alert tone="success">
          {result.status === "confirmed"
            ? `You will get ${what(result.channel)}. You can turn them off at any time in your account or from any message.`
            : `You had already confirmed ${what(result.channel)}${result.confirmedAt ? ` on ${formatDate(result.confirmedAt)}` : ""}.`}
        </Alert>
        {result.status === "already_confirmed" && !result.optedIn ? (
          <p className="text-sm text-stone-600">
            You have unsubscribed since then, and that choice stands. Turn them on again in your
            account if you like.
          </p>
        ) : null}
      </Shell>
    );
  }

  if (link.status === "ready") {
    return (
      <Shell title={`Please confirm you want ${what(link.channel)}`}>
        {result ? <Alert tone="error">{result.message}</Alert> : null}
        <p className="text-sm text-stone-700">
          We were asked on {formatDate(link.requestedAt)} to send you {what(link.channel)}, with
          this wording:
        </p>
        <Wording text={link.wording} />
        <Form method="post">
          <Button className="w-full py-3 text-base" busy={busy}>
            Yes, confirm
          </Button>
        </Form>
        <p className="text-stone-600 text-xs">
          If you did not ask for this, close this page: nothing changes unless you confirm. This
          link works until {formatDate(link.expiresAt)}.
        </p>
      </Shell>
    );
  }

  if (link.status === "already_confirmed") {
    return (
      <Shell title="Already confirmed">
        <Alert tone="success">
          You confirmed {what(link.channel)}
          {link.confirmedAt ? ` on ${formatDate(link.confirmedAt)}` : ""}. There is nothing more to
          do.
        </Alert>
        {!link.optedIn ? (
          <p className="text-sm text-stone-600">
            You have unsubscribed since then, and that choice stands.
          </p>
        ) : null}
        <Wording text={link.wording} />
      </Shell>
    );
  }

  const titles = {
    invalid: "This link does not work",
    expired: "This link has expired",
    superseded: "This link is no longer needed",
  } as const;
  return (
    <Shell title={titles[link.status]}>
      <Alert tone={link.status === "superseded" ? "info" : "error"}>
        {result ? result.message : link.message}
      </Alert>
    </Shell>
  );
}
