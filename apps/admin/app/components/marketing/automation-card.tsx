import { Form } from "@remix-run/react";
import { Button, Card, type FormResultLike, formatDate, formatNumber } from "@xplorium/ui";
import {
  type Automation,
  AutomationEditor,
  type AutomationLogPage,
  AutomationSendLog,
} from "./automation-editor";

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

/**
 * One automation: switch it on or off, run it now, its editor and its send log. `result` is the
 * page's last result for this automation (its `kind`), if any; `pending` the intent being sent.
 */
export function AutomationCard({
  automation: a,
  mergeTags,
  log,
  result,
  pending,
  canEdit,
  canRun,
}: {
  automation: Automation;
  mergeTags: string[];
  log: { page: AutomationLogPage; olderHref: string | null; newestHref: string | null };
  result: FormResultLike | undefined;
  pending: string | null;
  canEdit: boolean;
  canRun: boolean;
}) {
  const failed = result && !result.ok && result.intent !== "save" ? result : null;
  const toggle = a.enabled ? "disable" : "enable";
  return (
    <Card
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
              <Button name="intent" value="run" variant="secondary" busy={pending === "run"}>
                Run now
              </Button>
            </Form>
          ) : null}
          {canEdit ? (
            <Form method="post">
              <input type="hidden" name="kind" value={a.kind} />
              <Button
                name="intent"
                value={toggle}
                variant={a.enabled ? "secondary" : "primary"}
                busy={pending === toggle}
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
        {a.enabled ? `On since ${formatDate(a.enabledAt, { time: true })}` : "Off"} · Last run{" "}
        {a.lastRunAt ? formatDate(a.lastRunAt, { time: true }) : "never"} ·{" "}
        {formatNumber(a.sentLast30Days)} sent in the last 30 days
      </p>
      {failed ? (
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
          result={result}
          canEdit={canEdit}
          busy={pending === "save"}
        />
      </div>
      <h3 className="mt-6 mb-2 font-semibold text-sm text-stone-900">Send log</h3>
      <AutomationSendLog
        automation={a}
        page={log.page}
        olderHref={log.olderHref}
        newestHref={log.newestHref}
      />
    </Card>
  );
}
