import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { Card, EmptyState, formatDate, PageHeader, SimpleTable } from "@xplorium/ui";
import { useEffect } from "react";
import {
  audienceLabel,
  CampaignProgressLine,
  CampaignStatusBadge,
} from "~/components/marketing/campaign-status";
import { useCan } from "~/lib/can";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Campaigns · Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  return data({ campaigns: await api.campaigns.list() }, { headers });
}

/** While anything is sending, the list refreshes itself every few seconds. */
function useRefreshWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle" && document.visibilityState === "visible") revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [active, revalidate, state]);
}

export default function CampaignsPage() {
  const { campaigns } = useLoaderData<typeof loader>();
  const canEdit = useCan()("write:marketing");
  useRefreshWhile(campaigns.some((c) => c.status === "SENDING"));
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Emails to a segment's marketing list: written in Markdown with merge tags, previewed, test-sent, then scheduled or sent now."
        actions={
          canEdit ? (
            <Link
              to="/marketing/campaigns/new"
              className="rounded-md bg-brand-700 px-3 py-2 font-medium text-sm text-white hover:bg-brand-800"
            >
              New campaign
            </Link>
          ) : null
        }
      />
      <Card title={`Campaigns (${campaigns.length})`}>
        {campaigns.length === 0 ? (
          <EmptyState title="No campaigns yet">
            Write one to a segment, such as “GOLD and up, party regulars with 5+ bookings”.
          </EmptyState>
        ) : (
          <SimpleTable
            caption="Campaigns, most recently changed first"
            columns={["Campaign", "Audience", "Status", "Progress", "When"]}
            scroll
          >
            {campaigns.map((c) => (
              <tr key={c.id} data-testid="campaign-row">
                <td className="py-3 pr-3">
                  <Link
                    to={`/marketing/campaigns/${c.id}`}
                    className="font-medium text-brand-700 hover:underline"
                  >
                    {c.name}
                  </Link>
                  <p className="text-stone-500 text-xs">{c.subject}</p>
                </td>
                <td className="py-3 pr-3 text-stone-600">{audienceLabel(c.audience)}</td>
                <td className="py-3 pr-3">
                  <CampaignStatusBadge status={c.status} />
                </td>
                <td className="py-3 pr-3">
                  <CampaignProgressLine {...c} />
                </td>
                <td className="py-3 text-stone-600">
                  {c.status === "SCHEDULED"
                    ? `Sends ${formatDate(c.scheduledAt, { time: true })}`
                    : c.finishedAt
                      ? formatDate(c.finishedAt, { time: true })
                      : c.startedAt
                        ? `Started ${formatDate(c.startedAt, { time: true })}`
                        : `Edited ${formatDate(c.updatedAt)}`}
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </Card>
    </>
  );
}
