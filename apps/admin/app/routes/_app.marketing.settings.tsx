import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { Button, Card, formatDate, PageHeader } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Settings · Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:marketing");
  return data(
    {
      settings: await api.tracking.settings(),
      canEdit: ROLE_PERMISSIONS[staff.role].has("write:marketing"),
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:marketing");
  const form = await request.formData();
  const value = String(form.get("trackOpensClicks") ?? "");
  if (value !== "true" && value !== "false") {
    return data(
      {
        ok: false as const,
        message: "Choose whether opens and clicks are tracked.",
        at: Date.now(),
      },
      { status: 400, headers },
    );
  }
  try {
    const settings = await api.tracking.updateSettings({ trackOpensClicks: value === "true" });
    return data(
      {
        ok: true as const,
        message: settings.trackOpensClicks
          ? "Open and click tracking is on."
          : "Open and click tracking is off.",
        at: Date.now(),
      },
      { headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, message: f.message, at: Date.now() },
      { status: f.status, headers },
    );
  }
}

export default function MarketingSettingsPage() {
  const { settings, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const on = settings.trackOpensClicks;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/marketing" className="text-brand-700 hover:underline">
          ← Marketing
        </Link>
      </p>
      <PageHeader title="Marketing settings" description="How marketing email is measured." />
      <Toast
        message={
          result
            ? { id: String(result.at), tone: result.ok ? "success" : "error", text: result.message }
            : null
        }
      />
      <Card title="Open and click tracking">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="max-w-2xl space-y-2 text-sm text-stone-700">
            <p
              id="tracking-status"
              data-testid="tracking-status"
              className="font-medium text-stone-900"
            >
              {on
                ? "On: opens and clicks are recorded per recipient."
                : "Off: opens and clicks are not recorded."}
            </p>
            <p>
              When on, each open and click Resend reports is stored against the email it belongs to,
              so campaign reports show unique opens, unique clicks and the most clicked links. When
              off, those reports arrive and are dropped: nobody's reading habits are kept. Delivery,
              bounces, complaints and unsubscribes are always recorded.
            </p>
            <p className="text-stone-500 text-xs">
              Off by default (privacy by default). Turn it on only if your privacy notice tells
              customers that emails are measured. Match it in Resend's domain settings (open and
              click tracking), which decide whether the tracking pixel and link redirects are in the
              email at all.
            </p>
            {settings.updatedAt ? (
              <p className="text-stone-500 text-xs">
                Last changed {formatDate(settings.updatedAt, { time: true })}
                {settings.updatedByName ? ` by ${settings.updatedByName}` : ""}.
              </p>
            ) : null}
          </div>
          {canEdit ? (
            <Form method="post">
              <input type="hidden" name="trackOpensClicks" value={on ? "false" : "true"} />
              <Button
                variant={on ? "secondary" : "primary"}
                busy={busy}
                aria-describedby="tracking-status"
              >
                {on ? "Turn tracking off" : "Turn tracking on"}
              </Button>
            </Form>
          ) : (
            <p className="text-stone-500 text-xs">Managers and marketing can change this.</p>
          )}
        </div>
      </Card>
    </>
  );
}
