import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Await, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { TIERS } from "@xplorium/domain";
import {
  type ColumnDef,
  DataTable,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  PageHeader,
  SelectField,
  TextField,
  TierBadge,
} from "@xplorium/ui";
import { Suspense } from "react";
import { enumOptions } from "~/components/customer/labels";
import { FilterForm, hrefWith, Pager } from "~/components/list/filter-form";
import { MergedToast } from "~/components/possible-duplicates";
import { SyncFromBookings } from "~/components/sync-from-bookings";
import { useCan } from "~/lib/can";
import { customerQueryFromUrl } from "~/lib/customer-filters.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Customers · Xplorium CRM" }];

type Row = RouterOutputs["customers"]["list"]["items"][number];

const OPT_IN_OPTIONS = [
  { value: "", label: "Either" },
  { value: "yes", label: "Opted in" },
  { value: "no", label: "Not opted in" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:customer");
  const url = new URL(request.url);
  const { query: p, filters } = customerQueryFromUrl(url);
  try {
    // The page first; the count of the whole filtered list streams in after it (counting reads
    // every match, the page one page: docs/performance.md).
    const page = await api.customers.list({
      ...filters,
      limit: 50,
      withTotal: false,
      ...(p.cursor ? { cursor: p.cursor } : {}),
    });
    const count = api.customers.count(filters).then((c) => c.total);
    return data(
      {
        page,
        count,
        filters: p,
        currency: context.env.CURRENCY,
      },
      { headers },
    );
  } catch (error) {
    // A stale or foreign page link: show the first page of the same view.
    if (p.cursor) {
      url.searchParams.delete("cursor");
      throw redirect(`${url.pathname}?${url.searchParams}`, { headers });
    }
    throw error;
  }
}

function columns(currency: string): ColumnDef<Row>[] {
  return [
    { id: "email", header: "Email", cell: ({ row }) => row.original.email },
    { id: "name", header: "Name", cell: ({ row }) => row.original.name ?? "—" },
    { id: "phone", header: "Phone", cell: ({ row }) => row.original.phone ?? "—" },
    {
      id: "tier",
      header: "Tier",
      meta: { firstDir: "desc" },
      cell: ({ row }) => <TierBadge tier={row.original.loyaltyTier} />,
    },
    {
      id: "points",
      header: "Points",
      meta: { firstDir: "desc" },
      cell: ({ row }) => (
        <span className="tabular-nums">{formatNumber(row.original.loyaltyPoints)}</span>
      ),
    },
    {
      id: "bookings",
      header: "Bookings",
      meta: { firstDir: "desc" },
      cell: ({ row }) => <span className="tabular-nums">{row.original.totalBookings}</span>,
    },
    {
      id: "spent",
      header: "Total spent",
      meta: { firstDir: "desc" },
      cell: ({ row }) => (
        <span className="tabular-nums">{formatMoney(row.original.totalSpent, currency)}</span>
      ),
    },
    {
      id: "lastBooking",
      header: "Last booking",
      meta: { firstDir: "desc" },
      cell: ({ row }) => formatDate(row.original.lastBookingAt),
    },
  ];
}

export default function Customers() {
  const { page, count, filters, currency } = useLoaderData<typeof loader>();
  const can = useCan();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location?.pathname === "/customers";

  const link = (changes: Record<string, string | null>) => hrefWith(params, changes);
  const filtered = [...params.keys()].some((k) => !["sort", "dir", "cursor"].includes(k));
  // The export is the whole filtered list in the same order: the same URL, without the page.
  const exportParams = new URLSearchParams(params);
  exportParams.delete("cursor");
  const exportHref = `/customers/export${exportParams.size ? `?${exportParams}` : ""}`;

  return (
    <>
      <MergedToast />
      <PageHeader
        title="Customers"
        description={
          <Suspense fallback={<span aria-busy="true">Counting customers…</span>}>
            <Await resolve={count} errorElement={<span>Customers</span>}>
              {(total) => (
                <span data-testid="customer-count">
                  {formatNumber(total)} {filtered ? "matching " : ""}
                  {total === 1 ? "customer" : "customers"}
                </span>
              )}
            </Await>
          </Suspense>
        }
        actions={
          <>
            {can("export:customer") ? (
              // No `download` attribute: the answer is an attachment anyway, and when the
              // password must be confirmed first the link leads to that page instead.
              <a
                href={exportHref}
                className="inline-flex items-center justify-center gap-2 rounded-lg bg-white px-4 py-2 font-semibold text-sm text-stone-800 ring-1 ring-stone-300 transition hover:bg-stone-100"
              >
                Export CSV
              </a>
            ) : null}
            {can("write:customer") ? (
              <Link
                to="/customers/new"
                className="inline-flex items-center justify-center rounded-lg bg-brand-700 px-4 py-2 font-semibold text-sm text-white hover:bg-brand-800"
              >
                New customer
              </Link>
            ) : null}
          </>
        }
      />
      {can("sync:booking") ? <SyncFromBookings /> : null}
      <FilterForm
        className="sm:grid-cols-2 lg:grid-cols-4"
        clearHref="/customers"
        filtered={filtered}
        busy={busy}
        busyLabel="Loading customers"
      >
        {filters.sort ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        {filters.dir ? <input type="hidden" name="dir" value={filters.dir} /> : null}
        <TextField
          label="Search"
          name="q"
          type="search"
          defaultValue={filters.q ?? ""}
          placeholder="Name, email or phone"
          className="sm:col-span-2"
          autoComplete="off"
        />
        <SelectField
          label="Tier"
          name="tier"
          defaultValue={filters.tier ?? ""}
          options={enumOptions(TIERS, "Any tier")}
        />
        <TextField
          label="Tags (all of)"
          name="tags"
          defaultValue={filters.tags ?? ""}
          placeholder="party-regular, twins"
        />
        <SelectField
          label="Email opt-in"
          name="email"
          defaultValue={filters.email ?? ""}
          options={OPT_IN_OPTIONS}
        />
        <SelectField
          label="SMS opt-in"
          name="sms"
          defaultValue={filters.sms ?? ""}
          options={OPT_IN_OPTIONS}
        />
        <TextField
          label="Min. bookings"
          name="min"
          type="number"
          min={0}
          defaultValue={filters.min ?? ""}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label="Last booking from"
            name="from"
            type="date"
            defaultValue={filters.from ?? ""}
          />
          <TextField label="to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </div>
      </FilterForm>
      {filters.q && !filters.sort && page.sort === "lastBooking" ? (
        <p className="mb-3 text-sm text-stone-600" data-testid="search-order-note">
          Many customers match “{filters.q}”, so they are listed by last booking rather than by best
          match. Type more of the name or email, or pick a column to sort by.
        </p>
      ) : null}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No customers match" : "No customers yet"}>
          {filtered
            ? "Try fewer filters or another spelling."
            : "Customers appear here as bookings come in."}
        </EmptyState>
      ) : (
        <DataTable
          caption="Customers"
          columns={columns(currency)}
          data={page.items}
          getRowId={(r) => r.id}
          sort={{ id: page.sort, dir: page.dir }}
          sortHref={(id, dir) => link({ sort: id, dir, cursor: null })}
          rowHref={(r) => `/customers/${r.id}`}
          busy={busy}
        />
      )}
      <Pager
        firstHref={params.has("cursor") ? link({ cursor: null }) : null}
        nextHref={page.nextCursor ? link({ cursor: page.nextCursor }) : null}
      />
    </>
  );
}
