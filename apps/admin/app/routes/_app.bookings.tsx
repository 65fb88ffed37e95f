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
import type { RouterOutputs } from "@xplorium/api";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  type ColumnDef,
  DataTable,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  PageHeader,
  SelectField,
  Spinner,
  TextField,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { z } from "zod";
import { titleCase } from "~/components/customer/form-state";
import { FilterForm, hrefWith, Pager } from "~/components/list/filter-form";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";
import { urlDay, urlEnum, urlText } from "~/lib/url-query";

export const meta: MetaFunction = () => [{ title: "Bookings · Xplorium CRM" }];

type Row = RouterOutputs["bookings"]["list"]["items"][number];

const TYPES = ["CAFE", "PLAYGROUND", "PARTY", "EVENT"] as const;
const STATUSES = ["PENDING", "APPROVED", "COMPLETED", "CANCELLED"] as const;
/** Filters live in the URL so a view can be shared; bad values are dropped. */
const urlQuery = z.object({
  q: urlText(100),
  type: urlEnum(TYPES),
  status: urlEnum(STATUSES),
  from: urlDay,
  to: urlDay,
  customer: z.uuid().optional().catch(undefined),
  cursor: urlText(100),
  created: urlText(200),
});

/** A page cursor in the URL: `<scheduled_at as PostgreSQL printed it>_<id>`. */
const encodeCursor = (c: { at: string; id: string }) => `${c.at}_${c.id}`;
function decodeCursor(s: string | undefined) {
  const [at, id] = s?.split("_") ?? [];
  return at && id ? { at, id } : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:booking");
  const url = new URL(request.url);
  const p = urlQuery.parse(Object.fromEntries(url.searchParams));
  const cursor = decodeCursor(p.cursor);
  try {
    const page = await api.bookings.list({
      ...(p.q ? { q: p.q } : {}),
      ...(p.type ? { type: p.type } : {}),
      ...(p.status ? { status: p.status } : {}),
      ...(p.from ? { from: new Date(`${p.from}T00:00:00Z`) } : {}),
      // "to" is inclusive of that day.
      ...(p.to ? { to: new Date(new Date(`${p.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
      ...(p.customer ? { customerId: p.customer } : {}),
      ...(cursor ? { cursor } : {}),
      limit: 50,
    });
    return data(
      {
        page: { ...page, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null },
        filters: p,
        canWrite: ROLE_PERMISSIONS[staff.role].has("write:booking"),
      },
      { headers },
    );
  } catch (error) {
    if (p.cursor) {
      url.searchParams.delete("cursor");
      throw redirect(`${url.pathname}?${url.searchParams}`, { headers });
    }
    throw error;
  }
}

const ACTIONS = {
  APPROVED: "Approve",
  COMPLETED: "Complete",
  CANCELLED: "Cancel",
} as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:booking");
  const form = await request.formData();
  const bookingId = String(form.get("bookingId") ?? "");
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "review") {
      const r = await api.bookings.recordReview({ bookingId });
      return data(
        {
          ok: true as const,
          text: r.changed ? "Review recorded: +25 points." : "Already recorded.",
        },
        { headers },
      );
    }
    const status = String(form.get("status")) as keyof typeof ACTIONS;
    const r = await api.bookings.setStatus({ bookingId, status });
    const points = r.points
      ? ` ${r.points > 0 ? "+" : "−"}${formatNumber(Math.abs(r.points))} points.`
      : "";
    const text = !r.changed ? "Nothing to change." : `Booking ${status.toLowerCase()}.${points}`;
    return data({ ok: true as const, text }, { headers });
  } catch (error) {
    const f = describeActionError(error);
    return data({ ok: false as const, text: f.message }, { status: f.status, headers });
  }
}

const STATUS_STYLE: Record<(typeof STATUSES)[number], string> = {
  PENDING: "bg-amber-50 text-amber-800 ring-amber-200",
  APPROVED: "bg-sky-50 text-sky-800 ring-sky-200",
  COMPLETED: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  CANCELLED: "bg-stone-100 text-stone-600 ring-stone-200",
};

/** Which buttons a booking in each status offers (CANCELLED is final). */
const NEXT: Record<(typeof STATUSES)[number], (keyof typeof ACTIONS)[]> = {
  PENDING: ["APPROVED", "COMPLETED", "CANCELLED"],
  APPROVED: ["COMPLETED", "CANCELLED"],
  COMPLETED: ["CANCELLED"],
  CANCELLED: [],
};

function RowActions({ row, busyId }: { row: Row; busyId: string | null }) {
  const busy = busyId === row.id;
  return (
    <div className="flex flex-wrap gap-1">
      {NEXT[row.status].map((status) => (
        <Form
          key={status}
          method="post"
          preventScrollReset
          onSubmit={(e) => {
            if (
              status === "CANCELLED" &&
              row.status === "COMPLETED" &&
              !window.confirm("Cancel this completed booking? The points it earned are taken back.")
            ) {
              e.preventDefault();
            }
          }}
        >
          <input type="hidden" name="bookingId" value={row.id} />
          <input type="hidden" name="status" value={status} />
          <button
            type="submit"
            disabled={busy}
            aria-label={`${ACTIONS[status]} booking of ${row.customerName ?? row.contactEmail ?? "customer"} on ${formatDate(row.scheduledAt, { time: true })}`}
            className={
              status === "CANCELLED"
                ? "rounded-md px-2 py-1 font-medium text-red-700 text-xs ring-1 ring-red-200 hover:bg-red-50"
                : "rounded-md px-2 py-1 font-medium text-brand-800 text-xs ring-1 ring-brand-200 hover:bg-brand-50"
            }
          >
            {ACTIONS[status]}
          </button>
        </Form>
      ))}
      {row.status === "COMPLETED" && !row.reviewPostedAt ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="bookingId" value={row.id} />
          <input type="hidden" name="intent" value="review" />
          <button
            type="submit"
            disabled={busy}
            className="rounded-md px-2 py-1 font-medium text-stone-700 text-xs ring-1 ring-stone-300 hover:bg-stone-50"
          >
            Review posted
          </button>
        </Form>
      ) : null}
      {busy ? <Spinner label="Saving" /> : null}
    </div>
  );
}

function columns(canWrite: boolean, busyId: string | null): ColumnDef<Row>[] {
  const cols: ColumnDef<Row>[] = [
    {
      id: "when",
      header: "When",
      cell: ({ row }) => formatDate(row.original.scheduledAt, { time: true }),
    },
    {
      id: "customer",
      header: "Customer",
      cell: ({ row }) => {
        const r = row.original;
        const name = r.customerName ?? r.contactName ?? r.customerEmail ?? r.contactEmail ?? "—";
        return r.customerId ? (
          <Link to={`/customers/${r.customerId}`} className="text-brand-700 hover:underline">
            {name}
          </Link>
        ) : (
          <span title="Not linked yet: run Sync from bookings">{name} (unlinked)</span>
        );
      },
    },
    { id: "type", header: "Type", cell: ({ row }) => titleCase(row.original.type) },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) => (
        <span
          className={`rounded-full px-2 py-0.5 font-medium text-xs ring-1 ${STATUS_STYLE[row.original.status]}`}
        >
          {titleCase(row.original.status)}
        </span>
      ),
    },
    {
      id: "guests",
      header: "Guests",
      cell: ({ row }) => <span className="tabular-nums">{row.original.guests}</span>,
    },
    {
      id: "amount",
      header: "Amount",
      cell: ({ row }) => (
        <span className="tabular-nums">
          {formatMoney(row.original.amount, row.original.currency)}
        </span>
      ),
    },
    { id: "source", header: "Source", cell: ({ row }) => titleCase(row.original.source) },
  ];
  if (canWrite) {
    cols.push({
      id: "actions",
      header: "Actions",
      cell: ({ row }) => <RowActions row={row.original} busyId={busyId} />,
    });
  }
  return cols;
}

export default function Bookings() {
  const { page, filters, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/bookings";
  const busyId =
    navigation.state === "submitting" ? String(navigation.formData?.get("bookingId") ?? "") : null;
  const filtered = [...params.keys()].some((k) => !["cursor", "created"].includes(k));
  const link = (changes: Record<string, string | null>) =>
    hrefWith(params, { ...changes, created: null });
  const toast = result
    ? {
        id: String(Date.now()),
        tone: result.ok ? ("success" as const) : ("error" as const),
        text: result.text,
      }
    : filters.created
      ? { id: `created-${filters.created}`, tone: "success" as const, text: filters.created }
      : null;

  return (
    <>
      <Toast message={toast} />
      <PageHeader
        title="Bookings"
        description={`${formatNumber(page.total)} ${filtered ? "matching " : ""}bookings`}
        actions={
          canWrite ? (
            <Link
              to="/bookings/new"
              className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-sm text-white hover:bg-brand-800"
            >
              New booking
            </Link>
          ) : null
        }
      />
      <FilterForm
        className="sm:grid-cols-2 lg:grid-cols-5"
        clearHref="/bookings"
        filtered={filtered}
        busy={loading}
        busyLabel="Loading bookings"
        footer={
          filters.customer ? (
            <span className="text-sm text-stone-600">Showing one customer's bookings.</span>
          ) : null
        }
      >
        {filters.customer ? <input type="hidden" name="customer" value={filters.customer} /> : null}
        <TextField
          label="Customer email or booking ref"
          name="q"
          type="search"
          defaultValue={filters.q ?? ""}
          placeholder="ana@ or site-4711"
          autoComplete="off"
        />
        <SelectField
          label="Type"
          name="type"
          defaultValue={filters.type ?? ""}
          options={[
            { value: "", label: "Any type" },
            ...TYPES.map((t) => ({ value: t, label: titleCase(t) })),
          ]}
        />
        <SelectField
          label="Status"
          name="status"
          defaultValue={filters.status ?? ""}
          options={[
            { value: "", label: "Any status" },
            ...STATUSES.map((s) => ({ value: s, label: titleCase(s) })),
          ]}
        />
        <TextField label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
        <TextField label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
      </FilterForm>
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No bookings match" : "No bookings yet"}>
          {filtered
            ? "Try fewer filters."
            : "Record a walk-in or phone booking with “New booking”."}
        </EmptyState>
      ) : (
        <DataTable
          caption="Bookings"
          columns={columns(canWrite, busyId)}
          data={page.items}
          getRowId={(r) => r.id}
          busy={loading}
        />
      )}
      <Pager
        firstHref={params.has("cursor") ? link({ cursor: null }) : null}
        nextHref={page.nextCursor ? link({ cursor: page.nextCursor }) : null}
      />
    </>
  );
}
