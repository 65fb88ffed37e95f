import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  Button,
  Card,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  ProgressBar,
  TierBadge,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { MergedToast, PossibleDuplicates } from "~/components/possible-duplicates";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.customer.name ?? d?.customer.email ?? "Customer"} · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:customer");
  try {
    const [detail, suggestions] = await Promise.all([
      api.customers.byId({ id: params.id ?? "" }),
      api.customers.tagSuggestions({ prefix: "" }),
    ]);
    const canEdit = ROLE_PERMISSIONS[staff.role].has("write:customer");
    // Possible duplicates: only for roles that may merge them.
    const duplicates = ROLE_PERMISSIONS[staff.role].has("merge:customer")
      ? await api.customers.duplicates({ customerId: detail.customer.id })
      : null;
    return data(
      { ...detail, suggestions, canEdit, duplicates, currency: context.env.CURRENCY },
      { headers },
    );
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.status === 404 || failure.status === 400) {
      throw new Response("No customer with that id.", { status: 404 });
    }
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:customer");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const customerId = params.id ?? "";
  try {
    if (intent === "addTag" || intent === "removeTag") {
      const input = { customerId, tag: String(form.get("tag") ?? "") };
      const r =
        intent === "addTag"
          ? await api.customers.addTag(input)
          : await api.customers.removeTag(input);
      const toast = !r.changed
        ? "Nothing to change."
        : intent === "addTag"
          ? "Tag added."
          : "Tag removed.";
      return data({ ok: true as const, intent, toast }, { headers });
    }
    if (intent === "notes") {
      await api.customers.setNotes({ customerId, notes: String(form.get("notes") ?? "") });
      return data({ ok: true as const, intent, toast: "Notes saved." }, { headers });
    }
    const fieldErrors: Record<string, string[] | undefined> = {};
    return data(
      { ok: false as const, intent, message: "Unknown action.", fieldErrors },
      { status: 400 },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, intent, message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

const label = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");

function Stat({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-1 font-semibold text-stone-900 tabular-nums">{value}</dd>
    </div>
  );
}

export default function CustomerDetail() {
  const {
    customer: c,
    next,
    recentBookings,
    recentPoints,
    currency,
    suggestions,
    canEdit,
    duplicates,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const pending = (intent: string) =>
    nav.state !== "idle" && nav.formData?.get("intent") === intent;
  /** The inline error of one form on this page: its field's message, else the general one. */
  const errorFor = (intent: string, field: string) =>
    result && !result.ok && result.intent === intent
      ? (result.fieldErrors[field]?.[0] ?? result.message)
      : null;
  const tagError = errorFor("addTag", "tag");
  const notesError = errorFor("notes", "notes");
  const tierStart = { BRONZE: 0, SILVER: 1000, GOLD: 3000, PLATINUM: 6000, VIP: 0 }[c.loyaltyTier];
  const toast = result
    ? {
        id: String(Date.now()),
        tone: result.ok ? ("success" as const) : ("error" as const),
        text: result.ok ? result.toast : result.message,
      }
    : null;
  return (
    <>
      <Toast message={toast} />
      <MergedToast />
      <Link to="/customers" className="text-brand-700 text-sm hover:underline">
        ← Back to customers
      </Link>
      <div className="mt-3 mb-6">
        <h1 className="font-bold text-2xl text-stone-900">{c.name ?? c.email}</h1>
        <p className="text-stone-600 text-sm">
          {c.email} · {c.phone ?? "no phone"} · prefers {label(c.preferredContactMethod)}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Loyalty">
          <div className="flex items-center justify-between">
            <TierBadge tier={c.loyaltyTier} size="lg" />
            <p className="font-bold text-3xl tabular-nums" data-testid="customer-points">
              {formatNumber(c.loyaltyPoints)}
            </p>
          </div>
          <p className="mt-2 text-sm text-stone-600">
            Lifetime points: {formatNumber(c.lifetimePoints)}
          </p>
          {next ? (
            <div className="mt-3 space-y-1">
              <ProgressBar
                label={`Progress to ${next.tier}`}
                value={c.lifetimePoints - tierStart}
                max={c.lifetimePoints - tierStart + next.pointsNeeded}
              />
              <p className="text-stone-600 text-xs">
                {formatNumber(next.pointsNeeded)} points to {label(next.tier)}
              </p>
            </div>
          ) : null}
        </Card>
        <Card title="Statistics">
          <dl className="grid grid-cols-2 gap-4">
            <Stat name="Bookings" value={String(c.totalBookings)} />
            <Stat name="Total spent" value={formatMoney(c.totalSpent, currency)} />
            <Stat name="First booking" value={formatDate(c.firstBookingAt)} />
            <Stat name="Last booking" value={formatDate(c.lastBookingAt)} />
          </dl>
        </Card>
        <Card title="Preferences and tags">
          <ul className="space-y-1 text-sm">
            <li>Email marketing: {c.marketingOptIn ? "opted in" : "not opted in"}</li>
            <li>SMS marketing: {c.smsOptIn ? "opted in" : "not opted in"}</li>
            <li>Birthday: {c.birthDate ? formatDate(c.birthDate) : "—"}</li>
            <li>
              Referral code: <span className="font-mono">{c.referralCode}</span>
            </li>
          </ul>
          <ul aria-label="Tags" className="mt-3 flex flex-wrap gap-1">
            {c.tags.length === 0 ? <li className="text-sm text-stone-500">No tags</li> : null}
            {c.tags.map((t) => (
              <li
                key={t}
                className="inline-flex items-center gap-1 rounded-full bg-stone-100 py-0.5 pr-1 pl-2 text-stone-700 text-xs"
              >
                {t}
                {canEdit ? (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="removeTag" />
                    <input type="hidden" name="tag" value={t} />
                    <button
                      type="submit"
                      aria-label={`Remove tag ${t}`}
                      className="rounded-full px-1 text-stone-500 hover:bg-stone-200 hover:text-stone-900"
                    >
                      ×
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
          {canEdit ? (
            <Form method="post" className="mt-3 flex items-start gap-2">
              <input type="hidden" name="intent" value="addTag" />
              <div className="flex-1">
                <label htmlFor="new-tag" className="sr-only">
                  New tag
                </label>
                <input
                  id="new-tag"
                  name="tag"
                  list="tag-suggestions"
                  placeholder="Add a tag"
                  autoComplete="off"
                  aria-invalid={tagError ? true : undefined}
                  className="block w-full rounded-lg border border-stone-300 px-3 py-1.5 text-sm"
                />
                {tagError ? <p className="mt-1 text-red-600 text-xs">{tagError}</p> : null}
              </div>
              <datalist id="tag-suggestions">
                {suggestions
                  .filter((t) => !c.tags.includes(t))
                  .map((t) => (
                    <option key={t} value={t} />
                  ))}
              </datalist>
              <Button variant="secondary" className="px-3 py-1.5" busy={pending("addTag")}>
                Add
              </Button>
            </Form>
          ) : null}
        </Card>
        <Card title="Booking history" className="lg:col-span-2">
          {recentBookings.length === 0 ? (
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
                {recentBookings.map((b) => (
                  <tr key={b.id}>
                    <td className="py-2">{formatDate(b.scheduledAt, { time: true })}</td>
                    <td className="py-2">{label(b.type)}</td>
                    <td className="py-2">{label(b.status)}</td>
                    <td className="py-2 text-right tabular-nums">
                      {formatMoney(b.amount, b.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Points history">
          {recentPoints.length === 0 ? (
            <EmptyState title="No points yet" />
          ) : (
            <ul className="divide-y divide-stone-100 text-sm">
              {recentPoints.map((p) => (
                <li key={p.id} className="flex items-start justify-between gap-3 py-2">
                  <span>
                    <span className="block text-stone-900">{p.note ?? label(p.reason)}</span>
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
        <Card title="Admin notes" className="lg:col-span-3">
          {canEdit ? (
            <Form method="post" className="space-y-2">
              <input type="hidden" name="intent" value="notes" />
              <label htmlFor="notes" className="sr-only">
                Admin notes
              </label>
              <textarea
                id="notes"
                name="notes"
                rows={4}
                maxLength={5000}
                defaultValue={c.notes ?? ""}
                placeholder="Allergies, preferences, things to remember at the counter…"
                className="block w-full rounded-lg border border-stone-300 px-3 py-2 text-sm"
              />
              {notesError ? <p className="text-red-600 text-sm">{notesError}</p> : null}
              <Button variant="secondary" busy={pending("notes")}>
                Save notes
              </Button>
            </Form>
          ) : (
            <p className="whitespace-pre-wrap text-sm text-stone-700">{c.notes || "No notes."}</p>
          )}
        </Card>
        {duplicates ? <PossibleDuplicates customerId={c.id} duplicates={duplicates} /> : null}
      </div>
    </>
  );
}
