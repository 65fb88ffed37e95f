import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AUTOMATION_KINDS, type AutomationKind } from "@xplorium/domain";
import { PageHeader, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { AutomationCard } from "~/components/marketing/automation-card";
import { automationForms } from "~/components/marketing/automation-forms";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Automations · Marketing · Xplorium CRM" }];

const LOG_SIZE = 10;
/** `?BIRTHDAY.after=<cursor>`: where each card's send log page starts. */
const cursorParam = (kind: AutomationKind) => `${kind}.after`;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  const url = new URL(request.url);
  const [list, ...logs] = await Promise.all([
    api.automations.list(),
    ...AUTOMATION_KINDS.map((kind) => {
      const cursor = url.searchParams.get(cursorParam(kind));
      return api.automations.log({ kind, limit: LOG_SIZE, ...(cursor ? { cursor } : {}) });
    }),
  ]);
  return data(
    {
      ...list,
      logs: Object.fromEntries(
        AUTOMATION_KINDS.map((kind, i) => [
          kind,
          { page: logs[i]!, paged: url.searchParams.has(cursorParam(kind)) },
        ]),
      ) as Record<AutomationKind, { page: NonNullable<(typeof logs)[number]>; paged: boolean }>,
      search: url.search,
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const permission = form.get("intent") === "run" ? "run:automation" : "write:marketing";
  const { api, headers } = await requireStaff(request, context, permission);
  const submission = parseForm(form, automationForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  const { kind } = input;
  try {
    switch (input.intent) {
      case "save": {
        const { intent: _, ...automation } = input;
        const r = await api.automations.update(automation);
        return formResult(submission, {
          headers,
          toast: r.changed ? "Saved." : "Nothing to change.",
        });
      }
      case "enable":
      case "disable": {
        const enabled = input.intent === "enable";
        await api.automations.setEnabled({ kind, enabled });
        const toast = enabled ? "Switched on: it runs every hour." : "Switched off.";
        return formResult(submission, { headers, toast });
      }
      case "run":
        await api.automations.runNow({ kind });
        return formResult(submission, {
          headers,
          toast: "Queued: the worker runs it in a moment. Only what is due is sent.",
        });
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

function hrefWith(search: string, kind: AutomationKind, cursor: string | null) {
  const params = new URLSearchParams(search);
  if (cursor) params.set(cursorParam(kind), cursor);
  else params.delete(cursorParam(kind));
  const q = params.toString();
  return q ? `?${q}` : "?";
}

export default function AutomationsPage() {
  const { automations, mergeTags, logs, search } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const can = useCan();
  const toast = useResultToast(result);
  const nav = useNavigation();
  const posted = nav.state !== "idle" ? nav.formData : undefined;
  return (
    <>
      <PageHeader
        title="Automations"
        description="Emails that go out on their own, each to a customer at most once per period. Only customers who opted in to marketing email, whose address is not suppressed, get them."
      />
      <Toast message={toast} />
      <div className="space-y-6">
        {automations.map((a) => {
          const log = logs[a.kind];
          const pending = posted?.get("kind") === a.kind ? posted.get("intent") : null;
          return (
            <AutomationCard
              key={a.kind}
              automation={a}
              mergeTags={mergeTags}
              log={{
                page: log.page,
                olderHref: log.page.nextCursor
                  ? hrefWith(search, a.kind, log.page.nextCursor)
                  : null,
                newestHref: log.paged ? hrefWith(search, a.kind, null) : null,
              }}
              result={result?.reply.initialValue?.kind === a.kind ? result : undefined}
              pending={typeof pending === "string" ? pending : null}
              canEdit={can("write:marketing")}
              canRun={can("run:automation")}
            />
          );
        })}
      </div>
    </>
  );
}
