import { Form } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  failedResult,
  formatNumber,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useEffect, useState } from "react";
import { venueTimeValue } from "~/lib/form-values";
import { audienceOf } from "./campaign-editor";
import { scheduleForm, useRecipientCount } from "./campaign-forms";
import { audienceLabel } from "./campaign-status";

type Campaign = RouterOutputs["campaigns"]["byId"];

/**
 * The last step: schedule (or move) the send in venue time, or send now after a confirmation
 * that counts the saved audience (that is what will be sent).
 */
export function CampaignSendCard({
  campaign,
  canEdit,
  result,
  timeZone,
  defaultScheduleAt,
}: {
  campaign: Campaign;
  canEdit: boolean;
  result: FormResultLike | undefined;
  timeZone: string;
  defaultScheduleAt: string;
}) {
  const busy = useBusyIntent();
  const { status } = campaign;
  const [form, fields] = useZodForm(scheduleForm, {
    result,
    intent: "schedule",
    defaultValue: {
      scheduledAt:
        campaign.scheduledAt && status === "SCHEDULED"
          ? venueTimeValue(new Date(campaign.scheduledAt), timeZone)
          : defaultScheduleAt,
    },
  });
  const [confirming, setConfirming] = useState(false);
  const savedCount = useRecipientCount(audienceOf(campaign));
  useEffect(() => {
    if (result?.ok) setConfirming(false);
  }, [result]);
  const failed = failedResult(result, "schedule", "sendNow");
  // What is wrong with the campaign itself (no subject, its segment deleted), in words.
  const otherErrors = Object.entries(failed?.reply.error ?? {})
    .filter(([name]) => name !== "" && name !== "intent" && name !== "scheduledAt")
    .flatMap(([, messages]) => messages ?? []);

  return (
    <Card title={status === "SCHEDULED" ? "Change the time, or send now" : "Send"}>
      <div className="space-y-4">
        {failed ? (
          <Alert tone="error">
            {failed.message}
            {otherErrors.map((m) => ` ${m}`)}
          </Alert>
        ) : null}
        <Form
          method="post"
          className="flex flex-wrap items-end gap-3"
          aria-label="Schedule"
          {...getFormProps(form)}
        >
          <TextField
            label="Send at"
            type="datetime-local"
            field={fields.scheduledAt}
            hint={`Venue time (${timeZone}).`}
          />
          <Button name="intent" value="schedule" busy={busy === "schedule"}>
            {status === "SCHEDULED" ? "Reschedule" : "Schedule"}
          </Button>
        </Form>
        {confirming ? (
          <Form
            method="post"
            className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
            aria-label="Confirm sending now"
          >
            <p className="text-sm text-stone-800" data-testid="send-now-confirmation">
              Send “{campaign.subject}” now to{" "}
              <strong>
                {savedCount.data
                  ? `${formatNumber(savedCount.data.total)} recipients`
                  : "everyone in its audience"}
              </strong>{" "}
              ({audienceLabel(campaign.audience)})? This cannot be undone; it can be cancelled while
              it sends.
            </p>
            <div className="flex gap-2">
              <Button name="intent" value="sendNow" busy={busy === "sendNow"}>
                Yes, send now
              </Button>
              <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
                Not yet
              </Button>
            </div>
          </Form>
        ) : (
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
            Send now…
          </Button>
        )}
        {status === "DRAFT" && canEdit ? (
          <p className="text-stone-500 text-xs">
            Unsaved edits are not sent: save the draft first.
          </p>
        ) : null}
      </div>
    </Card>
  );
}
