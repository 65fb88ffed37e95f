import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:audit");
  return null;
}

export default function Page() {
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and when." />
      <EmptyState title="The audit log viewer is on its way.">
        Every staff change is already recorded; browsing it arrives with the staff console.
      </EmptyState>
    </>
  );
}
