import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Button, Card, PageHeader, SelectField, TextField } from "@xplorium/ui";
import { titleCase } from "~/components/customer/form-state";
import { formFailure, formValues } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "New customer · Xplorium CRM" }];

const CONTACT = ["EMAIL", "PHONE", "SMS", "ANY"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "write:customer");
  return null;
}

/** Creates a customer, or updates the one that email (or a merged-away alias) belongs to. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:customer");
  const form = await request.formData();
  const values = formValues(form);
  try {
    const r = await api.customers.upsert({
      email: values.email ?? "",
      name: values.name,
      phone: values.phone,
      birthDate: values.birthDate,
      preferredContactMethod: (values.preferredContactMethod || undefined) as "EMAIL" | undefined,
    });
    return redirect(`/customers/${r.customer.id}?${r.created ? "created" : "existing"}=1`, {
      headers,
    });
  } catch (error) {
    return formFailure(error, values, headers);
  }
}

export default function NewCustomer() {
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const v = result?.values ?? {};
  const err = (name: string) => result?.fieldErrors[name]?.[0] ?? null;
  return (
    <>
      <Link to="/customers" className="text-brand-700 text-sm hover:underline">
        ← Back to customers
      </Link>
      <div className="mt-3">
        <PageHeader
          title="New customer"
          description="If the email is already known, that customer is updated instead."
        />
      </div>
      <Card className="max-w-2xl">
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <TextField
            label="Email"
            name="email"
            type="email"
            required
            autoComplete="off"
            defaultValue={v.email ?? ""}
            error={err("email")}
            className="sm:col-span-2"
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
          <TextField
            label="Birth date"
            name="birthDate"
            type="date"
            defaultValue={v.birthDate ?? ""}
            error={err("birthDate")}
          />
          <SelectField
            label="Preferred contact"
            name="preferredContactMethod"
            defaultValue={v.preferredContactMethod ?? "EMAIL"}
            options={CONTACT.map((c) => ({ value: c, label: titleCase(c) }))}
            error={err("preferredContactMethod")}
          />
          <p className="text-stone-500 text-xs sm:col-span-2">
            Marketing consent is not set here: the customer gives it themselves, or staff record it
            on their page and the customer confirms by email.
          </p>
          {result?.message ? (
            <p role="alert" className="text-red-600 text-sm sm:col-span-2">
              {result.message}
            </p>
          ) : null}
          <div className="flex gap-2 sm:col-span-2">
            <Button busy={nav.state === "submitting"}>Save customer</Button>
            <Link
              to="/customers"
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
