import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Customers · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:customer");
  return null;
}

export default function Page() {
  return (
    <>
      <PageHeader title="Customers" description="Every family that has booked with us." />
      <EmptyState title="The customer list is on its way.">
        Search, filters, customer profiles and CSV export arrive with the staff console.
      </EmptyState>
    </>
  );
}
