import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, formatDate, formatMoney, formatNumber } from "@xplorium/ui";
import { PointsList } from "~/components/points-list";
import { BOOKING_STATUS_LABELS, signedPoints } from "~/lib/labels";
import { decodeCursor, encodeCursor, withParam } from "~/lib/page-cursor";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "History · My Xplorium" }];

const PAGE = 20;

/**
 * Points and bookings, newest first, each paginated on its own keyset cursor in the URL
 * (`?points=…`, `?bookings=…`): "Show more" is a link, so it works without JavaScript.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const url = new URL(request.url);
  const pointsCursor = decodeCursor(url.searchParams.get("points"));
  const bookingsCursor = decodeCursor(url.searchParams.get("bookings"));
  const [points, bookings] = await Promise.all([
    api.portal.points({ limit: PAGE, cursor: pointsCursor }),
    api.portal.bookings({ limit: PAGE, cursor: bookingsCursor }),
  ]);
  const link = (name: string, cursor: { at: string; id: string } | null) =>
    cursor ? withParam(url, name, encodeCursor(cursor)) : null;
  return data(
    {
      points: {
        items: points.items,
        more: link("points", points.nextCursor),
        first: pointsCursor ? withParam(url, "points", null) : null,
      },
      bookings: {
        items: bookings.items,
        more: link("bookings", bookings.nextCursor),
        first: bookingsCursor ? withParam(url, "bookings", null) : null,
      },
    },
    { headers },
  );
}

function Pager({ more, first, what }: { more: string | null; first: string | null; what: string }) {
  if (!more && !first) return null;
  return (
    <div className="mt-3 flex flex-wrap gap-3">
      {more ? (
        <Link
          to={more}
          preventScrollReset
          className="rounded-lg bg-white px-4 py-2 font-semibold text-sm text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100"
        >
          Show more<span className="sr-only"> {what}</span>
        </Link>
      ) : null}
      {first ? (
        <Link
          to={first}
          preventScrollReset
          className="px-2 py-2 font-medium text-brand-700 text-sm hover:underline"
        >
          Back to the newest<span className="sr-only"> {what}</span>
        </Link>
      ) : null}
    </div>
  );
}

export default function History() {
  const { points, bookings } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <h1 className="font-bold text-2xl text-stone-900">History</h1>

      <section aria-labelledby="points-history">
        <h2 id="points-history" className="font-semibold text-lg text-stone-900">
          Points
        </h2>
        {points.first ? <p className="text-sm text-stone-600">Older entries</p> : null}
        {points.items.length > 0 ? (
          <div className="mt-2 rounded-2xl bg-white px-4 shadow-sm ring-1 ring-stone-200">
            <PointsList rows={points.items} label="Points history" />
          </div>
        ) : (
          <div className="mt-2">
            <EmptyState title="No points yet">
              Points appear here when a visit is completed.
            </EmptyState>
          </div>
        )}
        <Pager more={points.more} first={points.first} what="points" />
      </section>

      <section aria-labelledby="bookings-history">
        <h2 id="bookings-history" className="font-semibold text-lg text-stone-900">
          Bookings
        </h2>
        {bookings.first ? <p className="text-sm text-stone-600">Older bookings</p> : null}
        {bookings.items.length > 0 ? (
          <ul
            aria-label="Bookings"
            className="mt-2 divide-y divide-stone-100 rounded-2xl bg-white px-4 shadow-sm ring-1 ring-stone-200"
          >
            {bookings.items.map((b) => (
              <li key={b.id} className="flex items-start justify-between gap-3 py-3">
                <div>
                  <p className="font-medium text-stone-900">{b.typeLabel}</p>
                  <p className="text-sm text-stone-600">
                    {formatDate(b.scheduledAt, { time: true })} · {b.guests}{" "}
                    {b.guests === 1 ? "guest" : "guests"}
                  </p>
                  {b.pointsEarned !== 0 ? (
                    <p className="text-emerald-700 text-xs">
                      {signedPoints(b.pointsEarned, formatNumber)} points
                    </p>
                  ) : null}
                </div>
                <div className="text-right">
                  <p className="font-medium text-stone-900 tabular-nums">
                    {formatMoney(b.amount, b.currency)}
                  </p>
                  <p className="text-sm text-stone-600">{BOOKING_STATUS_LABELS[b.status]}</p>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <div className="mt-2">
            <EmptyState title="No bookings yet">
              Your visits and parties will appear here.
            </EmptyState>
          </div>
        )}
        <Pager more={bookings.more} first={bookings.first} what="bookings" />
      </section>
    </div>
  );
}
