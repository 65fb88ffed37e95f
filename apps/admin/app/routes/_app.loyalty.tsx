import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, PageHeader } from "@xplorium/ui";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Loyalty · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, "read:voucher");
  return null;
}

export default function Page() {
  return (
    <>
      <PageHeader title="Loyalty" description="Rewards, vouchers and points." />
      <EmptyState title="The loyalty tools are on their way.">
        The rewards catalogue and voucher lookup arrive with the loyalty engine.
      </EmptyState>
    </>
  );
}
