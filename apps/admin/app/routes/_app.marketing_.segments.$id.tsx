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
  useSearchParams,
} from "@remix-run/react";
import { trpc } from "@xplorium/api/client";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  Alert,
  Button,
  Card,
  EmptyState,
  formatNumber,
  PageHeader,
  RFM_SEGMENT_INFO,
  type RfmSegment,
  TextField,
  TierBadge,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useEffect, useState } from "react";
import {
  describeFilter,
  type Filter,
  SegmentFilterFields,
} from "~/components/marketing/segment-filter";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.segment?.name ?? "New segment"} · Segments · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:marketing");
  const segment = params.id === "new" ? null : await api.segments.get({ id: params.id ?? "" });
  // A new segment can start from the RFM and churn page: ?rfm=CHAMPIONS or ?churn=1.
  const url = new URL(request.url);
  const start: Filter = {};
  const rfm = url.searchParams.getAll("rfm").filter((s): s is RfmSegment => s in RFM_SEGMENT_INFO);
  if (rfm.length) start.rfmSegments = rfm;
  if (url.searchParams.get("churn") === "1") start.likelyToChurn = true;
  return data(
    {
      segment,
      start,
      canEdit: ROLE_PERMISSIONS[staff.role].has("write:marketing"),
      canExport: ROLE_PERMISSIONS[staff.role].has("export:customer"),
      currency: context.env.CURRENCY,
    },
    { headers },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:marketing");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const name = String(form.get("name") ?? "");
  const description = String(form.get("description") ?? "");
  const id = params.id ?? "";
  try {
    let filter: Filter;
    try {
      filter = JSON.parse(String(form.get("filter") ?? "{}")) as Filter;
    } catch {
      filter = {};
    }
    if (intent === "duplicate") {
      const copy = await api.segments.duplicate({ id });
      return redirect(`/marketing/segments/${copy.id}?duplicated=1`, { headers });
    }
    if (id === "new") {
      const created = await api.segments.create({ name, description, filter });
      return redirect(`/marketing/segments/${created.id}?saved=1`, { headers });
    }
    const r = await api.segments.update({ id, name, description, filter });
    return data(
      {
        ok: true as const,
        at: Date.now(),
        toast: r.changed ? "Segment saved." : "Nothing to change.",
      },
      { headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      {
        ok: false as const,
        at: Date.now(),
        message: f.message,
        fieldErrors: f.fieldErrors,
        values: { name, description },
      },
      { status: f.status, headers },
    );
  }
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

const PAGE_SIZE = 10;

/**
 * The customers the filter matches, a page at a time (keyset cursors, kept for going back).
 * Keyed by the filter, so a new filter starts from the first page.
 */
function RecipientPreview({ filter }: { filter: Filter }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const preview = trpc.segments.preview.useQuery(
    { filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
    { placeholderData: (prev) => prev, retry: false },
  );
  const page = preview.data;
  if (preview.error) return <Alert tone="error">{preview.error.message}</Alert>;
  if (!page) return <p className="text-sm text-stone-500">Loading…</p>;
  if (page.items.length === 0) {
    return <EmptyState title="Nobody matches">Loosen a criterion to reach more people.</EmptyState>;
  }
  const first = cursors.length * PAGE_SIZE + 1;
  return (
    <div className="space-y-3">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Customers in this segment, by email</caption>
        <thead className="text-stone-500 text-xs uppercase">
          <tr>
            <th scope="col" className="py-2 pr-3">
              Customer
            </th>
            <th scope="col" className="py-2 pr-3">
              Tier
            </th>
            <th scope="col" className="py-2 text-right">
              Points
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {page.items.map((r) => (
            <tr key={r.id}>
              <td className="py-2 pr-3">
                <Link to={`/customers/${r.id}`} className="text-brand-700 hover:underline">
                  {r.name ?? r.email}
                </Link>
                <p className="text-stone-500 text-xs">{r.email}</p>
              </td>
              <td className="py-2 pr-3">
                <TierBadge tier={r.tier} />
              </td>
              <td className="py-2 text-right tabular-nums">{formatNumber(r.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center justify-between text-sm text-stone-600">
        <span>
          {formatNumber(first)}–{formatNumber(first + page.items.length - 1)} of{" "}
          {formatNumber(page.total)}
        </span>
        <div className="flex gap-2">
          <Button
            type="button"
            variant="ghost"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            type="button"
            variant="ghost"
            disabled={!page.nextCursor}
            onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor as string])}
          >
            Next
          </Button>
        </div>
      </div>
    </div>
  );
}

export default function SegmentEditor() {
  const { segment, start, canEdit, canExport, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const [filter, setFilter] = useState<Filter>(segment?.filter ?? start);
  const settled = useDebounced(filter, 300);
  const count = trpc.segments.count.useQuery(settled, {
    placeholderData: (prev) => prev,
    retry: false,
  });
  const fieldErrors = count.error?.data?.fieldErrors ?? {};
  const failed = result && !result.ok ? result : null;
  const busy = nav.state !== "idle" ? String(nav.formData?.get("intent")) : null;
  const notice = params.get("saved")
    ? "Segment saved."
    : params.get("duplicated")
      ? "This is a copy: rename it and change what you need."
      : null;

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
      <Toast
        message={
          result
            ? {
                id: String(result.at),
                tone: result.ok ? "success" : "error",
                text: result.ok ? result.toast : result.message,
              }
            : notice
              ? { id: notice, tone: "success", text: notice }
              : null
        }
      />
      <div className="grid gap-6 xl:grid-cols-[1fr_28rem]">
        <Card title="Who is in it">
          <Form method="post" className="space-y-4" noValidate aria-label="Segment">
            <input type="hidden" name="filter" value={JSON.stringify(filter)} />
            {failed && Object.keys(failed.fieldErrors).length === 0 ? (
              <Alert tone="error">{failed.message}</Alert>
            ) : null}
            <div className="grid gap-3 sm:grid-cols-2">
              <TextField
                label="Name"
                name="name"
                required
                maxLength={80}
                defaultValue={failed?.values.name ?? segment?.name ?? ""}
                error={failed?.fieldErrors.name}
                disabled={!canEdit}
              />
              <TextField
                label="Description"
                name="description"
                maxLength={500}
                defaultValue={failed?.values.description ?? segment?.description ?? ""}
                error={failed?.fieldErrors.description}
                disabled={!canEdit}
              />
            </div>
            <SegmentFilterFields
              filter={filter}
              onChange={setFilter}
              currency={currency}
              errors={{ ...(failed?.fieldErrors ?? {}), ...fieldErrors }}
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
                    variant="secondary"
                    busy={busy === "duplicate"}
                  >
                    Duplicate
                  </Button>
                ) : null}
                {segment && canExport ? (
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
