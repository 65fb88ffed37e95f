import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, formatDate, PageHeader, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { trackingForm } from "~/components/marketing/tracking-forms";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Settings · Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  return data({ settings: await api.tracking.settings() }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:marketing");
  const submission = parseForm(await request.formData(), trackingForm);
  if (submission.status !== "success") {
    // The field is hidden: the page says what is wrong in its toast.
    const refuse = { message: "Choose whether opens and clicks are tracked." };
    return formResult(submission, { headers, refuse });
  }
  try {
    const { trackOpensClicks } = await api.tracking.updateSettings({
      trackOpensClicks: submission.value.trackOpensClicks === "true",
    });
    const toast = `Open and click tracking is ${trackOpensClicks ? "on" : "off"}.`;
    return formResult(submission, { headers, toast });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function MarketingSettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const canEdit = useCan()("write:marketing");
  const toast = useResultToast(useActionData<typeof action>());
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
      <Toast message={toast} />
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
