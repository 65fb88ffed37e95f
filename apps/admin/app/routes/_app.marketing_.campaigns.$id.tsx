import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Card, failedResult, formatDate, PageHeader, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useState } from "react";
import { CampaignEditor } from "~/components/marketing/campaign-editor";
import { campaignForms, EVERYONE } from "~/components/marketing/campaign-forms";
import {
  CampaignPreviewFrame,
  CustomerPicker,
  type PreviewCustomer,
  useCampaignPreview,
} from "~/components/marketing/campaign-preview";
import { CampaignProgressCard } from "~/components/marketing/campaign-progress";
import { CampaignReport } from "~/components/marketing/campaign-report";
import { CampaignSendCard } from "~/components/marketing/campaign-send";
import { audienceLabel, CampaignStatusBadge } from "~/components/marketing/campaign-status";
import { CampaignTestSendCard } from "~/components/marketing/campaign-test-send";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { parseVenueTime, venueTimeValue } from "~/lib/form-values";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.campaign?.name ?? "New campaign"} · Campaigns · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  const isNew = params.id === "new";
  const [campaign, segments] = await Promise.all([
    isNew ? null : api.campaigns.byId({ id: params.id ?? "" }),
    api.segments.list(),
  ]);
  // Once sending has started, the results (from Resend's webhooks) show on the page too.
  const report =
    campaign?.startedAt != null ? await api.tracking.report({ campaignId: campaign.id }) : null;
  return data(
    {
      campaign,
      report,
      segments: segments.map((s) => ({ id: s.id, name: s.name })),
      timeZone: context.env.TIME_ZONE,
      // A sensible default for the schedule field: tomorrow at 10:00, venue time.
      defaultScheduleAt: venueTimeValue(
        new Date(Date.now() + 24 * 3_600_000),
        context.env.TIME_ZONE,
      )
        .slice(0, 10)
        .concat("T10:00"),
    },
    { headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  // A post without an intent is the editor's (Enter in a field of an old page).
  if (!form.has("intent")) form.set("intent", "save");
  const permission = form.get("intent") === "save" ? "write:marketing" : "send:campaign";
  const { api, headers } = await requireStaff(request, context, permission);
  const submission = parseForm(form, campaignForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const id = params.id ?? "";
  const input = submission.value;
  try {
    switch (input.intent) {
      case "save": {
        const message = {
          name: input.name,
          subject: input.subject,
          preheader: input.preheader,
          bodyMarkdown: input.bodyMarkdown,
          segmentId: input.segmentId === EVERYONE ? null : input.segmentId,
        };
        if (id === "new") {
          const created = await api.campaigns.create(message);
          return redirect(`/marketing/campaigns/${created.id}?saved=1`, { headers });
        }
        const r = await api.campaigns.update({ id, ...message });
        return formResult(submission, {
          headers,
          toast: r.changed ? "Campaign saved." : "Nothing to change.",
        });
      }
      case "sendTest": {
        const to = input.to.split(/[\s,;]+/).filter(Boolean);
        const { customerId } = input;
        const r = await api.campaigns.sendTest({ id, to, ...(customerId ? { customerId } : {}) });
        return formResult(submission, { headers, toast: `Test sent to ${r.to.join(", ")}.` });
      }
      case "schedule": {
        const at = parseVenueTime(input.scheduledAt, context.env.TIME_ZONE);
        if (!at) {
          const refuse = {
            message: "Choose when to send it.",
            fieldErrors: { scheduledAt: ["Enter a date and time."] },
          };
          return formResult(submission, { headers, refuse });
        }
        const r = await api.campaigns.schedule({ id, scheduledAt: at });
        const toast = `Scheduled for ${formatDate(r.scheduledAt, { time: true })}.`;
        return formResult(submission, { headers, toast });
      }
      case "sendNow":
        await api.campaigns.sendNow({ id });
        return formResult(submission, { headers, toast: "Sending has started." });
      case "cancel":
        await api.campaigns.cancel({ id });
        return formResult(submission, { headers, toast: "Campaign cancelled." });
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function CampaignPage() {
  const { campaign, report, segments, timeZone, defaultScheduleAt } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const can = useCan();
  const canEdit = can("write:marketing");
  const canSend = can("send:campaign");
  const [params] = useSearchParams();
  const toast = useResultToast(result, params.get("saved") ? "Campaign saved." : null);

  const status = campaign?.status ?? "DRAFT";
  // After a refused save, what was typed; else the saved campaign.
  const typed = failedResult(result, "save")?.reply.initialValue;
  const [message, setMessage] = useState({
    subject: String(typed?.subject ?? campaign?.subject ?? ""),
    preheader: String(typed?.preheader ?? campaign?.preheader ?? ""),
    bodyMarkdown: String(typed?.bodyMarkdown ?? campaign?.bodyMarkdown ?? ""),
  });
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const preview = useCampaignPreview(message, customer?.id ?? null);

  return (
    <>
      <Link to="/marketing/campaigns" className="text-brand-700 text-sm hover:underline">
        ← All campaigns
      </Link>
      <div className="mt-3">
        <PageHeader
          title={campaign ? campaign.name : "New campaign"}
          description={
            campaign
              ? `${audienceLabel(campaign.audience)}${
                  campaign.status === "SCHEDULED"
                    ? ` · sends ${formatDate(campaign.scheduledAt, { time: true })}`
                    : ""
                }`
              : "Write it, preview it with a real customer, send yourself a test, then schedule it."
          }
          actions={campaign ? <CampaignStatusBadge status={campaign.status} /> : null}
        />
      </div>
      <Toast message={toast} />

      {campaign && status !== "DRAFT" ? (
        <CampaignProgressCard campaign={campaign} canSend={canSend} timeZone={timeZone} />
      ) : null}

      {report && campaign ? (
        <Card
          title="Results"
          actions={
            <Link
              to={`/marketing/campaigns/${campaign.id}/report`}
              className="text-brand-700 text-sm hover:underline"
            >
              Full report
            </Link>
          }
        >
          <CampaignReport report={report} timeZone={timeZone} />
        </Card>
      ) : null}

      <div className="grid gap-6 xl:grid-cols-[1fr_34rem]">
        <div className="space-y-6">
          <CampaignEditor
            campaign={campaign}
            segments={segments}
            editable={canEdit && status === "DRAFT"}
            result={result}
            message={message}
            onMessageChange={setMessage}
            liveErrors={preview.data?.fieldErrors ?? {}}
          />
          {campaign && canSend ? (
            <CampaignTestSendCard result={result} customer={customer} />
          ) : null}
          {campaign && canSend && (status === "DRAFT" || status === "SCHEDULED") ? (
            <CampaignSendCard
              campaign={campaign}
              canEdit={canEdit}
              result={result}
              timeZone={timeZone}
              defaultScheduleAt={defaultScheduleAt}
            />
          ) : null}
        </div>

        <Card title="Preview">
          <div className="space-y-4">
            <CustomerPicker value={customer} onChange={setCustomer} />
            <CampaignPreviewFrame preview={preview} />
          </div>
        </Card>
      </div>
    </>
  );
}
