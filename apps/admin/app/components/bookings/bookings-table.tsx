import { Form, Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  BOOKING_STATUS_TRANSITIONS,
  type BookingStatus,
  type BookingStatusChange,
} from "@xplorium/domain";
import { type ColumnDef, formatDate, formatMoney, Spinner } from "@xplorium/ui";
import { titleCase } from "~/components/customer/labels";

export type BookingRow = RouterOutputs["bookings"]["list"]["items"][number];

const ACTIONS: Record<BookingStatusChange, string> = {
  APPROVED: "Approve",
  COMPLETED: "Complete",
  CANCELLED: "Cancel",
};

const STATUS_STYLE: Record<BookingStatus, string> = {
  PENDING: "bg-amber-50 text-amber-800 ring-amber-200",
  APPROVED: "bg-sky-50 text-sky-800 ring-sky-200",
  COMPLETED: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  CANCELLED: "bg-stone-100 text-stone-600 ring-stone-200",
};

/** A row's buttons: each a small form the page's action reads (`bookingRowForms`). */
function RowActions({ row, busyId }: { row: BookingRow; busyId: string | null }) {
  const busy = busyId === row.id;
  return (
    <div className="flex flex-wrap gap-1">
      {BOOKING_STATUS_TRANSITIONS[row.status].map((status) => (
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
            name="intent"
            value="status"
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
          <button
            type="submit"
            name="intent"
            value="review"
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

/** The bookings table's columns; the actions column for staff who may change bookings. */
export function bookingColumns(canWrite: boolean, busyId: string | null): ColumnDef<BookingRow>[] {
  const cols: ColumnDef<BookingRow>[] = [
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
