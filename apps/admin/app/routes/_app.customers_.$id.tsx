import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { roleHasPermission } from "@xplorium/auth/permissions";
import { failedResult, formatNumber, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { ConsentPanel, consentToast } from "~/components/consent-panel";
import { AnalyticsCard } from "~/components/customer/analytics-card";
import { customerPageForms } from "~/components/customer/customer-forms";
import {
  BookingHistoryCard,
  PointsHistoryCard,
  StatisticsCard,
} from "~/components/customer/history-cards";
import { titleCase } from "~/components/customer/labels";
import { LoyaltyCard } from "~/components/customer/loyalty-card";
import { NotesCard } from "~/components/customer/notes-card";
import { PrivacyCard } from "~/components/customer/privacy-card";
import { loadPrivacyCard } from "~/components/customer/privacy-card.server";
import { ProfileCard } from "~/components/customer/profile-card";
import { TagsCard } from "~/components/customer/tags-card";
import { TierProgress } from "~/components/customer/tier-progress";
import { Timeline } from "~/components/customer/timeline";
import { VouchersCard } from "~/components/customer/vouchers-card";
import { loadVouchersCard } from "~/components/customer/vouchers-card.server";
import { MergedToast, PossibleDuplicates } from "~/components/possible-duplicates";
import { describeActionError } from "~/lib/api.server";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
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
    // Possible duplicates: only for roles that may merge them.
    const duplicates = roleHasPermission(staff.role, "merge:customer")
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

export async function action({ request, context, params }: ActionFunctionArgs) {
  // Each intent's permission is checked by its procedure (write:customer, adjust:points, …).
  const { api, headers } = await requireStaff(request, context, "read:customer");
  const submission = parseForm(await request.formData(), customerPageForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const customerId = params.id ?? "";
  const input = submission.value;
  const done = (toast: string) => formResult(submission, { headers, toast });
  try {
    switch (input.intent) {
      case "addTag": {
        const r = await api.customers.addTag({ customerId, tag: input.tag });
        return done(r.changed ? "Tag added." : "Nothing to change.");
      }
      case "removeTag": {
        const r = await api.customers.removeTag({ customerId, tag: input.tag });
        return done(r.changed ? "Tag removed." : "Nothing to change.");
      }
      case "setConsent": {
        const { channel, granted } = input;
        return done(consentToast(await api.customers.setConsent({ customerId, channel, granted })));
      }
      case "profile": {
        const { intent: _, ...profile } = input;
        const r = await api.customers.update({
          customerId,
          ...profile,
          // A blank phone or birth date removes it; a blank name or contact leaves it as is.
          clear: [
            ...(profile.phone?.trim() ? [] : (["phone"] as const)),
            ...(profile.birthDate?.trim() ? [] : (["birthDate"] as const)),
          ],
        });
        return done(r.changed ? "Profile saved." : "Nothing to change.");
      }
      case "adjustPoints": {
        const sign = input.direction === "remove" ? -1 : 1;
        const r = await api.loyalty.adjustPoints({
          customerId,
          delta: sign * input.points,
          reason: input.reason,
          idempotencyKey: input.idempotencyKey || undefined,
        });
        if (!r.posted) return done("Already recorded.");
        const tier = r.tierChange ? ` Tier is now ${titleCase(r.tierChange.to)}.` : "";
        return done(
          `${sign > 0 ? "Added" : "Removed"} ${formatNumber(input.points)} points.${tier}`,
        );
      }
      case "setVip": {
        const { vip, reason = "" } = input;
        const r = await api.loyalty.setVip({ customerId, vip, reason });
        return done(!r.changed ? "Nothing to change." : vip ? "Now VIP." : "VIP cleared.");
      }
      case "notes":
        await api.customers.setNotes({ customerId, notes: input.notes ?? "" });
        return done("Notes saved.");
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function CustomerDetail() {
  const {
    customer: c,
    next,
    recentBookings,
    recentPoints,
    currency,
    suggestions,
    adjustKey,
    consent,
    timeline,
    tierHistory,
    vouchers,
    privacy,
    analytics,
    duplicates,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const can = useCan();
  const toast = useResultToast(result);
  const consentFailure = failedResult(result, "setConsent");
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
          {c.email} · {c.phone ?? "no phone"} · prefers {titleCase(c.preferredContactMethod)}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <ProfileCard profile={c} result={result} />
        <LoyaltyCard loyalty={c} next={next} adjustKey={adjustKey} result={result} />
        <StatisticsCard customer={c} currency={currency} />
        <TagsCard tags={c.tags} suggestions={suggestions} result={result} />
        <ConsentPanel
          consent={consent}
          canEdit={can("write:customer")}
          error={consentFailure?.reply.error?.channel?.[0] ?? consentFailure?.message}
          className="lg:col-span-2"
        />
        <BookingHistoryCard bookings={recentBookings} className="lg:col-span-2" />
        <PointsHistoryCard points={recentPoints} />
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
        <NotesCard notes={c.notes} result={result} className="lg:col-span-3" />
        {duplicates ? <PossibleDuplicates customerId={c.id} duplicates={duplicates} /> : null}
        {privacy ? (
          <PrivacyCard customerId={c.id} email={c.email} className="lg:col-span-3" {...privacy} />
        ) : null}
        <Timeline customerId={c.id} first={timeline} />
      </div>
    </>
  );
}
