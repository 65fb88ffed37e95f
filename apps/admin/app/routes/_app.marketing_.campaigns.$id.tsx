import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { trpc } from "@xplorium/api/client";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  Alert,
  Button,
  Card,
  formatDate,
  formatNumber,
  PageHeader,
  ProgressBar,
  SelectField,
  TextField,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import {
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from "react";
import {
  CampaignPreviewFrame,
  CustomerPicker,
  type PreviewCustomer,
  useCampaignPreview,
} from "~/components/marketing/campaign-preview";
import { CampaignReport } from "~/components/marketing/campaign-report";
import { audienceLabel, CampaignStatusBadge } from "~/components/marketing/campaign-status";
import { describeActionError } from "~/lib/api.server";
import { parseVenueTime, venueTimeValue } from "~/lib/form-values";
import { requireStaff } from "~/lib/session.server";
import { useDebounced } from "~/lib/use-debounced";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.campaign?.name ?? "New campaign"} · Campaigns · Xplorium CRM` },
];

const MERGE_TAGS = [
  { tag: "{{firstName}}", means: "first name (or “there”)" },
  { tag: "{{points}}", means: "points balance" },
  { tag: "{{tier}}", means: "tier" },
  { tag: "{{pointsToNextTier}}", means: "points to the next tier" },
] as const;

/** The audience select: a segment id, everyone, or nothing chosen yet. */
const EVERYONE = "everyone";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:marketing");
  const isNew = params.id === "new";
  const [campaign, segments] = await Promise.all([
    isNew ? null : api.campaigns.byId({ id: params.id ?? "" }),
    api.segments.list(),
  ]);
  // Once sending has started, the results (from Resend's webhooks) show on the page too.
  const report =
    campaign?.startedAt != null ? await api.tracking.report({ campaignId: campaign.id }) : null;
  const permissions = ROLE_PERMISSIONS[staff.role];
  return data(
    {
      campaign,
      report,
      segments: segments.map((s) => ({ id: s.id, name: s.name })),
      canEdit: permissions.has("write:marketing"),
      canSend: permissions.has("send:campaign"),
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

type Intent = "save" | "sendTest" | "schedule" | "sendNow" | "cancel";

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save") as Intent;
  const permission = intent === "save" ? "write:marketing" : "send:campaign";
  const { api, headers } = await requireStaff(request, context, permission);
  const text = (name: string) => String(form.get(name) ?? "");
  const id = params.id ?? "";
  const values = {
    name: text("name"),
    subject: text("subject"),
    preheader: text("preheader"),
    bodyMarkdown: text("bodyMarkdown"),
    segmentId: text("segmentId"),
    to: text("to"),
    scheduledAt: text("scheduledAt"),
  };
  const ok = (toast: string) =>
    data({ ok: true as const, intent, at: Date.now(), toast }, { headers });
  const refused = (message: string, fieldErrors: Record<string, string[]>, status = 400) =>
    data(
      { ok: false as const, intent, at: Date.now(), message, fieldErrors, values },
      { status, headers },
    );
  try {
    if (intent === "save") {
      if (!values.segmentId) {
        return refused("Choose who it goes to.", {
          segmentId: ["Choose a segment, or everyone on the marketing list."],
        });
      }
      const message = {
        name: values.name,
        subject: values.subject,
        preheader: values.preheader,
        bodyMarkdown: values.bodyMarkdown,
        segmentId: values.segmentId === EVERYONE ? null : values.segmentId,
      };
      if (id === "new") {
        const created = await api.campaigns.create(message);
        return redirect(`/marketing/campaigns/${created.id}?saved=1`, { headers });
      }
      const r = await api.campaigns.update({ id, ...message });
      return ok(r.changed ? "Campaign saved." : "Nothing to change.");
    }
    if (intent === "sendTest") {
      const to = values.to
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const customerId = text("customerId");
      const r = await api.campaigns.sendTest({ id, to, ...(customerId ? { customerId } : {}) });
      return ok(`Test sent to ${r.to.join(", ")}.`);
    }
    if (intent === "schedule") {
      const at = parseVenueTime(values.scheduledAt, context.env.TIME_ZONE);
      if (!at) {
        return refused("Choose when to send it.", {
          scheduledAt: ["Enter a date and time."],
        });
      }
      const r = await api.campaigns.schedule({ id, scheduledAt: at });
      return ok(`Scheduled for ${formatDate(r.scheduledAt, { time: true })}.`);
    }
    if (intent === "sendNow") {
      await api.campaigns.sendNow({ id });
      return ok("Sending has started.");
    }
    if (intent === "cancel") {
      await api.campaigns.cancel({ id });
      return ok("Campaign cancelled.");
    }
    return refused("Unknown action.", {});
  } catch (error) {
    const f = describeActionError(error);
    // The test-send field is one input for the list of addresses.
    const fieldErrors = Object.fromEntries(
      Object.entries(f.fieldErrors as Record<string, string[]>).map(([k, v]) => [
        k.startsWith("to") ? "to" : k,
        v,
      ]),
    );
    return refused(f.message, fieldErrors, f.status);
  }
}

function TextArea({
  label,
  error,
  hint,
  textareaRef,
  ...rest
}: {
  label: string;
  error?: string | null | undefined;
  hint?: ReactNode;
  textareaRef?: Ref<HTMLTextAreaElement>;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium text-sm text-stone-700">
        {label}
      </label>
      <textarea
        id={id}
        ref={textareaRef}
        {...rest}
        {...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
        className="block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200 aria-[invalid=true]:border-red-500"
      />
      {error ? (
        <p id={`${id}-error`} className="text-red-600 text-sm">
          {error}
        </p>
      ) : hint ? (
        <div className="text-stone-500 text-xs">{hint}</div>
      ) : null}
    </div>
  );
}

/** How many people the chosen audience reaches now (opted in, not erased, not suppressed). */
function useRecipientCount(audience: string) {
  const settled = useDebounced(audience, 300);
  return trpc.marketing.list.useQuery(
    { limit: 1, ...(settled !== EVERYONE ? { segmentId: settled } : {}) },
    { enabled: settled !== "", placeholderData: (prev) => prev, retry: false },
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

export default function CampaignPage() {
  const { campaign, report, segments, canEdit, canSend, timeZone, defaultScheduleAt } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : null;
  const busy = nav.state !== "idle" ? String(nav.formData?.get("intent")) : null;

  const status = campaign?.status ?? "DRAFT";
  const editable = canEdit && status === "DRAFT";
  const initialAudience = campaign
    ? campaign.segmentId
      ? campaign.segmentId
      : campaign.toWholeList
        ? EVERYONE
        : ""
    : "";

  const fromFailure = failed?.intent === "save" ? failed.values : null;
  const [message, setMessage] = useState({
    subject: fromFailure?.subject ?? campaign?.subject ?? "",
    preheader: fromFailure?.preheader ?? campaign?.preheader ?? "",
    bodyMarkdown: fromFailure?.bodyMarkdown ?? campaign?.bodyMarkdown ?? "",
  });
  const [audience, setAudience] = useState(fromFailure?.segmentId ?? initialAudience);
  const [customer, setCustomer] = useState<PreviewCustomer | null>(null);
  const [confirming, setConfirming] = useState(false);
  const body = useRef<HTMLTextAreaElement>(null);

  const preview = useCampaignPreview(message, customer?.id ?? null);
  const liveErrors = preview.data?.fieldErrors ?? {};
  const errorFor = (field: string) =>
    (failed?.fieldErrors[field] ?? (liveErrors as Record<string, string[]>)[field])?.[0] ?? null;
  const count = useRecipientCount(audience);
  // The confirmation counts the saved audience: that is what will be sent.
  const savedCount = useRecipientCount(initialAudience);

  const set = (field: keyof typeof message) => (value: string) =>
    setMessage((m) => ({ ...m, [field]: value }));

  /** Puts a merge tag at the cursor in the body. */
  const insertTag = (tag: string) => {
    const el = body.current;
    const at = el?.selectionStart ?? message.bodyMarkdown.length;
    const end = el?.selectionEnd ?? at;
    const next = message.bodyMarkdown.slice(0, at) + tag + message.bodyMarkdown.slice(end);
    set("bodyMarkdown")(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  const notice = params.get("saved") ? "Campaign saved." : null;
  // One object per outcome: the page re-renders while progress polls, and a new object would
  // show the toast again each time.
  const toast = useMemo(
    () =>
      result
        ? {
            id: String(result.at),
            tone: result.ok ? ("success" as const) : ("error" as const),
            text: result.ok ? result.toast : result.message,
          }
        : notice
          ? { id: notice, tone: "success" as const, text: notice }
          : null,
    [result, notice],
  );
  useEffect(() => {
    if (result?.ok) setConfirming(false);
  }, [result]);

  const audienceOptions = [
    ...(initialAudience === "" ? [{ value: "", label: "Choose an audience…" }] : []),
    { value: EVERYONE, label: "Everyone on the marketing list" },
    ...segments.map((s) => ({ value: s.id, label: s.name })),
  ];

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
          <Card title={editable ? "Email" : "Email (read only once scheduled)"}>
            <Form method="post" className="space-y-4" noValidate aria-label="Campaign">
              {failed?.intent === "save" && Object.keys(failed.fieldErrors).length === 0 ? (
                <Alert tone="error">{failed.message}</Alert>
              ) : null}
              <TextField
                label="Name"
                name="name"
                required
                maxLength={120}
                defaultValue={fromFailure?.name ?? campaign?.name ?? ""}
                hint="For you; recipients never see it."
                error={errorFor("name")}
                disabled={!editable}
              />
              <SelectField
                label="Audience"
                name="segmentId"
                value={audience}
                onChange={(e) => setAudience(e.target.value)}
                options={audienceOptions}
                error={
                  errorFor("segmentId") ??
                  (campaign?.audience.kind === "segmentDeleted"
                    ? "Its segment was deleted; choose who it goes to."
                    : null)
                }
                hint={
                  audience === ""
                    ? "A saved segment, or everyone who opted in."
                    : count.data
                      ? `${formatNumber(count.data.total)} recipients now (opted in, not suppressed). Taken again when sending starts.`
                      : "Counting…"
                }
                disabled={!editable}
              />
              <TextField
                label="Subject"
                name="subject"
                required
                maxLength={200}
                value={message.subject}
                onChange={(e) => set("subject")(e.target.value)}
                error={errorFor("subject")}
                disabled={!editable}
              />
              <TextField
                label="Preheader"
                name="preheader"
                maxLength={200}
                value={message.preheader}
                onChange={(e) => set("preheader")(e.target.value)}
                hint="The line inbox lists show after the subject."
                error={errorFor("preheader")}
                disabled={!editable}
              />
              <TextArea
                label="Body (Markdown)"
                name="bodyMarkdown"
                rows={14}
                textareaRef={body}
                value={message.bodyMarkdown}
                onChange={(e) => set("bodyMarkdown")(e.target.value)}
                error={errorFor("bodyMarkdown")}
                disabled={!editable}
                hint="**bold**, _italic_, [a link](https://…), # headings, - lists. The unsubscribe footer is added for you."
              />
              <div>
                <p className="font-medium text-sm text-stone-700">Merge tags</p>
                <ul className="mt-1 flex flex-wrap gap-2" aria-label="Merge tags">
                  {MERGE_TAGS.map((m) => (
                    <li key={m.tag}>
                      <button
                        type="button"
                        disabled={!editable}
                        onClick={() => insertTag(m.tag)}
                        className="rounded-md bg-stone-100 px-2 py-1 font-mono text-stone-800 text-xs hover:bg-stone-200 disabled:opacity-60"
                        title={`Insert the ${m.means}`}
                      >
                        {m.tag}
                      </button>
                      <span className="ml-1 text-stone-500 text-xs">{m.means}</span>
                    </li>
                  ))}
                </ul>
              </div>
              {editable ? (
                <Button name="intent" value="save" busy={busy === "save"}>
                  {campaign ? "Save changes" : "Save draft"}
                </Button>
              ) : null}
            </Form>
          </Card>

          {campaign && canSend ? (
            <Card title="Send a test">
              <Form method="post" className="space-y-3" noValidate aria-label="Send a test">
                <input type="hidden" name="customerId" value={customer?.id ?? ""} />
                <TextField
                  label="To"
                  name="to"
                  placeholder="you@example.com, colleague@example.com"
                  defaultValue={failed?.intent === "sendTest" ? failed.values.to : ""}
                  hint={`Up to 5 addresses. The saved version, subject prefixed “[Test]”, with ${
                    customer ? `${customer.name ?? customer.email}'s` : "the sample"
                  } values.`}
                  error={
                    failed?.intent === "sendTest" ? (failed.fieldErrors.to?.[0] ?? null) : null
                  }
                />
                {failed?.intent === "sendTest" && !failed.fieldErrors.to ? (
                  <Alert tone="error">{failed.message}</Alert>
                ) : null}
                <Button
                  name="intent"
                  value="sendTest"
                  variant="secondary"
                  busy={busy === "sendTest"}
                >
                  Send test
                </Button>
              </Form>
            </Card>
          ) : null}

          {campaign && canSend && (status === "DRAFT" || status === "SCHEDULED") ? (
            <Card title={status === "SCHEDULED" ? "Change the time, or send now" : "Send"}>
              <div className="space-y-4">
                {failed && (failed.intent === "schedule" || failed.intent === "sendNow") ? (
                  <Alert tone="error">
                    {failed.message}
                    {Object.values(failed.fieldErrors)
                      .flat()
                      .filter((m) => !failed.fieldErrors.scheduledAt?.includes(m))
                      .map((m) => ` ${m}`)}
                  </Alert>
                ) : null}
                <Form
                  method="post"
                  className="flex flex-wrap items-end gap-3"
                  noValidate
                  aria-label="Schedule"
                >
                  <TextField
                    label="Send at"
                    name="scheduledAt"
                    type="datetime-local"
                    defaultValue={
                      failed?.intent === "schedule"
                        ? failed.values.scheduledAt
                        : campaign.scheduledAt && status === "SCHEDULED"
                          ? venueTimeValue(new Date(campaign.scheduledAt), timeZone)
                          : defaultScheduleAt
                    }
                    hint={`Venue time (${timeZone}).`}
                    error={
                      failed?.intent === "schedule"
                        ? (failed.fieldErrors.scheduledAt?.[0] ?? null)
                        : null
                    }
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
                      ({audienceLabel(campaign.audience)})? This cannot be undone; it can be
                      cancelled while it sends.
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
