import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { RouterInputs } from "@xplorium/api";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { Button, Card, formatDate, formatNumber, PageHeader } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import {
  type Automation,
  AutomationEditor,
  type AutomationFormValues,
  AutomationSendLog,
  formValuesOf,
} from "~/components/marketing/automation-editor";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Automations · Marketing · Xplorium CRM" }];

type Kind = RouterInputs["automations"]["log"]["kind"];
const KINDS: Kind[] = ["BIRTHDAY", "WIN_BACK", "TIER_UPGRADE"];
const LOG_SIZE = 10;
/** `?BIRTHDAY.after=<cursor>`: where each card's send log page starts. */
const cursorParam = (kind: Kind) => `${kind}.after`;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:marketing");
  const url = new URL(request.url);
  const [list, ...logs] = await Promise.all([
    api.automations.list(),
    ...KINDS.map((kind) => {
      const cursor = url.searchParams.get(cursorParam(kind));
      return api.automations.log({ kind, limit: LOG_SIZE, ...(cursor ? { cursor } : {}) });
    }),
  ]);
  const permissions = ROLE_PERMISSIONS[staff.role];
  return data(
    {
      ...list,
      logs: Object.fromEntries(
        KINDS.map((kind, i) => [
          kind,
          { page: logs[i]!, paged: url.searchParams.has(cursorParam(kind)) },
        ]),
      ) as Record<Kind, { page: NonNullable<(typeof logs)[number]>; paged: boolean }>,
      search: url.search,
      canEdit: permissions.has("write:marketing"),
      canRun: permissions.has("run:automation"),
    },
    { headers },
  );
}

/** A whole number from a field; empty or not a number → NaN, which the procedure words. */
const whole = (raw: string) => {
  const s = raw.replace(/[\s,]/g, "");
  return s === "" ? Number.NaN : Number(s);
};

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const kind = String(form.get("kind")) as Kind;
  const { api, headers } = await requireStaff(
    request,
    context,
    intent === "run" ? "run:automation" : "write:marketing",
  );
  const text = (k: string) => String(form.get(k) ?? "");
  const values: AutomationFormValues = {
    subject: text("subject"),
    preheader: text("preheader"),
    bodyMarkdown: text("bodyMarkdown"),
    daysBefore: text("daysBefore"),
    inactivityDays: text("inactivityDays"),
    cooldownDays: text("cooldownDays"),
  };
  const ok = (toast: string) =>
    data({ ok: true as const, kind, intent, at: Date.now(), toast }, { headers });
  const refused = (
    message: string,
    fieldErrors: Record<string, string[] | undefined>,
    status: number,
  ) =>
    data(
      { ok: false as const, kind, intent, at: Date.now(), values, message, fieldErrors },
      { status, headers },
    );
  try {
    if (intent === "save") {
      const settings = Object.fromEntries(
        (["daysBefore", "inactivityDays", "cooldownDays"] as const)
          .filter((k) => form.has(k))
          .map((k) => [k, whole(values[k])]),
      );
      const r = await api.automations.update({
        kind,
        subject: values.subject,
        preheader: values.preheader,
        bodyMarkdown: values.bodyMarkdown,
        ...settings,
      });
      return ok(r.changed ? "Saved." : "Nothing to change.");
    }
    if (intent === "enable" || intent === "disable") {
      await api.automations.setEnabled({ kind, enabled: intent === "enable" });
      return ok(intent === "enable" ? "Switched on: it runs every hour." : "Switched off.");
    }
    if (intent === "run") {
      await api.automations.runNow({ kind });
      return ok("Queued: the worker runs it in a moment. Only what is due is sent.");
    }
    return refused("Unknown action.", {}, 400);
  } catch (error) {
    const f = describeActionError(error);
    return refused(f.message, f.fieldErrors, f.status);
  }
}

function hrefWith(search: string, kind: Kind, cursor: string | null) {
  const params = new URLSearchParams(search);
  if (cursor) params.set(cursorParam(kind), cursor);
  else params.delete(cursorParam(kind));
  const q = params.toString();
  return q ? `?${q}` : "?";
}

function Status({ automation }: { automation: Automation }) {
  return automation.enabled ? (
    <span className="rounded-full bg-emerald-50 px-2 py-0.5 font-medium text-emerald-700 text-xs">
      On
    </span>
  ) : (
    <span className="rounded-full bg-stone-100 px-2 py-0.5 font-medium text-stone-600 text-xs">
      Off
    </span>
  );
}

export default function AutomationsPage() {
  const { automations, mergeTags, logs, search, canEdit, canRun } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const pending =
    nav.state !== "idle"
      ? `${String(nav.formData?.get("kind"))}:${String(nav.formData?.get("intent"))}`
      : null;
  return (
    <>
      <PageHeader
        title="Automations"
        description="Emails that go out on their own, each to a customer at most once per period. Only customers who opted in to marketing email, whose address is not suppressed, get them."
      />
      <Toast
        message={
          result
            ? {
                id: String(result.at),
                tone: result.ok ? "success" : "error",
                text: result.ok ? result.toast : result.message,
              }
            : null
        }
      />
      <div className="space-y-6">
        {automations.map((a) => {
          const failed = result && !result.ok && result.kind === a.kind ? result : null;
          const saveFailed = failed?.intent === "save" ? failed : null;
          const log = logs[a.kind];
          return (
            <Card
              key={a.kind}
              title={
                <span className="flex items-center gap-2">
                  {a.label} <Status automation={a} />
                </span>
              }
              actions={
                <div className="flex flex-wrap items-center gap-2">
                  {canRun && a.enabled ? (
                    <Form method="post">
                      <input type="hidden" name="kind" value={a.kind} />
                      <Button
                        name="intent"
                        value="run"
                        variant="secondary"
                        busy={pending === `${a.kind}:run`}
                      >
                        Run now
                      </Button>
                    </Form>
                  ) : null}
                  {canEdit ? (
                    <Form method="post">
                      <input type="hidden" name="kind" value={a.kind} />
                      <Button
                        name="intent"
                        value={a.enabled ? "disable" : "enable"}
                        variant={a.enabled ? "secondary" : "primary"}
                        busy={pending === `${a.kind}:${a.enabled ? "disable" : "enable"}`}
                        aria-label={`${a.enabled ? "Switch off" : "Switch on"} ${a.label}`}
                      >
                        {a.enabled ? "Switch off" : "Switch on"}
                      </Button>
                    </Form>
                  ) : null}
                </div>
              }
            >
              <p className="text-sm text-stone-600">{a.description}</p>
              <p className="mt-1 text-stone-500 text-xs">
                {a.enabled ? `On since ${formatDate(a.enabledAt, { time: true })}` : "Off"} · Last
                run {a.lastRunAt ? formatDate(a.lastRunAt, { time: true }) : "never"} ·{" "}
                {formatNumber(a.sentLast30Days)} sent in the last 30 days
              </p>
              {failed && failed.intent !== "save" ? (
                <p role="alert" className="mt-2 text-red-600 text-sm">
                  {failed.message}
                </p>
              ) : null}
              <div className="mt-4">
                <AutomationEditor
                  // A fresh editor after each save, so it shows what was stored.
                  key={`${a.kind}:${a.updatedAt}`}
                  automation={a}
                  mergeTags={mergeTags}
                  initial={saveFailed ? saveFailed.values : formValuesOf(a)}
                  errors={saveFailed ? saveFailed.fieldErrors : {}}
                  message={saveFailed ? saveFailed.message : null}
                  canEdit={canEdit}
                  busy={pending === `${a.kind}:save`}
                />
              </div>
              <h3 className="mt-6 mb-2 font-semibold text-sm text-stone-900">Send log</h3>
              <AutomationSendLog
                automation={a}
                page={log.page}
                olderHref={
                  log.page.nextCursor ? hrefWith(search, a.kind, log.page.nextCursor) : null
                }
                newestHref={log.paged ? hrefWith(search, a.kind, null) : null}
              />
            </Card>
          );
        })}
      </div>
    </>
  );
}
