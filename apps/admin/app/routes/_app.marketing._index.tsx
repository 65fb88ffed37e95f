import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Card, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:marketing");
  return null;
}

export default function Marketing() {
  return (
    <>
      <PageHeader title="Marketing" description="Segments, campaigns and the emails we send." />
      <div className="grid gap-4 sm:grid-cols-2">
        <Card title="Outbox">
          <p className="text-sm text-stone-600">
            Without a Resend API key, every email is kept here instead of being sent: sign-in codes,
            confirmations and campaigns.
          </p>
          <Link
            to="/marketing/outbox"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open the outbox →
          </Link>
        </Card>
        <Card title="Segments">
          <p className="text-sm text-stone-600">
            Saved filters over customers (tier, tags, bookings, spend, last visit, birthday month,
            consent) with a live count and a preview of who is in them.
          </p>
          <Link
            to="/marketing/segments"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open segments →
          </Link>
        </Card>
        <Card title="Automations">
          <p className="text-sm text-stone-600">
            Birthday, win-back and tier-upgrade emails that go out on their own, each to a customer
            at most once per period, with their own template and send log.
          </p>
          <Link
            to="/marketing/automations"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open automations →
          </Link>
        </Card>
        <Card title="Campaigns">
          <p className="text-sm text-stone-600">
            Emails to a segment's marketing list with merge tags: live preview as a real customer,
            test sends, scheduled or sent now, with progress while they go out.
          </p>
          <Link
            to="/marketing/campaigns"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open campaigns →
          </Link>
        </Card>
        <Card title="Settings">
          <p className="text-sm text-stone-600">
            Open and click tracking: whether campaign reports count opens and clicks per recipient.
          </p>
          <Link
            to="/marketing/settings"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open settings →
          </Link>
        </Card>
      </div>
    </>
  );
}
