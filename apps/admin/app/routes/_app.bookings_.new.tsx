import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BOOKING_TYPES } from "@xplorium/domain";
import {
  Card,
  CheckboxField,
  getFormProps,
  PageHeader,
  SelectField,
  TextField,
  useZodForm,
} from "@xplorium/ui";
import { newBookingForm } from "~/components/bookings/booking-forms";
import { enumOptions } from "~/components/customer/labels";
import { FormFooter } from "~/components/form-footer";
import { CONSENT_WORDING } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { parseAmount, parseVenueTime } from "~/lib/form-values";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "New booking · Xplorium CRM" }];

const TYPE_OPTIONS = enumOptions(BOOKING_TYPES);

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
  const submission = parseForm(await request.formData(), newBookingForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { amount, scheduledAt, marketingConsent, ...input } = submission.value;
  // The schema checked both shapes; the venue's time zone is known here only.
  const at = parseVenueTime(scheduledAt, context.env.TIME_ZONE);
  if (!at) {
    const refuse = {
      message: "Please check the highlighted fields.",
      fieldErrors: { scheduledAt: ["Enter the date and time of the visit."] },
    };
    return formResult(submission, { headers, refuse });
  }
  try {
    const r = await api.bookings.create({
      ...input,
      scheduledAt: at,
      amount: parseAmount(amount ?? "") ?? 0,
      marketingConsent: marketingConsent === true,
    });
    const who = r.customerCreated ? "a new customer" : "the existing customer";
    // The answer carries ids and status only; the address is the one just typed, normalised
    // as validation does (trimmed, lower case).
    const message = `Booking recorded for ${who} (${input.email.trim().toLowerCase()}).`;
    return redirect(`/bookings?created=${encodeURIComponent(message)}`, { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function NewBooking() {
  const { currency, timeZone, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useZodForm(newBookingForm, {
    result,
    defaultValue: { type: "PLAYGROUND", guests: "2" },
  });
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
        <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
          <TextField label="Email" field={fields.email} type="email" autoComplete="off" />
          <TextField label="Name" field={fields.name} />
          <TextField
            label="Phone"
            field={fields.phone}
            type="tel"
            hint="With country code for foreign numbers."
          />
          <SelectField label="Type" field={fields.type} options={TYPE_OPTIONS} />
          <TextField
            label="Date and time"
            field={fields.scheduledAt}
            type="datetime-local"
            hint={`Venue time (${timeZone}).`}
          />
          <TextField label="Guests" field={fields.guests} type="number" />
          <TextField
            label={`Amount (${currency})`}
            field={fields.amount}
            inputMode="decimal"
            placeholder="0.00"
          />
          <TextField
            label="Referral code"
            field={fields.referralCode}
            hint="Optional: a friend's code, for new customers."
          />
          <TextField label="Notes" field={fields.notes} className="sm:col-span-2" />
          <CheckboxField
            label={`The customer agrees: “${consentWording}”`}
            field={fields.marketingConsent}
            hint="Only tick this if they said yes. They get an email to confirm before any marketing is sent."
            className="sm:col-span-2"
          />
          <FormFooter result={result} submit="Record booking" cancelTo="/bookings" />
        </Form>
      </Card>
    </>
  );
}
