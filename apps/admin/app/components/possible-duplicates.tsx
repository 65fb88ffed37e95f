import { Link, useSearchParams } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Card, formatDate, TierBadge } from "@xplorium/ui";
import { Toast, type ToastMessage } from "@xplorium/ui/remix";
import { useMemo } from "react";

type Duplicate = RouterOutputs["customers"]["duplicates"][number];

export const DUPLICATE_REASON_LABELS: Record<Duplicate["reasons"][number], string> = {
  SAME_PHONE: "same phone",
  SAME_NAME: "same name",
  SIMILAR_EMAIL: "look-alike email",
};

const linkClass = "font-medium text-brand-700 text-sm hover:underline";

/**
 * The customer page's "Possible duplicates" card (same phone, same name, look-alike email), with
 * a way into the merge page; shown only to roles that may merge.
 */
export function PossibleDuplicates({
  customerId,
  duplicates,
}: {
  customerId: string;
  duplicates: Duplicate[];
}) {
  const mergeHref = (otherId?: string) =>
    `/customers/${customerId}/merge${otherId ? `?with=${otherId}` : ""}`;
  return (
    <Card
      title="Possible duplicates"
      actions={
        <Link to={mergeHref()} className={linkClass}>
          Merge…
        </Link>
      }
    >
      {duplicates.length === 0 ? (
        <p className="text-sm text-stone-500">No likely duplicates found.</p>
      ) : (
        <ul className="divide-y divide-stone-100 text-sm" aria-label="Possible duplicates">
          {duplicates.map((d) => (
            <li key={d.id} className="flex items-start justify-between gap-3 py-2">
              <span className="min-w-0">
                <Link to={`/customers/${d.id}`} className="block truncate text-stone-900">
                  {d.name ?? d.email}
                </Link>
                <span className="block truncate text-stone-500 text-xs">{d.email}</span>
                <span className="mt-1 flex flex-wrap items-center gap-1 text-xs">
                  <TierBadge tier={d.loyaltyTier} />
                  {d.reasons.map((r) => (
                    <span key={r} className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-800">
                      {DUPLICATE_REASON_LABELS[r]}
                    </span>
                  ))}
                  <span className="text-stone-500">
                    {d.totalBookings} bookings · last {formatDate(d.lastBookingAt)}
                  </span>
                </span>
              </span>
              <Link
                to={mergeHref(d.id)}
                className={`${linkClass} shrink-0`}
                aria-label={`Merge with ${d.email}`}
              >
                Merge…
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The confirmation after the merge page redirected here with `?merged=1`. */
const NOTICES = {
  merged: "Customers merged. The other email now finds this customer.",
  created: "Customer created.",
  existing: "That email already belonged to this customer; their details were updated.",
  erased: "The customer's personal data was erased.",
} as const;

/** The toast after arriving from a merge or the new-customer form (?merged=1, ?created=1, …). */
export function MergedToast() {
  const [params] = useSearchParams();
  const notice = (["merged", "created", "existing", "erased"] as const).find(
    (k) => params.get(k) === "1",
  );
  const message = useMemo<ToastMessage | null>(
    () => (notice ? { id: notice, tone: "success", text: NOTICES[notice] } : null),
    [notice],
  );
  return <Toast message={message} />;
}
