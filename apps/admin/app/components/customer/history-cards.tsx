import type { RouterOutputs } from "@xplorium/api";
import { Card, EmptyState, formatDate, formatMoney, formatNumber } from "@xplorium/ui";
import { titleCase } from "./labels";

type Detail = RouterOutputs["customers"]["byId"];

function Stat({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-1 font-semibold text-stone-900 tabular-nums">{value}</dd>
    </div>
  );
}

/** Bookings, money spent, first and last visit. */
export function StatisticsCard({
  customer: c,
  currency,
}: {
  customer: Pick<
    Detail["customer"],
    "totalBookings" | "totalSpent" | "firstBookingAt" | "lastBookingAt"
  >;
  currency: string;
}) {
  return (
    <Card title="Statistics">
      <dl className="grid grid-cols-2 gap-4">
        <Stat name="Bookings" value={String(c.totalBookings)} />
        <Stat name="Total spent" value={formatMoney(c.totalSpent, currency)} />
        <Stat name="First booking" value={formatDate(c.firstBookingAt)} />
        <Stat name="Last booking" value={formatDate(c.lastBookingAt)} />
      </dl>
    </Card>
  );
}

/** The latest bookings, newest first. */
export function BookingHistoryCard({
  bookings,
  className,
}: {
  bookings: Detail["recentBookings"];
  className?: string;
}) {
  return (
    <Card title="Booking history" className={className}>
      {bookings.length === 0 ? (
        <EmptyState title="No bookings yet" />
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-stone-500 text-xs uppercase">
            <tr>
              <th scope="col" className="py-2">
                Date
              </th>
              <th scope="col" className="py-2">
                Type
              </th>
              <th scope="col" className="py-2">
                Status
              </th>
              <th scope="col" className="py-2 text-right">
                Amount
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {bookings.map((b) => (
              <tr key={b.id}>
                <td className="py-2">{formatDate(b.scheduledAt, { time: true })}</td>
                <td className="py-2">{titleCase(b.type)}</td>
                <td className="py-2">{titleCase(b.status)}</td>
                <td className="py-2 text-right tabular-nums">
                  {formatMoney(b.amount, b.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** The latest points entries: what for, when, how many. */
export function PointsHistoryCard({ points }: { points: Detail["recentPoints"] }) {
  return (
    <Card title="Points history">
      {points.length === 0 ? (
        <EmptyState title="No points yet" />
      ) : (
        <ul className="divide-y divide-stone-100 text-sm">
          {points.map((p) => (
            <li key={p.id} className="flex items-start justify-between gap-3 py-2">
              <span>
                <span className="block text-stone-900">{p.note ?? titleCase(p.reason)}</span>
                <span className="text-stone-500 text-xs">{formatDate(p.createdAt)}</span>
              </span>
              <span
                className={
                  p.delta > 0
                    ? "font-semibold text-emerald-700 tabular-nums"
                    : "font-semibold text-red-700 tabular-nums"
                }
              >
                {p.delta > 0 ? "+" : ""}
                {formatNumber(p.delta)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
