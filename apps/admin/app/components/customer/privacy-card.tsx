import { useFetcher } from "@remix-run/react";
import { Button, Card, formatDate, getFormProps, TextField, useZodForm } from "@xplorium/ui";
import { useState } from "react";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { useCan } from "~/lib/can";
import type { EraseFailure } from "~/routes/customers.$id.erase";
import { eraseForm } from "./customer-forms";
import type { PrivacyCardData } from "./privacy-card.server";

const TYPE = { EXPORT: "Data export", ERASURE: "Erasure" } as const;
const SOURCE = { PORTAL: "by the customer, in the portal", STAFF: "by staff" } as const;

/** Where the card posts: resource routes beside the customer page. */
export const dataExportPath = (customerId: string) => `/customers/${customerId}/data-export`;
export const erasePath = (customerId: string) => `/customers/${customerId}/erase`;

/**
 * GDPR requests a customer made in person or by letter (MANAGER/OWNER): download everything
 * held about them as one zip, or erase them (confirmed by typing their email address or
 * DELETE). Both are recorded as privacy requests, listed here with the portal's own.
 */
export function PrivacyCard({
  customerId,
  email,
  requests,
  askPassword = false,
  confirmMinutes = 10,
  className,
}: PrivacyCardData & {
  customerId: string;
  email: string | null;
  className?: string;
  /** Erasure is owner-level: ask for the password when it was not entered recently. */
  askPassword?: boolean;
  confirmMinutes?: number;
}) {
  const can = useCan();
  const canExport = can("export:personal-data");
  const canErase = can("erase:customer");
  // Success redirects to the customer list, so the only data that comes back is a refusal.
  const fetcher = useFetcher<EraseFailure>({ key: `erase-${customerId}` });
  const [confirming, setConfirming] = useState(false);
  const failure = fetcher.data ?? null;
  const [form, fields] = useZodForm(eraseForm, { result: failure });
  return (
    <Card title="Privacy requests" className={className}>
      <p className="text-sm text-stone-600">
        When a customer asks for their data or to be forgotten, run it here. Customers can also do
        both themselves in the portal.
      </p>
      <div className="mt-3 flex flex-wrap items-start gap-2">
        {canExport ? (
          // A real form post: the answer is a zip download, and an export is a recorded request.
          <form method="post" action={dataExportPath(customerId)}>
            <Button variant="secondary">Download their data (zip)</Button>
          </form>
        ) : null}
        {canErase && !confirming ? (
          <Button variant="danger" type="button" onClick={() => setConfirming(true)}>
            Erase customer…
          </Button>
        ) : null}
      </div>
      {canErase && confirming ? (
        <fetcher.Form
          method="post"
          action={erasePath(customerId)}
          role="alertdialog"
          aria-label="Erase this customer"
          className="mt-3 space-y-3 rounded-lg bg-red-50 p-3"
          {...getFormProps(form)}
        >
          <p className="text-red-900 text-sm">
            Erasure removes their name, email, phone, birth date, notes, tags and consent, clears
            the contact details on their bookings (amounts and dates stay), ends their sessions,
            scrubs them from emails and the audit log, and blocks the address from future imports
            and mail. It cannot be undone. A confirmation email goes to the address first.
          </p>
          <TextField
            label={`Type the customer's email address${email ? ` (${email})` : ""} or DELETE`}
            field={fields.confirmation}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            // A refusal for the password shows at the password field, not here.
            error={fields.confirmation.errors ?? (asksForPassword(failure) ? null : form.errors)}
          />
          <ConfirmPasswordField
            show={askPassword}
            failure={failure}
            minutes={confirmMinutes}
            field={fields.yourPassword}
          />
          <div className="flex items-center gap-3">
            <Button variant="danger" busy={fetcher.state !== "idle"}>
              Erase permanently
            </Button>
            <button
              type="button"
              className="font-medium text-sm text-stone-700 hover:underline"
              onClick={() => setConfirming(false)}
            >
              Back
            </button>
          </div>
        </fetcher.Form>
      ) : null}
      {requests.length > 0 ? (
        <ul className="mt-4 divide-y divide-stone-100 text-sm" aria-label="Privacy requests">
          {requests.map((r) => (
            <li key={r.id} className="py-2">
              <span className="text-stone-900">{TYPE[r.type]}</span>{" "}
              <span className="text-stone-500">
                {r.source === "STAFF" && r.staffName ? `by ${r.staffName}` : SOURCE[r.source]} ·{" "}
                {formatDate(r.createdAt, { time: true })} · {r.status.toLowerCase()}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-stone-500">No privacy requests yet.</p>
      )}
    </Card>
  );
}
