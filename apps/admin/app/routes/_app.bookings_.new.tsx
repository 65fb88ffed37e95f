import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, PageHeader, SelectField, TextField } from "@xplorium/ui";
import { titleCase } from "~/components/customer/form-state";
import { CONSENT_WORDING, formFailure, formValues } from "~/lib/api.server";
import { parseAmount, parseVenueTime } from "~/lib/form-values";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "New booking · Xplorium CRM" }];

const TYPES = ["CAFE", "PLAYGROUND", "PARTY", "EVENT"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "write:booking");
  return {
    currency: context.env.CURRENCY,
    timeZone: context.env.TIME_ZONE,
    consentWording: CONSENT_WORDING.EMAIL.text,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:booking");
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  const fieldErrors: Record<string, string[]> = {};
  const amount = parseAmount(text("amount"));
  if (amount === null) fieldErrors.amount = ["Enter an amount like 25.50."];
  const scheduledAt = parseVenueTime(text("scheduledAt"), context.env.TIME_ZONE);
  if (!scheduledAt) fieldErrors.scheduledAt = ["Enter the date and time of the visit."];
  const values = formValues(form);
  if (Object.keys(fieldErrors).length > 0) {
    return data(
      { message: "Please check the highlighted fields.", fieldErrors, values },
      { status: 400, headers },
    );
  }
  try {
    const r = await api.bookings.create({
      email: text("email"),
      name: text("name"),
      phone: text("phone"),
      type: text("type") as (typeof TYPES)[number],
      scheduledAt: scheduledAt!,
      guests: Number(text("guests")),
      amount: amount!,
      notes: text("notes"),
      marketingConsent: form.get("marketingConsent") === "on",
      referralCode: text("referralCode"),
    });
    const who = r.customerCreated ? "a new customer" : "the existing customer";
    // The answer carries ids and status only; the address is the one just typed, normalised
    // as validation does (trimmed, lower case).
    const email = text("email").trim().toLowerCase();
    const message = `Booking recorded for ${who} (${email}).`;
    return redirect(`/bookings?created=${encodeURIComponent(message)}`, { headers });
  } catch (error) {
    return formFailure(error, values, headers);
  }
}

export default function NewBooking() {
  const { currency, timeZone, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const v = result?.values ?? {};
  const err = (name: string) => result?.fieldErrors[name]?.[0] ?? null;
  return (
    <>
      <Link to="/bookings" className="text-brand-700 text-sm hover:underline">
        ← Back to bookings
      </Link>
      <div className="mt-3">
        <PageHeader
          title="New booking"
          description="A walk-in or phone booking. The customer is found by email, or created."
        />
      </div>
      <Card className="max-w-3xl">
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <TextField
            label="Email"
            name="email"
            type="email"
            required
            autoComplete="off"
            defaultValue={v.email ?? ""}
            error={err("email")}
          />
          <TextField label="Name" name="name" defaultValue={v.name ?? ""} error={err("name")} />
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            defaultValue={v.phone ?? ""}
            hint="With country code for foreign numbers."
            error={err("phone")}
          />
          <SelectField
            label="Type"
            name="type"
            defaultValue={v.type ?? "PLAYGROUND"}
            options={TYPES.map((t) => ({ value: t, label: titleCase(t) }))}
            error={err("type")}
          />
          <TextField
            label="Date and time"
            name="scheduledAt"
            type="datetime-local"
            required
            defaultValue={v.scheduledAt ?? ""}
            hint={`Venue time (${timeZone}).`}
            error={err("scheduledAt")}
          />
          <TextField
            label="Guests"
            name="guests"
            type="number"
            min={1}
            max={500}
            required
            defaultValue={v.guests ?? "2"}
            error={err("guests")}
          />
          <TextField
            label={`Amount (${currency})`}
            name="amount"
            inputMode="decimal"
            placeholder="0.00"
            defaultValue={v.amount ?? ""}
            error={err("amount")}
          />
          <TextField
            label="Referral code"
            name="referralCode"
            defaultValue={v.referralCode ?? ""}
            hint="Optional: a friend's code, for new customers."
            error={err("referralCode")}
          />
          <TextField
            label="Notes"
            name="notes"
            className="sm:col-span-2"
            defaultValue={v.notes ?? ""}
            error={err("notes")}
          />
          <div className="sm:col-span-2">
            <label className="flex items-start gap-2 text-sm text-stone-800">
              <input
                type="checkbox"
                name="marketingConsent"
                defaultChecked={v.marketingConsent === "on"}
                className="mt-0.5 h-4 w-4 rounded border-stone-300"
              />
              <span>
                The customer agrees: “{consentWording}”
                <span className="block text-stone-500 text-xs">
                  Only tick this if they said yes. They get an email to confirm before any marketing
                  is sent.
                </span>
              </span>
            </label>
          </div>
          {result?.message ? (
            <p role="alert" className="text-red-600 text-sm sm:col-span-2">
              {result.message}
            </p>
          ) : null}
          <div className="flex gap-2 sm:col-span-2">
            <Button busy={nav.state === "submitting"}>Record booking</Button>
            <Link
              to="/bookings"
              className="rounded-lg px-4 py-2 font-semibold text-sm text-stone-700 hover:bg-stone-100"
            >
              Cancel
            </Link>
          </div>
        </Form>
      </Card>
    </>
  );
}
