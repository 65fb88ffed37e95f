import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button } from "@xplorium/ui";
import type { ReactNode } from "react";
import { PublicCard } from "~/components/public-card";
import { describeActionError, portalApi } from "~/lib/api.server";

export const meta: MetaFunction = () => [
  { title: "Unsubscribe · My Xplorium" },
  { name: "robots", content: "noindex" },
];

const INVALID =
  "This unsubscribe link is not valid. Check that you opened the whole link from our email, or change your preferences in your Xplorium account.";

type Channel = "EMAIL" | "SMS";
type Failure = { status: "invalid"; message: string } | { status: "limited"; message: string };

/** A failed call as the page shows it: a mangled link is not found, a busy IP waits. */
function failure(error: unknown, headers: Headers) {
  const f = describeActionError(error);
  if (f.status === 429) {
    if (f.retryAfterSeconds) headers.set("Retry-After", String(f.retryAfterSeconds));
    return data<Failure>({ status: "limited", message: f.message }, { status: 429, headers });
  }
  if (f.status !== 400 && f.status !== 404) throw error;
  return data<Failure>({ status: "invalid", message: INVALID }, { status: 404, headers });
}

/**
 * The unsubscribe link of a marketing message (DESIGN.md "Consent"), no sign-in: the signed
 * token is the authority. GET only shows whose subscription it is and one button, so mail
 * scanners that follow links unsubscribe nobody.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await portalApi(request, context);
  try {
    const link = await api.consent.unsubscribePreview({ token: params.token ?? "" });
    if (link.status === "invalid") {
      return data({ status: "invalid" as const, message: link.message }, { status: 404, headers });
    }
    return data(link, { status: 200, headers });
  } catch (error) {
    return failure(error, headers);
  }
}

/**
 * POST unsubscribes at once, whatever the body: the page's button, or a mailbox provider's
 * RFC 8058 one-click (`List-Unsubscribe=One-Click`, no cookies, no Origin; the app server's
 * same-origin check exempts exactly this, see SAME_ORIGIN_EXEMPTIONS). Answers 200, a second
 * time too ("already unsubscribed"). Remix runs the loader after the action, so a POST counts
 * twice towards the per-IP limit (UNSUBSCRIBE_LIMITS allows for it).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await portalApi(request, context);
  try {
    const done = await api.consent.unsubscribe({ token: params.token ?? "" });
    // An explicit status: an action's status takes precedence over the loader's that follows.
    return data(done, { status: 200, headers });
  } catch (error) {
    return failure(error, headers);
  }
}

/** Retry-After (and Set-Cookie) from the action or the loader reach the browser. */
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const out = new Headers();
  for (const h of [loaderHeaders, actionHeaders]) {
    for (const [key, value] of h) if (key !== "set-cookie") out.set(key, value);
    for (const cookie of h.getSetCookie()) out.append("Set-Cookie", cookie);
  }
  return out;
};

const WHAT = {
  EMAIL: { name: "Xplorium emails", kind: "news, offers and birthday treats by email" },
  SMS: { name: "Xplorium SMS messages", kind: "offers and reminders by SMS" },
} as const satisfies Record<Channel, { name: string; kind: string }>;

function Account({ maskedEmail }: { maskedEmail: string | null }) {
  return maskedEmail ? (
    <>
      {" "}
      for <strong data-testid="masked-email">{maskedEmail}</strong>
    </>
  ) : null;
}

function Preferences({ children }: { children: ReactNode }) {
  return (
    <p className="text-sm text-stone-600">
      <a href="/privacy" className="font-semibold text-brand-700 hover:underline">
        {children}
      </a>{" "}
      (you will be asked to sign in).
    </p>
  );
}

const transactionalNote =
  "Messages about your account, such as sign-in codes and vouchers, still arrive.";

export default function Unsubscribe() {
  const link = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const shown = result ?? link;

  if (shown.status === "invalid" || shown.status === "limited") {
    return (
      <PublicCard
        wide
        title={shown.status === "invalid" ? "This link does not work" : "Please wait a moment"}
      >
        <Alert tone="error">{shown.message}</Alert>
        <Preferences>Manage my preferences in my account</Preferences>
      </PublicCard>
    );
  }

  const what = WHAT[shown.channel];
  if (shown.status === "unsubscribed") {
    return (
      <PublicCard wide title="You're unsubscribed">
        <Alert tone="success">
          You will get no more {what.name}
          <Account maskedEmail={shown.maskedEmail} />. {transactionalNote}
        </Alert>
        <Preferences>Changed your mind? Turn them on again in your account</Preferences>
      </PublicCard>
    );
  }

  if (shown.status === "already_unsubscribed") {
    return (
      <PublicCard wide title="You're already unsubscribed">
        <Alert tone="info">
          You are not subscribed to {what.name}
          <Account maskedEmail={shown.maskedEmail} />, so there is nothing to do.
        </Alert>
        <Preferences>Manage my preferences in my account</Preferences>
      </PublicCard>
    );
  }

  return (
    <PublicCard wide title={`Unsubscribe from ${what.name}?`}>
      <p className="text-sm text-stone-700">
        This stops {what.kind}
        <Account maskedEmail={shown.maskedEmail} />. {transactionalNote}
      </p>
      <Form method="post">
        <Button className="w-full py-3 text-base" busy={busy}>
          Unsubscribe
        </Button>
      </Form>
      <Preferences>Or choose what you get in my account</Preferences>
    </PublicCard>
  );
}
