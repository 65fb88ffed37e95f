import { Form, Link } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  formatDate,
  formatNumber,
  getFormProps,
  TierBadge,
  useZodForm,
} from "@xplorium/ui";
import type { ReactNode } from "react";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { mergeForm } from "./customer-forms";
import { titleCase as label } from "./labels";
import type { ComparePage } from "./merge-page";

/** The merge's last step: what will happen, the password when it is not recent, and the button. */
export function ConfirmStep({
  otherId,
  swapped,
  preview,
  askPassword,
  confirmMinutes,
  result,
  busy,
}: ComparePage & {
  result: (FormResultLike & { reason?: string }) | undefined;
  busy: boolean;
}) {
  const { survivor: s, merged: m, result: r, keep } = preview;
  const failed = result && !result.ok ? result : undefined;
  const [form, fields] = useZodForm(mergeForm, { result });
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
        <Form method="post" className="space-y-3" {...getFormProps(form)}>
          <div className="max-w-sm">
            <ConfirmPasswordField
              show={askPassword}
              failure={failed}
              minutes={confirmMinutes}
              field={fields.yourPassword}
            />
          </div>
          <input type="hidden" name="survivorId" value={s.customer.id} />
          <input type="hidden" name="mergedId" value={m.customer.id} />
          {Object.entries(keep).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <div className="flex items-center gap-3">
            <Button variant="danger" busy={busy}>
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
