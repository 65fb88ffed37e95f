import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "read:dashboard");
  return { name: staff.name };
}

export default function Dashboard() {
  const { name } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Hello, ${name.split(" ")[0]}`}
        description="The customer dashboard: active customers, retention, lifetime value and tiers."
      />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <Card title="Look a family up">
          <p className="text-sm text-stone-600">Search customers by name, email or phone.</p>
          <Link
            to="/customers"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open customers →
          </Link>
        </Card>
        <Card title="Record a booking">
          <p className="text-sm text-stone-600">
            Walk-ins and phone bookings, with points on completion.
          </p>
          <Link
            to="/bookings"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open bookings →
          </Link>
        </Card>
        <Card title="Check a voucher">
          <p className="text-sm text-stone-600">Look a reward voucher up and mark it used.</p>
          <Link
            to="/loyalty"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Open loyalty →
          </Link>
        </Card>
      </div>
    </>
  );
}
