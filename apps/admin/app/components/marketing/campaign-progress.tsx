import { Form, useRevalidator } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { trpc } from "@xplorium/api/client";
import {
  Alert,
  Button,
  Card,
  formatDate,
  formatNumber,
  ProgressBar,
  useBusyIntent,
} from "@xplorium/ui";
import { useEffect, useRef } from "react";

type Campaign = RouterOutputs["campaigns"]["byId"];

/**
 * A campaign past its draft: when it is scheduled, its sending progress (polled), and the
 * Cancel button while it can still be stopped.
 */
export function CampaignProgressCard({
  campaign,
  canSend,
  timeZone,
}: {
  campaign: Campaign;
  canSend: boolean;
  timeZone: string;
}) {
  const busy = useBusyIntent();
  const { status } = campaign;
  return (
    <Card
      title="Progress"
      className="mb-6"
      actions={
        canSend && (status === "SCHEDULED" || status === "SENDING") ? (
          <Form method="post">
            <Button
              name="intent"
              value="cancel"
              variant="danger"
              busy={busy === "cancel"}
              onClick={(e) => {
                if (!window.confirm("Cancel this campaign? Emails already sent stay sent.")) {
                  e.preventDefault();
                }
              }}
            >
              Cancel campaign
            </Button>
          </Form>
        ) : null
      }
    >
      {status === "SCHEDULED" ? (
        <p className="mb-3 text-sm text-stone-600">
          Scheduled for {formatDate(campaign.scheduledAt, { time: true })} ({timeZone}). The
          recipients are taken when sending starts.
        </p>
      ) : null}
      <ProgressPanel id={campaign.id} initialStatus={status} />
    </Card>
  );
}

/** Sent, not sent and to go, polled every 2 seconds while the campaign is sending. */
function ProgressPanel({ id, initialStatus }: { id: string; initialStatus: string }) {
  const revalidator = useRevalidator();
  const progress = trpc.campaigns.progress.useQuery(
    { id },
    {
      refetchInterval: (q) => {
        const status = q.state.data?.status ?? initialStatus;
        return status === "SENDING" || status === "SCHEDULED" ? 2000 : false;
      },
      refetchIntervalInBackground: false,
    },
  );
  const status = progress.data?.status;
  // When the worker moves it on (started, finished), the rest of the page follows.
  const seen = useRef(initialStatus);
  useEffect(() => {
    if (status && status !== seen.current) {
      seen.current = status;
      revalidator.revalidate();
    }
  }, [status, revalidator]);
  const p = progress.data;
  if (!p) return <p className="text-sm text-stone-500">Loading…</p>;
  // Nothing to count before the recipients are taken.
  if (!p.startedAt) {
    if (p.status === "SCHEDULED") return null;
    return (
      <div className="space-y-2" data-testid="campaign-progress">
        <p className="text-sm text-stone-600">
          {p.status === "CANCELLED" ? "Cancelled before sending: nobody was mailed." : null}
        </p>
        {p.error ? <Alert tone="error">{p.error}</Alert> : null}
      </div>
    );
  }
  const done = p.sentCount + p.failedCount;
  return (
    <div className="space-y-3" data-testid="campaign-progress">
      <ProgressBar
        value={done}
        max={p.recipientCount}
        label={`Sent ${p.sentCount} of ${p.recipientCount}`}
      />
      <dl className="grid grid-cols-3 gap-3 text-sm">
        <div>
          <dt className="text-stone-500">Sent</dt>
          <dd className="font-semibold text-lg tabular-nums">{formatNumber(p.sentCount)}</dd>
        </div>
        <div>
          <dt className="text-stone-500">Not sent</dt>
          <dd className="font-semibold text-lg tabular-nums">{formatNumber(p.failedCount)}</dd>
        </div>
        <div>
          <dt className="text-stone-500">
            {p.status === "SENDING" ? "To go" : p.status === "SENT" ? "Recipients" : "Left"}
          </dt>
          <dd className="font-semibold text-lg tabular-nums">
            {formatNumber(p.status === "SENT" ? p.recipientCount : p.remaining)}
          </dd>
        </div>
      </dl>
      <p className="text-stone-500 text-xs">
        {p.startedAt ? `Started ${formatDate(p.startedAt, { time: true })}` : null}
        {p.finishedAt ? ` · finished ${formatDate(p.finishedAt, { time: true })}` : null}
        {p.failedCount > 0
          ? " · “Not sent”: opted out, erased or suppressed since the list was taken, or refused by the provider."
          : null}
      </p>
      {p.error ? <Alert tone="error">{p.error}</Alert> : null}
    </div>
  );
}
