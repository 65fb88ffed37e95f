import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Card, getFormProps, PageHeader, SelectField, TextField, useZodForm } from "@xplorium/ui";
import { newCustomerForm } from "~/components/customer/customer-forms";
import { CONTACT_OPTIONS } from "~/components/customer/labels";
import { FormFooter } from "~/components/form-footer";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "New customer · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "write:customer");
  return null;
}

/** Creates a customer, or updates the one that email (or a merged-away alias) belongs to. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:customer");
  const submission = parseForm(await request.formData(), newCustomerForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  try {
    const r = await api.customers.upsert(submission.value);
    return redirect(`/customers/${r.customer.id}?${r.created ? "created" : "existing"}=1`, {
      headers,
    });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function NewCustomer() {
  const result = useActionData<typeof action>();
  const [form, fields] = useZodForm(newCustomerForm, {
    result,
    defaultValue: { preferredContactMethod: "EMAIL" },
  });
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
        <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
          <TextField
            label="Email"
            field={fields.email}
            type="email"
            autoComplete="off"
            className="sm:col-span-2"
          />
          <TextField label="Name" field={fields.name} />
          <TextField
            label="Phone"
            field={fields.phone}
            type="tel"
            hint="With country code for foreign numbers."
          />
          <TextField label="Birth date" field={fields.birthDate} type="date" />
          <SelectField
            label="Preferred contact"
            field={fields.preferredContactMethod}
            options={CONTACT_OPTIONS}
          />
          <p className="text-stone-500 text-xs sm:col-span-2">
            Marketing consent is not set here: the customer gives it themselves, or staff record it
            on their page and the customer confirms by email.
          </p>
          <FormFooter result={result} submit="Save customer" cancelTo="/customers" />
        </Form>
      </Card>
    </>
  );
}
