import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { BOOKING_STATUSES, BOOKING_TYPES } from "@xplorium/domain";
import {
  DataTable,
  EmptyState,
  formatNumber,
  PageHeader,
  SelectField,
  TextField,
  useResultToast,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { z } from "zod";
import { bookingRowForms } from "~/components/bookings/booking-forms";
import { bookingColumns } from "~/components/bookings/bookings-table";
import { enumOptions } from "~/components/customer/labels";
import { FilterForm, hrefWith, Pager } from "~/components/list/filter-form";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";
import { urlDay, urlEnum, urlText } from "~/lib/url-query";

export const meta: MetaFunction = () => [{ title: "Bookings · Xplorium CRM" }];

/** Filters live in the URL so a view can be shared; bad values are dropped. */
const urlQuery = z.object({
  q: urlText(100),
  type: urlEnum(BOOKING_TYPES),
  status: urlEnum(BOOKING_STATUSES),
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
  const { api, headers } = await requireStaff(request, context, "read:booking");
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

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:booking");
  const form = await request.formData();
  // A post without an intent is a status button's (a page loaded before buttons sent one).
  if (!form.has("intent")) form.set("intent", "status");
  const submission = parseForm(form, bookingRowForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  try {
    if (input.intent === "review") {
      const r = await api.bookings.recordReview({ bookingId: input.bookingId });
      const toast = r.changed ? "Review recorded: +25 points." : "Already recorded.";
      return formResult(submission, { headers, toast });
    }
    const r = await api.bookings.setStatus({ bookingId: input.bookingId, status: input.status });
    const points = r.points
      ? ` ${r.points > 0 ? "+" : "−"}${formatNumber(Math.abs(r.points))} points.`
      : "";
    const toast = !r.changed
      ? "Nothing to change."
      : `Booking ${input.status.toLowerCase()}.${points}`;
    return formResult(submission, { headers, toast });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function Bookings() {
  const { page, filters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const canWrite = useCan()("write:booking");
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/bookings";
  const busyId =
    navigation.state === "submitting" ? String(navigation.formData?.get("bookingId") ?? "") : null;
  const filtered = [...params.keys()].some((k) => !["cursor", "created"].includes(k));
  const link = (changes: Record<string, string | null>) =>
    hrefWith(params, { ...changes, created: null });
  const toast = useResultToast(result, filters.created);

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
          options={enumOptions(BOOKING_TYPES, "Any type")}
        />
        <SelectField
          label="Status"
          name="status"
          defaultValue={filters.status ?? ""}
          options={enumOptions(BOOKING_STATUSES, "Any status")}
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
          columns={bookingColumns(canWrite, busyId)}
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
