import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Button,
  EmptyState,
  formatDate,
  PageHeader,
  SelectField,
  Spinner,
  TextField,
} from "@xplorium/ui";
import { z } from "zod";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Xplorium CRM" }];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);
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
        <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="border-stone-200 border-b bg-stone-50 text-stone-600 text-xs uppercase">
              <tr>
                <th scope="col" className="px-4 py-3">
                  When
                </th>
                <th scope="col" className="px-4 py-3">
                  Who
                </th>
                <th scope="col" className="px-4 py-3">
                  Action
                </th>
                <th scope="col" className="px-4 py-3">
                  Target
                </th>
                <th scope="col" className="px-4 py-3">
                  Details
                </th>
                <th scope="col" className="px-4 py-3">
                  IP
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100 align-top">
              {items.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="px-4 py-3 whitespace-nowrap">
                    {formatDate(e.createdAt, { time: true })}
                  </td>
                  <td className="px-4 py-3">
                    {e.actorName ?? e.actorType.toLowerCase()}
                    {e.actorName ? null : e.actorId ? (
                      <span className="block font-mono text-stone-400 text-xs">
                        {e.actorId.slice(0, 8)}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">{e.action}</td>
                  <td className="px-4 py-3 text-xs">
                    {e.entityType ? (
                      e.entityType === "customer" && e.entityId ? (
                        <Link
                          to={`/customers/${e.entityId}`}
                          className="text-brand-700 hover:underline"
                        >
                          customer {e.entityId.slice(0, 8)}
                        </Link>
                      ) : (
                        `${e.entityType} ${e.entityId?.slice(0, 8) ?? ""}`
                      )
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="max-w-md px-4 py-3">
                    {e.details ? (
                      <code className="block text-xs break-all text-stone-600">
                        {JSON.stringify(e.details)}
                      </code>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-4 py-3 text-stone-500 text-xs">{e.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
