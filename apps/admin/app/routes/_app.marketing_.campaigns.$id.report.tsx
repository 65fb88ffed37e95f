import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { formatDate, PageHeader } from "@xplorium/ui";
import { useEffect } from "react";
import { CampaignReport } from "~/components/marketing/campaign-report";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.report.campaign.name ?? "Campaign"} · Report · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  try {
    const report = await api.tracking.report({ campaignId: params.id ?? "" });
    return data({ report, timeZone: context.env.TIME_ZONE }, { headers });
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.status === 404 || failure.status === 400) {
      throw new Response("No campaign with that id.", { status: 404 });
    }
    throw error;
  }
}

/** While the tab is visible, the numbers refresh every half minute as webhooks arrive. */
function useRefreshEvery(ms: number) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && state === "idle") revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, revalidate, state]);
}

const STATUS: Record<string, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  SENDING: "Sending",
  SENT: "Sent",
  CANCELLED: "Cancelled",
  FAILED: "Failed",
};

export default function CampaignReportPage() {
  const { report, timeZone } = useLoaderData<typeof loader>();
  useRefreshEvery(30_000);
  const { campaign } = report;
  const when = campaign.startedAt
    ? ` · sending started ${formatDate(campaign.startedAt, { time: true })}`
    : "";
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/marketing/campaigns/${campaign.id}`} className="text-brand-700 hover:underline">
          ← {campaign.name}
        </Link>
      </p>
      <PageHeader
        title={`Report: ${campaign.name}`}
        description={`“${campaign.subject}” · ${STATUS[campaign.status] ?? campaign.status}${when}`}
      />
      <CampaignReport report={report} timeZone={timeZone} />
    </>
  );
}
