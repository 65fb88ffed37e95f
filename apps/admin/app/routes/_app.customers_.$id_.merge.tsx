import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFailure, RouterOutputs } from "@xplorium/api";
import {
  Alert,
  Button,
  Card,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  PageHeader,
  TextField,
  TierBadge,
} from "@xplorium/ui";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { DUPLICATE_REASON_LABELS } from "~/components/possible-duplicates";
import { describeActionError } from "~/lib/api.server";
import { confirmPasswordFromForm, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Merge customers · Xplorium CRM" }];

type Side = "survivor" | "merged";
type Customer = RouterOutputs["customers"]["mergePreview"]["survivor"]["customer"];

const side = z.enum(["survivor", "merged"]).optional().catch(undefined);
/** The page's state lives in the URL: which record, which way round, which values survive. */
const urlState = z.object({
  with: z.uuid().optional().catch(undefined),
  swap: z.literal("1").optional().catch(undefined),
  step: z.literal("confirm").optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  name: side,
  phone: side,
  birthDate: side,
  preferredContactMethod: side,
  notes: z.enum(["both", "survivor", "merged"]).optional().catch(undefined),
});
type Keep = Partial<Record<"name" | "phone" | "birthDate" | "preferredContactMethod", Side>> & {
  notes?: "both" | Side;
};

function keepFrom(s: z.infer<typeof urlState>): Keep {
  const keep: Keep = {};
  for (const k of ["name", "phone", "birthDate", "preferredContactMethod", "notes"] as const) {
    if (s[k]) (keep as Record<string, string>)[k] = s[k];
  }
  return keep;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, ...session } = await requireStaff(request, context, "merge:customer");
  const id = params.id ?? "";
  const state = urlState.parse(Object.fromEntries(new URL(request.url).searchParams));
  let current: RouterOutputs["customers"]["byId"]["customer"];
  try {
    current = (await api.customers.byId({ id })).customer;
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.status === 404 || failure.status === 400) {
      throw new Response("No customer with that id.", { status: 404 });
    }
    throw error;
  }
  const me = { id: current.id, email: current.email, name: current.name };

  if (!state.with || state.with === id) {
    const [suggestions, found] = await Promise.all([
      api.customers.duplicates({ customerId: id }),
      state.q ? api.customers.list({ q: state.q, limit: 10, withTotal: false }) : null,
    ]);
    return data(
      {
        step: "pick" as const,
        me,
        q: state.q ?? "",
        suggestions,
        results: found ? found.items.filter((r) => r.id !== id) : null,
      },
      { headers },
    );
  }

  const survivorId = state.swap ? state.with : id;
  const mergedId = state.swap ? id : state.with;
  try {
    const preview = await api.customers.mergePreview({
      survivorId,
      mergedId,
      keep: keepFrom(state),
    });
    return data(
      {
        step: state.step === "confirm" ? ("confirm" as const) : ("compare" as const),
        me,
        otherId: state.with,
        swapped: Boolean(state.swap),
        preview,
        currency: context.env.CURRENCY,
        // Merging is owner-level: the confirm step asks for the password when it is not recent.
        ...passwordPrompt(session, context),
      },
      { headers },
    );
  } catch (error) {
    const failure = describeActionError(error);
    return data({ step: "error" as const, me, message: failure.message }, { headers });
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "merge:customer");
  const form = await request.formData();
  const text = (k: string) => String(form.get(k) ?? "");
  const state = urlState.parse(Object.fromEntries(form));
  const survivorId = text("survivorId");
  const mergedId = text("mergedId");
  if (survivorId !== params.id && mergedId !== params.id) {
    const message = "This merge does not involve this customer.";
    return data(
      { ok: false as const, status: 400, message, fieldErrors: {} } satisfies ActionFailure,
      { status: 400, headers },
    );
  }
  try {
    const reauth = await confirmPasswordFromForm(api, form);
    if (reauth) return data(reauth, { status: reauth.status, headers });
    await api.customers.merge({ survivorId, mergedId, keep: keepFrom(state) });
  } catch (error) {
    const failure = describeActionError(error);
    return data(failure, { status: failure.status, headers });
  }
  // The customer page shows the confirmation (MergedToast) for ?merged=1.
  throw redirect(`/customers/${survivorId}?merged=1`, { headers });
}

const label = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");
const yesNo = (b: boolean) => (b ? "yes" : "no");
const who = (c: { name: string | null; email: string | null }) => c.name ?? c.email ?? "—";

export default function MergeCustomers() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <Link to={`/customers/${page.me.id}`} className="text-brand-700 text-sm hover:underline">
        ← Back to {who(page.me)}
      </Link>
      <div className="mt-3">
        <PageHeader
          title="Merge duplicate customers"
          description="One family, two records: everything moves to the record you keep, and the other email stays as an alias so later bookings find it."
        />
      </div>
      {page.step === "pick" ? (
        <PickStep {...page} />
      ) : page.step === "error" ? (
        <div className="space-y-4">
          <Alert tone="error">{page.message}</Alert>
          <Link to="?" className="text-brand-700 text-sm hover:underline">
            Choose another record
          </Link>
        </div>
      ) : page.step === "compare" ? (
        <CompareStep {...page} />
      ) : (
        <ConfirmStep {...page} />
      )}
    </>
  );
}

function PickStep({
  me,
  q,
  suggestions,
  results,
}: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { step: "pick" }>) {
  const compare = (otherId: string) => `?with=${otherId}`;
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
              <li key={d.id} className="flex items-center justify-between gap-3 py-2">
                <span className="min-w-0">
                  <span className="block truncate text-stone-900">{who(d)}</span>
                  <span className="block truncate text-stone-500 text-xs">
                    {d.email} · {d.reasons.map((r) => DUPLICATE_REASON_LABELS[r]).join(", ")}
                  </span>
                </span>
                <Link
                  to={compare(d.id)}
                  className="shrink-0 font-medium text-brand-700 hover:underline"
                >
                  Compare
                </Link>
              </li>
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
              <li key={r.id} className="flex items-center justify-between gap-3 py-2">
                <span className="min-w-0">
                  <span className="block truncate text-stone-900">{who(r)}</span>
                  <span className="block truncate text-stone-500 text-xs">
                    {r.email} · {r.phone ?? "no phone"} · {r.totalBookings} bookings
                  </span>
                </span>
                <Link
                  to={compare(r.id)}
                  className="shrink-0 font-medium text-brand-700 hover:underline"
                >
                  Compare
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-3 text-stone-500 text-xs">Merging into {me.email}.</p>
      </Card>
    </div>
  );
}

type ComparePage = Extract<
  ReturnType<typeof useLoaderData<typeof loader>>,
  { step: "compare" | "confirm" }
>;

/** One row of the side-by-side table; choosable rows carry a radio in each record's cell. */
function Row({
  name,
  field,
  survivor,
  merged,
  result,
  keep,
  onPick,
}: {
  name: string;
  field?: "name" | "phone" | "birthDate" | "preferredContactMethod" | "notes";
  survivor: ReactNode;
  merged: ReactNode;
  result: ReactNode;
  keep?: string;
  onPick?: (which: Side) => void;
}) {
  const cell = (value: ReactNode, which: Side) =>
    field ? (
      <label className="flex cursor-pointer items-start gap-2">
        <input
          type="radio"
          name={field}
          value={which}
          checked={keep === which}
          onChange={() => onPick?.(which)}
          className="mt-1"
          aria-label={`Keep ${which === "survivor" ? "the kept record's" : "the merged record's"} ${name.toLowerCase()}`}
        />
        <span className="min-w-0 break-words">{value}</span>
      </label>
    ) : (
      value
    );
  return (
    <tr className="align-top">
      <th scope="row" className="py-2 pr-3 font-medium text-stone-600">
        {name}
      </th>
      <td className="py-2 pr-3">{cell(survivor, "survivor")}</td>
      <td className="py-2 pr-3">{cell(merged, "merged")}</td>
      <td className="bg-brand-50/50 py-2 pl-3 font-medium text-stone-900">{result}</td>
    </tr>
  );
}

function CompareStep({ me, otherId, swapped, preview, currency }: ComparePage) {
  const { survivor: s, merged: m, result: r, keep } = preview;
  const money = (n: number) => formatMoney(n, currency);
  // The choices update the "after" column as they are made; the confirm step shows the server's.
  const [choice, setChoice] = useState(keep);
  const picker = (field: keyof typeof keep) => ({
    field,
    keep: choice[field],
    onPick: (which: Side) => setChoice((c) => ({ ...c, [field]: which })),
  });
  const chosen = <T,>(field: Exclude<keyof typeof keep, "notes">, of: (c: Customer) => T) =>
    of(choice[field] === "survivor" ? s.customer : m.customer);
  const notes =
    choice.notes === "both"
      ? [s.customer.notes?.trim(), m.customer.notes?.trim()]
          .filter((n, i, all): n is string => Boolean(n) && all.indexOf(n) === i)
          .join("\n\n")
      : (choice.notes === "survivor" ? s.customer : m.customer).notes;
  return (
    <Form method="get" className="space-y-4">
      <input type="hidden" name="with" value={otherId} />
      {swapped ? <input type="hidden" name="swap" value="1" /> : null}
      <input type="hidden" name="step" value="confirm" />
      <Card
        title="Side by side"
        actions={
          <Link
            to={`?with=${otherId}${swapped ? "" : "&swap=1"}`}
            className="font-medium text-brand-700 text-sm hover:underline"
          >
            Keep the other record instead
          </Link>
        }
      >
        <div className="overflow-x-auto">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead className="text-stone-500 text-xs uppercase">
              <tr>
                <th scope="col" className="w-36 py-2 pr-3">
                  <span className="sr-only">Field</span>
                </th>
                <th scope="col" className="py-2 pr-3">
                  Kept record
                  <span className="block font-normal normal-case">{s.customer.email}</span>
                </th>
                <th scope="col" className="py-2 pr-3">
                  Merged and removed
                  <span className="block font-normal normal-case">{m.customer.email}</span>
                </th>
                <th scope="col" className="bg-brand-50/50 py-2 pl-3">
                  After the merge
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              <Row
                name="Email"
                survivor={s.customer.email}
                merged={m.customer.email}
                result={
                  <>
                    {r.email}
                    <span className="block font-normal text-stone-500 text-xs">
                      aliases: {r.aliases.join(", ")}
                    </span>
                  </>
                }
              />
              <Row
                name="Name"
                {...picker("name")}
                survivor={s.customer.name ?? "—"}
                merged={m.customer.name ?? "—"}
                result={chosen("name", (c) => c.name) ?? "—"}
              />
              <Row
                name="Phone"
                {...picker("phone")}
                survivor={s.customer.phone ?? "—"}
                merged={m.customer.phone ?? "—"}
                result={chosen("phone", (c) => c.phone) ?? "—"}
              />
              <Row
                name="Birth date"
                {...picker("birthDate")}
                survivor={formatDate(s.customer.birthDate)}
                merged={formatDate(m.customer.birthDate)}
                result={formatDate(chosen("birthDate", (c) => c.birthDate))}
              />
              <Row
                name="Preferred contact"
                {...picker("preferredContactMethod")}
                survivor={label(s.customer.preferredContactMethod)}
                merged={label(m.customer.preferredContactMethod)}
                result={label(chosen("preferredContactMethod", (c) => c.preferredContactMethod))}
              />
              <Row
                name="Notes"
                {...picker("notes")}
                survivor={<span className="whitespace-pre-wrap">{s.customer.notes || "—"}</span>}
                merged={<span className="whitespace-pre-wrap">{m.customer.notes || "—"}</span>}
                result={
                  <>
                    <label className="flex cursor-pointer items-center gap-2 font-normal">
                      <input
                        type="radio"
                        name="notes"
                        value="both"
                        checked={choice.notes === "both"}
                        onChange={() => setChoice((c) => ({ ...c, notes: "both" }))}
                      />
                      Keep both
                    </label>
                    <span className="mt-1 block whitespace-pre-wrap">{notes || "—"}</span>
                  </>
                }
              />
              <Row
                name="Points"
                survivor={formatNumber(s.customer.loyaltyPoints)}
                merged={formatNumber(m.customer.loyaltyPoints)}
                result={formatNumber(r.loyaltyPoints)}
              />
              <Row
                name="Lifetime points"
                survivor={formatNumber(s.customer.lifetimePoints)}
                merged={formatNumber(m.customer.lifetimePoints)}
                result={formatNumber(r.lifetimePoints)}
              />
              <Row
                name="Tier"
                survivor={<TierBadge tier={s.customer.loyaltyTier} />}
                merged={<TierBadge tier={m.customer.loyaltyTier} />}
                result={<TierBadge tier={r.loyaltyTier} />}
              />
              <Row
                name="Bookings"
                survivor={`${s.bookings} (${s.customer.totalBookings} not cancelled)`}
                merged={`${m.bookings} (${m.customer.totalBookings} not cancelled)`}
                result={`${r.bookings} (${r.totalBookings} not cancelled)`}
              />
              <Row
                name="Total spent"
                survivor={money(s.customer.totalSpent)}
                merged={money(m.customer.totalSpent)}
                result={money(r.totalSpent)}
              />
              <Row
                name="First booking"
                survivor={formatDate(s.customer.firstBookingAt)}
                merged={formatDate(m.customer.firstBookingAt)}
                result={formatDate(r.firstBookingAt)}
              />
              <Row
                name="Last booking"
                survivor={formatDate(s.customer.lastBookingAt)}
                merged={formatDate(m.customer.lastBookingAt)}
                result={formatDate(r.lastBookingAt)}
              />
              <Row
                name="Points history"
                survivor={`${s.ledgerRows} entries`}
                merged={`${m.ledgerRows} entries`}
                result={`${r.ledgerRows} entries`}
              />
              <Row name="Vouchers" survivor={s.vouchers} merged={m.vouchers} result={r.vouchers} />
              <Row
                name="Consent events"
                survivor={s.consents}
                merged={m.consents}
                result={r.consents}
              />
              <Row
                name="Email marketing"
                survivor={yesNo(s.customer.marketingOptIn)}
                merged={yesNo(m.customer.marketingOptIn)}
                result={yesNo(r.marketingOptIn)}
              />
              <Row
                name="SMS marketing"
                survivor={yesNo(s.customer.smsOptIn)}
                merged={yesNo(m.customer.smsOptIn)}
                result={yesNo(r.smsOptIn)}
              />
              <Row
                name="Tags"
                survivor={s.customer.tags.join(", ") || "—"}
                merged={m.customer.tags.join(", ") || "—"}
                result={r.tags.join(", ") || "—"}
              />
            </tbody>
          </table>
        </div>
        <p className="mt-3 text-stone-500 text-xs">
          Opt-ins: a record that is opted in carries over, unless the newest consent event on that
          channel is a withdrawal. Both records' consent histories move to the kept one.
        </p>
      </Card>
      <div className="flex items-center gap-3">
        <Button>Review merge</Button>
        <Link to={`/customers/${me.id}/merge`} className="text-sm text-stone-600 hover:underline">
          Choose another record
        </Link>
      </div>
    </Form>
  );
}

function ConfirmStep({ otherId, swapped, preview, askPassword, confirmMinutes }: ComparePage) {
  const { survivor: s, merged: m, result: r, keep } = preview;
  const failed = useActionData<typeof action>();
  const nav = useNavigation();
  const back = new URLSearchParams({ with: otherId, ...(swapped ? { swap: "1" } : {}), ...keep });
  return (
    <Card title="Confirm the merge">
      <div className="space-y-4 text-sm">
        {failed && !asksForPassword(failed) ? <Alert tone="error">{failed.message}</Alert> : null}
        <Alert tone="info">
          <strong>{m.customer.email}</strong> will be merged into{" "}
          <strong>{s.customer.email}</strong> and removed. This cannot be undone. Its sign-in
          sessions end; its email becomes an alias of the kept customer.
        </Alert>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
          <Fact name="Moving over">
            {m.bookings} bookings, {m.ledgerRows} points entries ({formatNumber(m.ledgerSum)}{" "}
            points), {m.vouchers} vouchers, {m.consents} consent events
          </Fact>
          <Fact name="Name">{r.name ?? "—"}</Fact>
          <Fact name="Phone">{r.phone ?? "—"}</Fact>
          <Fact name="Birth date">{formatDate(r.birthDate)}</Fact>
          <Fact name="Preferred contact">{label(r.preferredContactMethod)}</Fact>
          <Fact name="Points">
            {formatNumber(r.loyaltyPoints)} (lifetime {formatNumber(r.lifetimePoints)}){" "}
            <TierBadge tier={r.loyaltyTier} />
          </Fact>
          <Fact name="Bookings">
            {r.bookings} ({r.totalBookings} not cancelled)
          </Fact>
          <Fact name="Tags">{r.tags.join(", ") || "—"}</Fact>
          <Fact name="Notes">
            <span className="whitespace-pre-wrap">{r.notes || "—"}</span>
          </Fact>
        </dl>
        <Form method="post" className="space-y-3" noValidate>
          <div className="max-w-sm">
            <ConfirmPasswordField show={askPassword} failure={failed} minutes={confirmMinutes} />
          </div>
          <input type="hidden" name="survivorId" value={s.customer.id} />
          <input type="hidden" name="mergedId" value={m.customer.id} />
          {Object.entries(keep).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <div className="flex items-center gap-3">
            <Button variant="danger" busy={nav.state === "submitting"}>
              Merge customers
            </Button>
            <Link to={`?${back}`} className="text-stone-600 hover:underline">
              Back to the comparison
            </Link>
          </div>
        </Form>
      </div>
    </Card>
  );
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-0.5 text-stone-900">{children}</dd>
    </div>
  );
}
