import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  Button,
  type ColumnDef,
  DataTable,
  EmptyState,
  formatDate,
  PageHeader,
  SelectField,
  Spinner,
  TextField,
} from "@xplorium/ui";
import { z } from "zod";
import { requireStaff } from "~/lib/session.server";
import { urlDay as day } from "~/lib/url-query";

export const meta: MetaFunction = () => [{ title: "Audit log · Xplorium CRM" }];

const urlQuery = z.object({
  action: z.string().trim().max(80).optional().catch(undefined),
  actor: z.enum(["STAFF", "CUSTOMER", "API_KEY", "SYSTEM"]).optional().catch(undefined),
  entity: z.string().trim().max(40).optional().catch(undefined),
  target: z.string().trim().max(80).optional().catch(undefined),
  from: day,
  to: day,
  before: z.string().regex(/^\d+$/).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:audit");
  const p = urlQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await api.audit.list({
    ...(p.action ? { action: p.action } : {}),
    ...(p.actor ? { actorType: p.actor } : {}),
    ...(p.entity ? { entityType: p.entity } : {}),
    ...(p.target ? { entityId: p.target } : {}),
    ...(p.from ? { from: new Date(`${p.from}T00:00:00Z`) } : {}),
    ...(p.to ? { to: new Date(`${p.to}T23:59:59.999Z`) } : {}),
    ...(p.before ? { cursor: Number(p.before) } : {}),
    limit: 50,
  });
  return data(
    {
      filters: p,
      items: page.items,
      next: page.nextCursor ? String(page.nextCursor) : null,
    },
    { headers },
  );
}

type Entry = RouterOutputs["audit"]["list"]["items"][number];

const columns: ColumnDef<Entry>[] = [
  {
    id: "when",
    header: "When",
    cell: ({ row }) => formatDate(row.original.createdAt, { time: true }),
  },
  {
    id: "who",
    header: "Who",
    cell: ({ row: { original: e } }) =>
      e.actorName ?? (
        <>
          {e.actorType.toLowerCase()}
          {e.actorId ? (
            <span className="block font-mono text-stone-400 text-xs">{e.actorId.slice(0, 8)}</span>
          ) : null}
        </>
      ),
  },
  {
    id: "action",
    header: "Action",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span>,
  },
  {
    id: "target",
    header: "Target",
    cell: ({ row: { original: e } }) =>
      !e.entityType ? (
        "—"
      ) : e.entityType === "customer" && e.entityId ? (
        <Link to={`/customers/${e.entityId}`} className="text-brand-700 text-xs hover:underline">
          customer {e.entityId.slice(0, 8)}
        </Link>
      ) : (
        <span className="text-xs">{`${e.entityType} ${e.entityId?.slice(0, 8) ?? ""}`}</span>
      ),
  },
  {
    id: "details",
    header: "Details",
    cell: ({ row }) =>
      row.original.details ? (
        <code className="block max-w-md whitespace-normal break-all text-stone-600 text-xs">
          {JSON.stringify(row.original.details)}
        </code>
      ) : (
        "—"
      ),
  },
  {
    id: "ip",
    header: "IP",
    cell: ({ row }) => <span className="text-stone-500 text-xs">{row.original.ip ?? "—"}</span>,
  },
];

export default function Audit() {
  const { filters, items, next } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const withParams = (changes: Record<string, string | null>) => {
    const n = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v === null ? n.delete(k) : n.set(k, v);
    return `?${n}`;
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what, and when. Written in the same transaction as each change."
      />
      <Form
        method="get"
        className="mb-4 grid gap-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-6"
      >
        <TextField
          label="Action starts with"
          name="action"
          defaultValue={filters.action ?? ""}
          placeholder="staff."
        />
        <SelectField
          label="Actor"
          name="actor"
          defaultValue={filters.actor ?? ""}
          options={[
            { value: "", label: "Anyone" },
            { value: "STAFF", label: "Staff" },
            { value: "CUSTOMER", label: "Customer" },
            { value: "API_KEY", label: "API key" },
            { value: "SYSTEM", label: "System" },
          ]}
        />
        <TextField
          label="Target type"
          name="entity"
          defaultValue={filters.entity ?? ""}
          placeholder="customer"
        />
        <TextField label="Target id" name="target" defaultValue={filters.target ?? ""} />
        <TextField label="From" name="from" type="date" defaultValue={filters.from ?? ""} />
        <TextField label="To" name="to" type="date" defaultValue={filters.to ?? ""} />
        <div className="flex items-center gap-3 sm:col-span-3 lg:col-span-6">
          <Button variant="secondary">Filter</Button>
          <Link to="/audit" className="text-brand-700 text-sm hover:underline">
            Clear
          </Link>
          {loading ? <Spinner /> : null}
        </div>
      </Form>
      {items.length === 0 ? (
        <EmptyState title="Nothing recorded matches">
          Try a wider date range or fewer filters.
        </EmptyState>
      ) : (
        <DataTable
          caption="Audit log entries, newest first"
          columns={columns}
          data={items}
          getRowId={(e) => String(e.id)}
          busy={loading}
        />
      )}
      {next ? (
        <Link
          to={withParams({ before: next })}
          className="mt-4 inline-block font-medium text-brand-700 text-sm hover:underline"
        >
          Older entries →
        </Link>
      ) : null}
    </>
  );
}
