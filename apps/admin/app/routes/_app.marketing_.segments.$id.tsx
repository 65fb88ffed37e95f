import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { trpc } from "@xplorium/api/client";
import {
  Alert,
  Button,
  Card,
  failedResult,
  formatNumber,
  getFormProps,
  PageHeader,
  RFM_SEGMENT_INFO,
  type RfmSegment,
  TextField,
  useBusyIntent,
  useResultToast,
  useZodForm,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useState } from "react";
import {
  describeFilter,
  type Filter,
  SegmentFilterFields,
} from "~/components/marketing/segment-filter";
import { saveSegmentForm, segmentEditorForms } from "~/components/marketing/segment-forms";
import { RecipientPreview } from "~/components/marketing/segment-preview";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";
import { useDebounced } from "~/lib/use-debounced";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.segment?.name ?? "New segment"} · Segments · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  const segment = params.id === "new" ? null : await api.segments.get({ id: params.id ?? "" });
  // A new segment can start from the RFM and churn page: ?rfm=CHAMPIONS or ?churn=1.
  const url = new URL(request.url);
  const start: Filter = {};
  const rfm = url.searchParams.getAll("rfm").filter((s): s is RfmSegment => s in RFM_SEGMENT_INFO);
  if (rfm.length) start.rfmSegments = rfm;
  if (url.searchParams.get("churn") === "1") start.likelyToChurn = true;
  return data({ segment, start, currency: context.env.CURRENCY }, { headers });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:marketing");
  const form = await request.formData();
  // A post without an intent is a save (Enter in a field).
  if (!form.has("intent")) form.set("intent", "save");
  const submission = parseForm(form, segmentEditorForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const id = params.id ?? "";
  const input = submission.value;
  try {
    if (input.intent === "duplicate") {
      const copy = await api.segments.duplicate({ id });
      return redirect(`/marketing/segments/${copy.id}?duplicated=1`, { headers });
    }
    const { name, description, filter } = input;
    if (id === "new") {
      const created = await api.segments.create({ name, description, filter });
      return redirect(`/marketing/segments/${created.id}?saved=1`, { headers });
    }
    const r = await api.segments.update({ id, name, description, filter });
    const toast = r.changed ? "Segment saved." : "Nothing to change.";
    return formResult(submission, { headers, toast });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function SegmentEditor() {
  const { segment, start, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const can = useCan();
  const canEdit = can("write:marketing");
  const busy = useBusyIntent();
  const [params] = useSearchParams();
  const [form, fields] = useZodForm(saveSegmentForm, {
    result,
    intent: "save",
    defaultValue: { name: segment?.name ?? "", description: segment?.description ?? "" },
  });
  const [filter, setFilter] = useState<Filter>(segment?.filter ?? start);
  const settled = useDebounced(filter, 300);
  const count = trpc.segments.count.useQuery(settled, {
    placeholderData: (prev) => prev,
    retry: false,
  });
  const liveErrors = count.error?.data?.fieldErrors ?? {};
  const failed = failedResult(result);
  const toast = useResultToast(
    result,
    params.get("saved")
      ? "Segment saved."
      : params.get("duplicated")
        ? "This is a copy: rename it and change what you need."
        : null,
  );

  return (
    <>
      <PageHeader
        title={segment ? segment.name : "New segment"}
        description={describeFilter(filter, currency)}
        actions={
          <Link
            to="/marketing/segments"
            className="font-medium text-brand-700 text-sm hover:underline"
          >
            ← All segments
          </Link>
        }
      />
      <Toast message={toast} />
      <div className="grid gap-6 xl:grid-cols-[1fr_28rem]">
        <Card title="Who is in it">
          <Form method="post" className="space-y-4" aria-label="Segment" {...getFormProps(form)}>
            <input type="hidden" name="filter" value={JSON.stringify(filter)} />
            {form.errors ? (
              <Alert tone="error">{form.errors[0]}</Alert>
            ) : failed && failed.intent !== "save" ? (
              <Alert tone="error">{failed.message}</Alert>
            ) : null}
            <div className="grid gap-3 sm:grid-cols-2">
              <TextField label="Name" field={fields.name} disabled={!canEdit} />
              <TextField label="Description" field={fields.description} disabled={!canEdit} />
            </div>
            <SegmentFilterFields
              filter={filter}
              onChange={setFilter}
              currency={currency}
              errors={{ ...(failed?.reply.error ?? {}), ...liveErrors }}
            />
            {canEdit ? (
              <div className="flex flex-wrap items-center gap-3">
                <Button name="intent" value="save" busy={busy === "save"}>
                  {segment ? "Save changes" : "Save segment"}
                </Button>
                {segment ? (
                  <Button
                    name="intent"
                    value="duplicate"
                    // The copy is of the saved segment: what is typed here is not checked.
                    formNoValidate
                    variant="secondary"
                    busy={busy === "duplicate"}
                  >
                    Duplicate
                  </Button>
                ) : null}
                {segment && can("export:customer") ? (
                  <a
                    href={`/marketing/segments/${segment.id}/export`}
                    className="font-medium text-brand-700 text-sm hover:underline"
                  >
                    Export marketing list (CSV)
                  </a>
                ) : null}
              </div>
            ) : null}
          </Form>
        </Card>
        <Card
          title="Preview"
          actions={
            <output aria-live="polite" className="font-semibold text-lg text-stone-900">
              {count.data ? `${formatNumber(count.data.count)} customers` : "…"}
            </output>
          }
        >
          {count.error ? (
            <Alert tone="error">{count.error.message}</Alert>
          ) : (
            <RecipientPreview key={JSON.stringify(settled)} filter={settled} />
          )}
        </Card>
      </div>
    </>
  );
}
