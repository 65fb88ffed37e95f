import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Bookings · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:booking");
  return null;
}

export default function Page() {
  return (
    <>
      <PageHeader title="Bookings" description="Café, playground, party and event bookings." />
      <EmptyState title="The bookings list is on its way.">
        Recording, approving and completing bookings arrives with the staff console.
      </EmptyState>
    </>
  );
}
