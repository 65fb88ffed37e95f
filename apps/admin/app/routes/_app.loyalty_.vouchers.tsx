import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, EmptyState, formatNumber, PageHeader, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { LoyaltyNav } from "~/components/loyalty/loyalty-nav";
import { RecentVouchers } from "~/components/loyalty/recent-vouchers";
import { voucherForms } from "~/components/loyalty/voucher-forms";
import { type Voucher, VoucherResult } from "~/components/loyalty/voucher-result";
import { describeActionError } from "~/lib/api.server";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Vouchers · Loyalty · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:voucher");
  const url = new URL(request.url);
  const code = (url.searchParams.get("code") ?? "").slice(0, 64);
  const asked = url.searchParams.get("confirm");
  const confirm: "use" | "cancel" | null = asked === "use" || asked === "cancel" ? asked : null;
  let found: Voucher | null = null;
  let lookupError: string | null = null;
  if (code.trim() !== "") {
    try {
      found = await api.vouchers.lookup({ code });
    } catch (error) {
      lookupError = describeActionError(error).message;
    }
  }
  const recent = await api.vouchers.recent({ limit: 20 });
  return data(
    {
      code,
      found,
      lookupError,
      // Only an unused voucher has anything to confirm.
      confirm: found?.state === "ISSUED" ? confirm : null,
      recent,
    },
    { headers },
  );
}

/** Mark used, cancel and refund, redeem (the customer page's vouchers card posts here too). */
export async function action({ request, context }: ActionFunctionArgs) {
  // Each intent's permission is checked by its procedure (redeem:voucher).
  const { api, headers } = await requireStaff(request, context, "read:voucher");
  const submission = parseForm(await request.formData(), voucherForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  try {
    switch (input.intent) {
      case "markUsed": {
        const v = await api.vouchers.markUsed({ voucherId: input.voucherId });
        const who = v.customer.name ?? v.customer.email ?? "the customer";
        const toast = `${v.code} used: ${v.reward.name} for ${who}.`;
        return formResult(submission, { headers, toast });
      }
      case "cancel": {
        const { voucherId, reason } = input;
        const r = await api.vouchers.cancel({ voucherId, ...(reason ? { reason } : {}) });
        const toast = `${r.voucher.code} cancelled; ${formatNumber(r.refunded)} points refunded.`;
        return formResult(submission, { headers, toast });
      }
      case "redeem": {
        const { customerId, rewardId, idempotencyKey } = input;
        const r = await api.rewards.redeem({ customerId, rewardId, idempotencyKey });
        const toast = `${r.replayed ? "Already issued" : "Issued"} ${r.voucher.code}: ${r.voucher.reward.name}. ${formatNumber(r.balance)} points left.`;
        return formResult(submission, { headers, toast });
      }
    }
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function VouchersPage() {
  const { code, found, lookupError, confirm, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const canRedeem = useCan()("redeem:voucher");
  const toast = useResultToast(result);
  const nav = useNavigation();
  const looking = nav.state !== "idle" && nav.formMethod === "GET";
  return (
    <>
      <PageHeader
        title="Vouchers"
        description="Look a voucher up at the counter, hand the reward over and mark it used."
      />
      <LoyaltyNav />
      <Toast message={toast} />
      <Card>
        <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1">
            <label htmlFor="voucher-code" className="block font-medium text-sm text-stone-700">
              Voucher code
            </label>
            <input
              id="voucher-code"
              name="code"
              defaultValue={code}
              key={code}
              placeholder="XP-7KQM-3WHT"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={64}
              aria-invalid={lookupError ? true : undefined}
              aria-describedby="voucher-code-help"
              className="mt-1 block w-full rounded-xl border border-stone-300 bg-white px-4 py-3 font-mono text-2xl uppercase tracking-widest shadow-sm placeholder:text-stone-300 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200 aria-[invalid=true]:border-red-500"
            />
          </div>
          <Button className="px-6 py-3 text-base" busy={looking}>
            Look up
          </Button>
          <p
            id="voucher-code-help"
            className={
              lookupError ? "w-full text-red-600 text-sm" : "w-full text-stone-500 text-xs"
            }
          >
            {lookupError ?? "Type or paste it: case, spaces and dashes do not matter."}
          </p>
        </Form>
      </Card>

      {found ? (
        <VoucherResult v={found} confirm={confirm} canRedeem={canRedeem} result={result} />
      ) : null}

      <Card title="Recent vouchers" className="mt-6">
        {recent.length === 0 ? (
          <EmptyState title="No vouchers yet">
            Vouchers appear here when customers redeem rewards.
          </EmptyState>
        ) : (
          <RecentVouchers vouchers={recent} />
        )}
      </Card>
    </>
  );
}
