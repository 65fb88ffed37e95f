import { Form, Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { trpc } from "@xplorium/api/client";
import { Alert, Button, EmptyState, formatDate, formatNumber, TextField } from "@xplorium/ui";
import { useEffect, useId, useState } from "react";

export type Automation = RouterOutputs["automations"]["list"]["automations"][number];
export type AutomationLogPage = RouterOutputs["automations"]["log"];
type SettingKey = Automation["settings"][number];

/** What the editor posts and gets back after a refusal. */
export interface AutomationFormValues {
  subject: string;
  preheader: string;
  bodyMarkdown: string;
  daysBefore: string;
  inactivityDays: string;
  cooldownDays: string;
}

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

export function formValuesOf(a: Automation): AutomationFormValues {
  return {
    subject: a.subject,
    preheader: a.preheader,
    bodyMarkdown: a.bodyMarkdown,
    daysBefore: String(a.daysBefore),
    inactivityDays: String(a.inactivityDays),
    cooldownDays: String(a.cooldownDays),
  };
}

/** The value, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const textareaClass =
  "block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 font-mono text-sm shadow-sm placeholder:text-stone-400 focus:border-brand-600 focus:ring-2 focus:ring-brand-200 focus:outline-none aria-[invalid=true]:border-red-500";

function BodyField({
  value,
  onChange,
  error,
  disabled,
  mergeTags,
}: {
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  disabled: boolean;
  mergeTags: string[];
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium text-sm text-stone-700">
        Email (Markdown)
      </label>
      <textarea
        id={id}
        name="bodyMarkdown"
        rows={10}
        required
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        className={textareaClass}
      />
      <div id={`${id}-help`}>
        {error ? <p className="text-red-600 text-sm">{error}</p> : null}
        <p className="text-stone-500 text-xs">
          Merge tags:{" "}
          {mergeTags.map((t, i) => (
            <span key={t}>
              {i > 0 ? ", " : ""}
              <code className="rounded bg-stone-100 px-1">{`{{${t}}}`}</code>
            </span>
          ))}
          . **bold**, _italic_, [links](https://…), lists and ## headings work; HTML does not. The
          unsubscribe link is added for you.
        </p>
      </div>
    </div>
  );
}

/**
 * The automation's settings and template, with a live preview (sample values) in a sandboxed
 * iframe. Unknown merge tags show as an error while typing; the server refuses them on save.
 */
export function AutomationEditor({
  automation,
  mergeTags,
  initial,
  errors,
  message,
  canEdit,
  busy,
}: {
  automation: Automation;
  mergeTags: string[];
  initial: AutomationFormValues;
  errors: Record<string, string[] | undefined>;
  message: string | null;
  canEdit: boolean;
  busy: boolean;
}) {
  const [values, setValues] = useState(initial);
  const set = (k: keyof AutomationFormValues) => (v: string) =>
    setValues((old) => ({ ...old, [k]: v }));
  const draft = useDebounced(
    { subject: values.subject, preheader: values.preheader, bodyMarkdown: values.bodyMarkdown },
    400,
  );
  const unchanged =
    draft.subject === automation.subject &&
    draft.preheader === automation.preheader &&
    draft.bodyMarkdown === automation.bodyMarkdown;
  const preview = trpc.automations.preview.useQuery(draft, {
    enabled: !unchanged,
    placeholderData: (prev) => prev,
    retry: false,
  });
  const html = unchanged ? automation.preview.html : preview.data?.html;
  const subject = unchanged ? automation.preview.subject : preview.data?.subject;
  const unknownTags = unchanged ? [] : (preview.data?.unknownTags ?? []);
  const tagError = unknownTags.length
    ? `Unknown merge ${unknownTags.length === 1 ? "tag" : "tags"} ${unknownTags.join(", ")}.`
    : undefined;
  const first = (k: string) => errors[k]?.[0];
  const general = message && Object.keys(errors).length === 0 ? message : null;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Form
        method="post"
        className="space-y-3"
        noValidate
        aria-label={`${automation.label} settings and email`}
      >
        <input type="hidden" name="kind" value={automation.kind} />
        {general ? <Alert tone="error">{general}</Alert> : null}
        {automation.settings.length > 0 ? (
          <div className="grid gap-3 sm:grid-cols-2">
            {automation.settings.map((key) => (
              <TextField
                key={key}
                label={SETTING_FIELDS[key].label}
                hint={SETTING_FIELDS[key].hint}
                name={key}
                inputMode="numeric"
                required
                value={values[key]}
                onChange={(e) => set(key)(e.target.value)}
                error={first(key)}
                disabled={!canEdit}
              />
            ))}
          </div>
        ) : null}
        <TextField
          label="Subject"
          name="subject"
          required
          maxLength={150}
          value={values.subject}
          onChange={(e) => set("subject")(e.target.value)}
          error={first("subject")}
          disabled={!canEdit}
        />
        <TextField
          label="Preheader"
          name="preheader"
          maxLength={200}
          hint="The line inboxes show after the subject."
          value={values.preheader}
          onChange={(e) => set("preheader")(e.target.value)}
          error={first("preheader")}
          disabled={!canEdit}
        />
        <BodyField
          value={values.bodyMarkdown}
          onChange={set("bodyMarkdown")}
          error={first("bodyMarkdown") ?? tagError}
          disabled={!canEdit}
          mergeTags={mergeTags}
        />
        {canEdit ? (
          <Button name="intent" value="save" busy={busy}>
            Save {automation.label.toLowerCase()} email
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
              title={`Preview: ${automation.label} email`}
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
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{automation.label} emails sent, newest first</caption>
          <thead className="text-stone-500 text-xs uppercase">
            <tr>
              <th scope="col" className="py-2 pr-3">
                Customer
              </th>
              <th scope="col" className="py-2 pr-3">
                Sent
              </th>
              <th scope="col" className="py-2">
                Email
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
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
          </tbody>
        </table>
      </div>
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
