import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { Button, Card, EmptyState, formatDate, formatMoney, formatNumber } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { ConsentPanel, consentToast, SET_CONSENT_INTENT } from "~/components/consent-panel";
import { AnalyticsCard } from "~/components/customer/analytics-card";
import { type ActionResult, type FormState, titleCase } from "~/components/customer/form-state";
import { ADJUST_INTENT, LoyaltyCard, VIP_INTENT } from "~/components/customer/loyalty-card";
import { PrivacyCard } from "~/components/customer/privacy-card";
import { loadPrivacyCard } from "~/components/customer/privacy-card.server";
import { PROFILE_INTENT, ProfileCard } from "~/components/customer/profile-card";
import { TierProgress } from "~/components/customer/tier-progress";
import { Timeline } from "~/components/customer/timeline";
import { VouchersCard } from "~/components/customer/vouchers-card";
import { loadVouchersCard } from "~/components/customer/vouchers-card.server";
import { MergedToast, PossibleDuplicates } from "~/components/possible-duplicates";
import { describeActionError } from "~/lib/api.server";
import { passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.customer.name ?? d?.customer.email ?? "Customer"} · Xplorium CRM` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, staff, ...session } = await requireStaff(request, context, "read:customer");
  try {
    const customerId = params.id ?? "";
    const [detail, suggestions, consent, timeline, tierHistory, vouchers, privacy, analytics] =
      await Promise.all([
        api.customers.byId({ id: customerId }),
        api.customers.tagSuggestions({ prefix: "" }),
        api.customers.consentHistory({ customerId }),
        api.customers.timeline({ customerId, limit: 20 }),
        api.loyalty.tierHistory({ customerId }),
        loadVouchersCard(api, staff.role, customerId),
        loadPrivacyCard(api, staff.role, customerId),
        api.analytics.customerAnalytics({ customerId }),
      ]);
    const can = ROLE_PERMISSIONS[staff.role];
    // Possible duplicates: only for roles that may merge them.
    const duplicates = can.has("merge:customer")
      ? await api.customers.duplicates({ customerId: detail.customer.id })
      : null;
    return data(
      {
        ...detail,
        suggestions,
        consent,
        timeline,
        tierHistory,
        vouchers,
        // Erasure is owner-level: its form asks for the password when it is not recent.
        privacy: privacy ? { ...privacy, ...passwordPrompt(session, context) } : null,
        analytics,
        duplicates,
        canEdit: can.has("write:customer"),
        canAdjust: can.has("adjust:points"),
        canVip: can.has("write:vip"),
        // One per render: a double-submitted adjustment posts once.
        adjustKey: crypto.randomUUID(),
        currency: context.env.CURRENCY,
      },
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

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function action({ request, context, params }: ActionFunctionArgs) {
  // Each intent's permission is checked by its procedure (write:customer, adjust:points, …).
  const { api, headers } = await requireStaff(request, context, "read:customer");
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
    // Marketing consent (ConsentPanel).
    if (intent === SET_CONSENT_INTENT) {
      const r = await api.customers.setConsent({
        customerId,
        channel: String(form.get("channel")) as "EMAIL" | "SMS",
        granted: form.get("granted") === "true",
      });
      return data({ ok: true as const, intent, toast: consentToast(r) }, { headers });
    }
    if (intent === PROFILE_INTENT) {
      const r = await api.customers.update({
        customerId,
        name: text(form, "name"),
        phone: text(form, "phone"),
        birthDate: text(form, "birthDate"),
        preferredContactMethod: text(form, "preferredContactMethod") as "EMAIL",
        clear: [
          ...(text(form, "phone").trim() === "" ? (["phone"] as const) : []),
          ...(text(form, "birthDate").trim() === "" ? (["birthDate"] as const) : []),
        ],
      });
      return data(
        { ok: true as const, intent, toast: r.changed ? "Profile saved." : "Nothing to change." },
        { headers },
      );
    }
    if (intent === ADJUST_INTENT) {
      const points = Number(text(form, "points"));
      const sign = form.get("direction") === "remove" ? -1 : 1;
      const r = await api.loyalty.adjustPoints({
        customerId,
        delta: Number.isFinite(points) && text(form, "points") !== "" ? sign * points : Number.NaN,
        reason: text(form, "reason"),
        idempotencyKey: text(form, "idempotencyKey") || undefined,
      });
      const toast = !r.posted
        ? "Already recorded."
        : `${sign > 0 ? "Added" : "Removed"} ${formatNumber(points)} points.${
            r.tierChange ? ` Tier is now ${titleCase(r.tierChange.to)}.` : ""
          }`;
      return data({ ok: true as const, intent, toast }, { headers });
    }
    if (intent === VIP_INTENT) {
      const vip = form.get("vip") === "true";
      const r = await api.loyalty.setVip({ customerId, vip, reason: text(form, "reason") });
      const toast = !r.changed ? "Nothing to change." : vip ? "Now VIP." : "VIP cleared.";
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
    canAdjust,
    canVip,
    adjustKey,
    consent,
    timeline,
    tierHistory,
    vouchers,
    privacy,
    analytics,
    duplicates,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const form: FormState = {
    pending: (intent) => nav.state !== "idle" && nav.formData?.get("intent") === intent,
    errorFor: (intent, field) =>
      result && !result.ok && result.intent === intent
        ? (result.fieldErrors[field]?.[0] ?? result.message)
        : null,
    fieldError: (intent, field) =>
      result && !result.ok && result.intent === intent
        ? (result.fieldErrors[field]?.[0] ?? null)
        : null,
  };
  const tagError = form.errorFor("addTag", "tag");
  const notesError = form.errorFor("notes", "notes");
  const label = titleCase;
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
        <ProfileCard
          profile={c}
          canEdit={canEdit}
          form={form}
          saved={result?.ok === true && result.intent === PROFILE_INTENT}
        />
        <LoyaltyCard
          loyalty={c}
          next={next}
          canAdjust={canAdjust}
          canVip={canVip}
          adjustKey={adjustKey}
          form={form}
        />
        <Card title="Statistics">
          <dl className="grid grid-cols-2 gap-4">
            <Stat name="Bookings" value={String(c.totalBookings)} />
            <Stat name="Total spent" value={formatMoney(c.totalSpent, currency)} />
            <Stat name="First booking" value={formatDate(c.firstBookingAt)} />
            <Stat name="Last booking" value={formatDate(c.lastBookingAt)} />
          </dl>
        </Card>
        <Card title="Tags">
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
            <Form key={c.tags.join(",")} method="post" className="mt-3 flex items-start gap-2">
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
              <Button variant="secondary" className="px-3 py-1.5" busy={form.pending("addTag")}>
                Add
              </Button>
            </Form>
          ) : null}
        </Card>
        <ConsentPanel
          consent={consent}
          canEdit={canEdit}
          error={form.errorFor(SET_CONSENT_INTENT, "channel")}
          className="lg:col-span-2"
        />
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
        <AnalyticsCard analytics={analytics} currency={currency} className="lg:col-span-3" />
        <TierProgress
          tier={c.loyaltyTier}
          lifetimePoints={c.lifetimePoints}
          history={tierHistory}
          className="lg:col-span-3"
        />
        {vouchers ? (
          <VouchersCard
            customerId={c.id}
            balance={c.loyaltyPoints}
            className="lg:col-span-3"
            {...vouchers}
          />
        ) : null}
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
              <Button variant="secondary" busy={form.pending("notes")}>
                Save notes
              </Button>
            </Form>
          ) : (
            <p className="whitespace-pre-wrap text-sm text-stone-700">{c.notes || "No notes."}</p>
          )}
        </Card>
        {duplicates ? <PossibleDuplicates customerId={c.id} duplicates={duplicates} /> : null}
        {privacy ? (
          <PrivacyCard customerId={c.id} email={c.email} className="lg:col-span-3" {...privacy} />
        ) : null}
        <Timeline customerId={c.id} first={timeline} />
      </div>
    </>
  );
}
