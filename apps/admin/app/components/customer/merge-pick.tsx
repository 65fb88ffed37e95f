import { Form, Link } from "@remix-run/react";
import { Button, Card, EmptyState, TextField } from "@xplorium/ui";
import type { ReactNode } from "react";
import { DUPLICATE_REASON_LABELS } from "~/components/possible-duplicates";
import { type PickPage, who } from "./merge-page";

/** The merge's first step: a suggested duplicate, or a search for the other record. */
export function PickStep({ me, q, suggestions, results }: PickPage) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Possible duplicates">
        {suggestions.length === 0 ? (
          <EmptyState title="No likely duplicates">
            No other customer has the same phone, the same name or a look-alike email.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {suggestions.map((d) => (
              <Candidate key={d.id} customer={d}>
                {d.email} · {d.reasons.map((r) => DUPLICATE_REASON_LABELS[r]).join(", ")}
              </Candidate>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Find the other record">
        <Form method="get" role="search" className="flex items-end gap-2">
          <TextField
            label="Email, name or phone"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="other.address@example.com"
            className="flex-1"
            autoComplete="off"
          />
          <Button variant="secondary">Search</Button>
        </Form>
        {results === null ? null : results.length === 0 ? (
          <p className="mt-3 text-sm text-stone-500">No other customer matches “{q}”.</p>
        ) : (
          <ul className="mt-3 divide-y divide-stone-100 text-sm" aria-label="Search results">
            {results.map((r) => (
              <Candidate key={r.id} customer={r}>
                {r.email} · {r.phone ?? "no phone"} · {r.totalBookings} bookings
              </Candidate>
            ))}
          </ul>
        )}
        <p className="mt-3 text-stone-500 text-xs">Merging into {me.email}.</p>
      </Card>
    </div>
  );
}

/** A record the merge could take in: who, a line about them, and the way to compare. */
function Candidate({
  customer,
  children,
}: {
  customer: { id: string; name: string | null; email: string | null };
  children: ReactNode;
}) {
  return (
    <li className="flex items-center justify-between gap-3 py-2">
      <span className="min-w-0">
        <span className="block truncate text-stone-900">{who(customer)}</span>
        <span className="block truncate text-stone-500 text-xs">{children}</span>
      </span>
      <Link
        to={`?with=${customer.id}`}
        className="shrink-0 font-medium text-brand-700 hover:underline"
      >
        Compare
      </Link>
    </li>
  );
}
