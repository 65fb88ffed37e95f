import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Card, EmptyState, failedResult, PageHeader, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { LoyaltyNav } from "~/components/loyalty/loyalty-nav";
import { RewardForm } from "~/components/loyalty/reward-form";
import { rewardForms } from "~/components/loyalty/reward-forms";
import { RewardsTable } from "~/components/loyalty/rewards-table";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Rewards · Loyalty · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:customer");
  return data({ rewards: await api.rewards.list() }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:reward");
  const submission = parseForm(await request.formData(), rewardForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  try {
    switch (input.intent) {
      case "create":
      case "update": {
        const { intent: _, stock, ...fields } = input;
        const reward = { ...fields, stock: stock ?? null };
        if (input.intent === "create") {
          const created = await api.rewards.create(reward);
          const toast = `“${created.name}” added to the catalogue.`;
          return formResult(submission, { headers, toast, resetForm: true });
        }
        const r = await api.rewards.update({ ...reward, id: input.id });
        const toast = r.changed ? `“${r.reward.name}” saved.` : "Nothing to change.";
        return formResult(submission, { headers, toast, resetForm: true });
      }
      case "activate":
      case "deactivate": {
        const r = await api.rewards.update({ id: input.id, active: input.intent === "activate" });
        const toast = !r.changed
          ? "Nothing to change."
          : input.intent === "activate"
            ? `“${r.reward.name}” is offered again.`
            : `“${r.reward.name}” is no longer offered. Vouchers already issued still work.`;
        return formResult(submission, { headers, toast });
      }
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function RewardsPage() {
  const { rewards } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const canEdit = useCan()("write:reward");
  const [params] = useSearchParams();
  const toast = useResultToast(result);
  // The reward being edited: from ?edit=, or the one whose save just failed.
  const failedId = failedResult(result, "update")?.reply.initialValue?.id;
  const editId = params.get("edit") ?? (typeof failedId === "string" ? failedId : null);
  const editing = canEdit && editId ? rewards.find((r) => r.id === editId) : undefined;
  return (
    <>
      <PageHeader
        title="Rewards"
        description="The rewards customers can spend their points on. Retire a reward by deactivating it; vouchers already issued stay valid."
      />
      <LoyaltyNav />
      <Toast message={toast} />
      <div className="grid gap-6 xl:grid-cols-[1fr_24rem]">
        <Card title={`Rewards (${rewards.length})`}>
          {rewards.length === 0 ? (
            <EmptyState title="No rewards yet">Add the first one with the form.</EmptyState>
          ) : (
            <RewardsTable rewards={rewards} canEdit={canEdit} />
          )}
        </Card>
        {canEdit ? (
          <Card title={editing ? `Edit “${editing.name}”` : "Add a reward"}>
            <RewardForm
              // A fresh form per reward, and after each successful save.
              key={`${editing?.id ?? "new"}:${result?.ok ? result.at : ""}`}
              reward={editing}
              result={result}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
