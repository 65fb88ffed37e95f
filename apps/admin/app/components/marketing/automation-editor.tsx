import { Form, Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { trpc } from "@xplorium/api/client";
import {
  Alert,
  Button,
  EmptyState,
  type FormResultLike,
  formatDate,
  formatNumber,
  getFormProps,
  SimpleTable,
  TextareaField,
  TextField,
  useZodForm,
} from "@xplorium/ui";
import { useState } from "react";
import { useDebounced } from "~/lib/use-debounced";
import { saveAutomationForm } from "./automation-forms";

export type Automation = RouterOutputs["automations"]["list"]["automations"][number];
export type AutomationLogPage = RouterOutputs["automations"]["log"];
type SettingKey = Automation["settings"][number];

export const SETTING_FIELDS: Record<SettingKey, { label: string; hint: string }> = {
  daysBefore: {
    label: "Days before the birthday",
    hint: "0 sends it on the birthday itself; at most 60.",
  },
  inactivityDays: {
    label: "Days without a completed booking",
    hint: "From 14 to 1,095 days.",
  },
  cooldownDays: {
    label: "Days between win-back emails",
    hint: "At most one win-back email per customer in this many days (7 to 1,095).",
  },
};

/**
 * The automation's settings and template, with a live preview (sample values) in a sandboxed
 * iframe. Unknown merge tags show as an error while typing; the server refuses them on save.
 * `result` is the page's last save of this automation, if any.
 */
export function AutomationEditor({
  automation: a,
  mergeTags,
  result,
  canEdit,
  busy,
}: {
  automation: Automation;
  mergeTags: string[];
  result: FormResultLike | undefined;
  canEdit: boolean;
  busy: boolean;
}) {
  const [form, fields] = useZodForm(saveAutomationForm, {
    result,
    intent: "save",
    id: `automation-${a.kind}`,
    defaultValue: {
      subject: a.subject,
      preheader: a.preheader,
      bodyMarkdown: a.bodyMarkdown,
      daysBefore: String(a.daysBefore),
      inactivityDays: String(a.inactivityDays),
      cooldownDays: String(a.cooldownDays),
    },
  });
  // Subject, preheader and body are the editor's own, so the preview follows the typing; they
  // start from what was typed before a refused save, else what is stored.
  const [message, setMessage] = useState({
    subject: String(fields.subject.initialValue ?? ""),
    preheader: String(fields.preheader.initialValue ?? ""),
    bodyMarkdown: String(fields.bodyMarkdown.initialValue ?? ""),
  });
  const set = (k: keyof typeof message) => (e: { target: { value: string } }) =>
    setMessage((old) => ({ ...old, [k]: e.target.value }));
  const draft = useDebounced(message, 400);
  const unchanged =
    draft.subject === a.subject &&
    draft.preheader === a.preheader &&
    draft.bodyMarkdown === a.bodyMarkdown;
  const preview = trpc.automations.preview.useQuery(draft, {
    enabled: !unchanged,
    placeholderData: (prev) => prev,
    retry: false,
  });
  const html = unchanged ? a.preview.html : preview.data?.html;
  const subject = unchanged ? a.preview.subject : preview.data?.subject;
  const unknownTags = unchanged ? [] : (preview.data?.unknownTags ?? []);
  const tagError = unknownTags.length
    ? `Unknown merge ${unknownTags.length === 1 ? "tag" : "tags"} ${unknownTags.join(", ")}.`
    : undefined;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Form
        method="post"
        className="space-y-3"
        aria-label={`${a.label} settings and email`}
        {...getFormProps(form)}
      >
        <input type="hidden" name="kind" value={a.kind} />
        {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
        {a.settings.length > 0 ? (
          <div className="grid gap-3 sm:grid-cols-2">
            {a.settings.map((key) => (
              <TextField
                key={key}
                label={SETTING_FIELDS[key].label}
                hint={SETTING_FIELDS[key].hint}
                field={fields[key]}
                inputMode="numeric"
                required
                disabled={!canEdit}
              />
            ))}
          </div>
        ) : null}
        <TextField
          label="Subject"
          field={fields.subject}
          value={message.subject}
          onChange={set("subject")}
          disabled={!canEdit}
        />
        <TextField
          label="Preheader"
          field={fields.preheader}
          hint="The line inboxes show after the subject."
          value={message.preheader}
          onChange={set("preheader")}
          disabled={!canEdit}
        />
        <TextareaField
          label="Email (Markdown)"
          field={fields.bodyMarkdown}
          rows={10}
          monospace
          value={message.bodyMarkdown}
          onChange={set("bodyMarkdown")}
          error={fields.bodyMarkdown.errors ?? tagError}
          disabled={!canEdit}
          hint={
            <>
              Merge tags:{" "}
              {mergeTags.map((t, i) => (
                <span key={t}>
                  {i > 0 ? ", " : ""}
                  <code className="rounded bg-stone-100 px-1">{`{{${t}}}`}</code>
                </span>
              ))}
              . **bold**, _italic_, [links](https://…), lists and ## headings work; HTML does not.
              The unsubscribe link is added for you.
            </>
          }
        />
        {canEdit ? (
          <Button name="intent" value="save" busy={busy}>
            Save {a.label.toLowerCase()} email
          </Button>
        ) : null}
      </Form>
      <div className="space-y-2">
        <p className="font-medium text-sm text-stone-700">
          Preview <span className="font-normal text-stone-500">(sample customer)</span>
        </p>
        {preview.error && !unchanged ? (
          <Alert tone="error">{preview.error.message}</Alert>
        ) : (
          <>
            <p className="text-sm text-stone-600">
              Subject: <span className="font-medium text-stone-900">{subject ?? "…"}</span>
            </p>
            <iframe
              title={`Preview: ${a.label} email`}
              sandbox=""
              srcDoc={html ?? ""}
              className="h-[28rem] w-full rounded-lg border border-stone-200 bg-white"
            />
          </>
        )}
      </div>
    </div>
  );
}

const STATUS_LABEL: Record<string, string> = {
  QUEUED: "Queued",
  SENT: "Sent",
  DELIVERED: "Delivered",
  BOUNCED: "Bounced",
  COMPLAINED: "Complained",
  FAILED: "Not sent",
};

/** The automation's send log, newest first; "Older" follows the keyset cursor in the URL. */
export function AutomationSendLog({
  automation,
  page,
  olderHref,
  newestHref,
}: {
  automation: Automation;
  page: AutomationLogPage;
  olderHref: string | null;
  newestHref: string | null;
}) {
  if (page.items.length === 0) {
    return (
      <EmptyState title="Nothing sent yet">
        {automation.enabled
          ? "Emails appear here as the hourly run sends them."
          : "Switch it on to start sending."}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      <SimpleTable
        caption={`{automation.label} emails sent, newest first`}
        columns={["Customer", "Sent", "Email"]}
        scroll
      >
        {page.items.map((r) => (
          <tr key={r.id} data-testid={`automation-log-${automation.kind}`}>
            <td className="py-2 pr-3">
              {r.erased ? (
                <span className="text-stone-500">Erased customer</span>
              ) : (
                <>
                  <Link
                    to={`/customers/${r.customerId}`}
                    className="text-brand-700 hover:underline"
                  >
                    {r.name ?? r.email}
                  </Link>
                  {r.name ? <p className="text-stone-500 text-xs">{r.email}</p> : null}
                </>
              )}
            </td>
            <td className="py-2 pr-3 text-stone-600">{formatDate(r.sentAt, { time: true })}</td>
            <td className="py-2">
              <span
                className={
                  r.emailStatus === "FAILED" ||
                  r.emailStatus === "BOUNCED" ||
                  r.emailStatus === "COMPLAINED"
                    ? "text-red-700"
                    : "text-stone-700"
                }
              >
                {r.emailStatus ? (STATUS_LABEL[r.emailStatus] ?? r.emailStatus) : "—"}
              </span>
              {r.emailStatus === "FAILED" && r.emailError ? (
                <p className="text-stone-500 text-xs">{r.emailError}</p>
              ) : null}
            </td>
          </tr>
        ))}
      </SimpleTable>
      <div className="flex items-center justify-between text-sm text-stone-600">
        <span>{formatNumber(page.total)} in all</span>
        <div className="flex gap-3">
          {newestHref ? (
            <Link to={newestHref} preventScrollReset className="text-brand-700 hover:underline">
              Newest
            </Link>
          ) : null}
          {olderHref ? (
            <Link to={olderHref} preventScrollReset className="text-brand-700 hover:underline">
              Older →
            </Link>
          ) : null}
        </div>
      </div>
    </div>
  );
}
