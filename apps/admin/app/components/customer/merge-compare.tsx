import { Form, Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Button, Card, formatDate, formatMoney, formatNumber, TierBadge } from "@xplorium/ui";
import { type ReactNode, useState } from "react";
import { titleCase as label } from "./labels";
import { type ComparePage, type Side, yesNo } from "./merge-page";

type Customer = RouterOutputs["customers"]["mergePreview"]["survivor"]["customer"];

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

type Preview = ComparePage["preview"];
/** Dates a record may not have yet (no bookings); the merge's result may. */
type Figures = Omit<Counts, "firstBookingAt" | "lastBookingAt"> & {
  firstBookingAt: Customer["firstBookingAt"];
  lastBookingAt: Customer["lastBookingAt"];
};
type Counts = Pick<
  Preview["result"],
  | "loyaltyPoints"
  | "lifetimePoints"
  | "loyaltyTier"
  | "bookings"
  | "totalBookings"
  | "totalSpent"
  | "firstBookingAt"
  | "lastBookingAt"
  | "ledgerRows"
  | "vouchers"
  | "consents"
  | "marketingOptIn"
  | "smsOptIn"
  | "tags"
>;

/** One record's counts in the shape of the merge's result, to show them side by side. */
const figures = (x: Preview["survivor"]): Figures => ({
  ...x.customer,
  bookings: x.bookings,
  ledgerRows: x.ledgerRows,
  vouchers: x.vouchers,
  consents: x.consents,
});

/** The rows that are added up or carried over rather than chosen. */
const FIGURES: [string, (f: Figures, currency: string) => ReactNode][] = [
  ["Points", (f) => formatNumber(f.loyaltyPoints)],
  ["Lifetime points", (f) => formatNumber(f.lifetimePoints)],
  ["Tier", (f) => <TierBadge tier={f.loyaltyTier} />],
  ["Bookings", (f) => `${f.bookings} (${f.totalBookings} not cancelled)`],
  ["Total spent", (f, currency) => formatMoney(f.totalSpent, currency)],
  ["First booking", (f) => formatDate(f.firstBookingAt)],
  ["Last booking", (f) => formatDate(f.lastBookingAt)],
  ["Points history", (f) => `${f.ledgerRows} entries`],
  ["Vouchers", (f) => f.vouchers],
  ["Consent events", (f) => f.consents],
  ["Email marketing", (f) => yesNo(f.marketingOptIn)],
  ["SMS marketing", (f) => yesNo(f.smsOptIn)],
  ["Tags", (f) => f.tags.join(", ") || "—"],
];

/**
 * The merge's second step: both records side by side with what the merge leaves, and a choice
 * per field of whose value to keep (the choices travel in the URL to the confirm step).
 */
export function CompareStep({ me, otherId, swapped, preview, currency }: ComparePage) {
  const { survivor: s, merged: m, result: r, keep } = preview;
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
              {FIGURES.map(([name, show]) => (
                <Row
                  key={name}
                  name={name}
                  survivor={show(figures(s), currency)}
                  merged={show(figures(m), currency)}
                  result={show(r, currency)}
                />
              ))}
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
