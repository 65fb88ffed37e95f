import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Card, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:marketing");
  return null;
}

/** The section's pages, each with what it is for. */
const PAGES = [
  {
    title: "Outbox",
    to: "/marketing/outbox",
    text: "Without a Resend API key, every email is kept here instead of being sent: sign-in codes, confirmations and campaigns.",
    link: "Open the outbox →",
  },
  {
    title: "Segments",
    to: "/marketing/segments",
    text: "Saved filters over customers (tier, tags, bookings, spend, last visit, birthday month, consent) with a live count and a preview of who is in them.",
    link: "Open segments →",
  },
  {
    title: "Automations",
    to: "/marketing/automations",
    text: "Birthday, win-back and tier-upgrade emails that go out on their own, each to a customer at most once per period, with their own template and send log.",
    link: "Open automations →",
  },
  {
    title: "Campaigns",
    to: "/marketing/campaigns",
    text: "Emails to a segment's marketing list with merge tags: live preview as a real customer, test sends, scheduled or sent now, with progress while they go out.",
    link: "Open campaigns →",
  },
  {
    title: "Settings",
    to: "/marketing/settings",
    text: "Open and click tracking: whether campaign reports count opens and clicks per recipient.",
    link: "Open settings →",
  },
] as const;

export default function Marketing() {
  return (
    <>
      <PageHeader title="Marketing" description="Segments, campaigns and the emails we send." />
      <div className="grid gap-4 sm:grid-cols-2">
        {PAGES.map((p) => (
          <Card key={p.to} title={p.title}>
            <p className="text-sm text-stone-600">{p.text}</p>
            <Link
              to={p.to}
              className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
            >
              {p.link}
            </Link>
          </Card>
        ))}
      </div>
    </>
  );
}
