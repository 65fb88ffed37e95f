import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  Alert,
  Button,
  Card,
  EmptyState,
  formatDate,
  formatNumber,
  PageHeader,
  TierBadge,
  VoucherStateBadge,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import type { ReactNode } from "react";
import { LoyaltyNav } from "~/components/loyalty/loyalty-nav";
import { VOUCHER_INTENTS } from "~/components/loyalty/voucher-intents";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Vouchers · Loyalty · Xplorium CRM" }];

type Voucher = RouterOutputs["vouchers"]["lookup"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:voucher");
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
      canRedeem: ROLE_PERMISSIONS[staff.role].has("redeem:voucher"),
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Each intent's permission is checked by its procedure (redeem:voucher).
  const { api, headers } = await requireStaff(request, context, "read:voucher");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const text = (k: string) => String(form.get(k) ?? "");
  try {
    if (intent === VOUCHER_INTENTS.markUsed) {
      const v = await api.vouchers.markUsed({ voucherId: text("voucherId") });
      return data(
        {
          ok: true as const,
          intent,
          at: Date.now(),
          toast: `${v.code} used: ${v.reward.name} for ${v.customer.name ?? v.customer.email ?? "the customer"}.`,
        },
        { headers },
      );
    }
    if (intent === VOUCHER_INTENTS.cancel) {
      const reason = text("reason").trim();
      const r = await api.vouchers.cancel({
        voucherId: text("voucherId"),
        ...(reason ? { reason } : {}),
      });
      return data(
        {
          ok: true as const,
          intent,
          at: Date.now(),
          toast: `${r.voucher.code} cancelled; ${formatNumber(r.refunded)} points refunded.`,
        },
        { headers },
      );
    }
    if (intent === VOUCHER_INTENTS.redeem) {
      const r = await api.rewards.redeem({
        customerId: text("customerId"),
        rewardId: text("rewardId"),
        idempotencyKey: text("idempotencyKey") || undefined,
      });
      return data(
        {
          ok: true as const,
          intent,
          at: Date.now(),
          toast: `${r.replayed ? "Already issued" : "Issued"} ${r.voucher.code}: ${r.voucher.reward.name}. ${formatNumber(r.balance)} points left.`,
        },
        { headers },
      );
    }
    return data(
      {
        ok: false as const,
        intent,
        message: "Unknown action.",
        fieldErrors: {} as Record<string, string[] | undefined>,
      },
      { status: 400, headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, intent, message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

const lookupHref = (code: string, extra = "") => `?code=${encodeURIComponent(code)}${extra}`;

function Detail({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-1 text-stone-900">{children}</dd>
    </div>
  );
}

function VoucherResult({
  v,
  confirm,
  canRedeem,
  busy,
  error,
}: {
  v: Voucher;
  confirm: "use" | "cancel" | null;
  canRedeem: boolean;
  busy: string | null;
  error: string | null;
}) {
  const back = lookupHref(v.code);
  return (
    <Card className="mt-4" title={<span className="sr-only">Voucher {v.code}</span>}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p
          className="font-bold font-mono text-3xl text-stone-900 tracking-wider"
          data-testid="voucher-code"
        >
          {v.code}
        </p>
        <VoucherStateBadge state={v.state} size="lg" />
      </div>
      <dl className="mt-5 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Detail name="Customer">
          <Link
            to={`/customers/${v.customer.id}`}
            className="font-medium text-brand-700 hover:underline"
          >
            {v.customer.name ?? v.customer.email ?? "Erased customer"}
          </Link>
          {v.customer.email && v.customer.name ? (
            <span className="block text-stone-500 text-xs">{v.customer.email}</span>
          ) : null}
          <span className="mt-1 block">
            <TierBadge tier={v.customer.tier} />
          </span>
        </Detail>
        <Detail name="Reward">
          <span className="font-medium">{v.reward.name}</span>
          {v.reward.description ? (
            <span className="block text-stone-500 text-xs">{v.reward.description}</span>
          ) : null}
          <span className="block text-stone-500 text-xs">
            {formatNumber(v.pointsSpent)} points spent
          </span>
        </Detail>
        <Detail name="Issued">{formatDate(v.issuedAt, { time: true })}</Detail>
        <Detail name={v.state === "EXPIRED" ? "Expired" : "Expires"}>
          <span className={v.state === "EXPIRED" ? "font-medium text-amber-800" : undefined}>
            {formatDate(v.expiresAt, { time: true })}
          </span>
        </Detail>
        {v.usedAt ? (
          <Detail name="Used">
            {formatDate(v.usedAt, { time: true })}
            {v.usedByStaffName ? (
              <span className="block text-stone-500 text-xs">by {v.usedByStaffName}</span>
            ) : null}
          </Detail>
        ) : null}
        {v.cancelledAt ? (
          <Detail name="Cancelled">{formatDate(v.cancelledAt, { time: true })}</Detail>
        ) : null}
      </dl>

      {error ? (
        <div className="mt-4">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}

      {v.state === "EXPIRED" ? (
        <p className="mt-4 text-sm text-stone-600">
          Expired vouchers are not refunded. To make good, add points on the customer’s page.
        </p>
      ) : null}

      {canRedeem && v.state === "ISSUED" ? (
        confirm === "use" ? (
          <section
            role="alertdialog"
            aria-labelledby="confirm-use"
            className="mt-5 rounded-xl border border-brand-200 bg-brand-50 p-4"
          >
            <h2 id="confirm-use" className="font-semibold text-brand-900">
              Hand over “{v.reward.name}” and mark {v.code} used?
            </h2>
            <p className="mt-1 text-brand-900 text-sm">A voucher can be used once.</p>
            <Form method="post" action={back} className="mt-3 flex items-center gap-3">
              <input type="hidden" name="intent" value={VOUCHER_INTENTS.markUsed} />
              <input type="hidden" name="voucherId" value={v.id} />
              <Button busy={busy === VOUCHER_INTENTS.markUsed}>Yes, mark used</Button>
              <Link
                to={back}
                preventScrollReset
                className="font-medium text-sm text-stone-700 hover:underline"
              >
                Back
              </Link>
            </Form>
          </section>
        ) : confirm === "cancel" ? (
          <section
            role="alertdialog"
            aria-labelledby="confirm-cancel"
            className="mt-5 rounded-xl border border-red-200 bg-red-50 p-4"
          >
            <h2 id="confirm-cancel" className="font-semibold text-red-900">
              Cancel {v.code} and refund {formatNumber(v.pointsSpent)} points?
            </h2>
            <p className="mt-1 text-red-800 text-sm">
              The voucher stops working at once and the points go back to the customer.
            </p>
            <Form method="post" action={back} className="mt-3 space-y-3">
              <input type="hidden" name="intent" value={VOUCHER_INTENTS.cancel} />
              <input type="hidden" name="voucherId" value={v.id} />
              <div>
                <label htmlFor="cancel-reason" className="block font-medium text-sm text-stone-700">
                  Reason (optional)
                </label>
                <input
                  id="cancel-reason"
                  name="reason"
                  maxLength={200}
                  placeholder="e.g. Customer changed their mind"
                  className="mt-1 block w-full max-w-md rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm"
                />
              </div>
              <div className="flex items-center gap-3">
                <Button variant="danger" busy={busy === VOUCHER_INTENTS.cancel}>
                  Yes, cancel and refund
                </Button>
                <Link
                  to={back}
                  preventScrollReset
                  className="font-medium text-sm text-stone-700 hover:underline"
                >
                  Back
                </Link>
              </div>
            </Form>
          </section>
        ) : (
          <div className="mt-5 flex flex-wrap gap-3">
            <Link
              to={lookupHref(v.code, "&confirm=use")}
              preventScrollReset
              className="inline-flex items-center rounded-lg bg-brand-700 px-4 py-2 font-semibold text-sm text-white hover:bg-brand-800"
            >
              Mark used
            </Link>
            <Link
              to={lookupHref(v.code, "&confirm=cancel")}
              preventScrollReset
              className="inline-flex items-center rounded-lg bg-white px-4 py-2 font-semibold text-sm text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100"
            >
              Cancel and refund
            </Link>
          </div>
        )
      ) : null}
    </Card>
  );
}

export default function VouchersPage() {
  const { code, found, lookupError, confirm, recent, canRedeem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busy =
    nav.state !== "idle" && nav.formMethod === "POST" ? String(nav.formData?.get("intent")) : null;
  const looking = nav.state !== "idle" && nav.formMethod === "GET";
  return (
    <>
      <PageHeader
        title="Vouchers"
        description="Look a voucher up at the counter, hand the reward over and mark it used."
      />
      <LoyaltyNav />
      <Toast
        message={
          result
            ? {
                id: String(Date.now()),
                tone: result.ok ? "success" : "error",
                text: result.ok ? result.toast : result.message,
              }
            : null
        }
      />
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
        <VoucherResult
          v={found}
          confirm={confirm}
          canRedeem={canRedeem}
          busy={busy}
          error={result && !result.ok ? result.message : null}
        />
      ) : null}

      <Card title="Recent vouchers" className="mt-6">
        {recent.length === 0 ? (
          <EmptyState title="No vouchers yet">
            Vouchers appear here when customers redeem rewards.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">The latest vouchers issued</caption>
              <thead className="text-stone-500 text-xs uppercase">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    Code
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Customer
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Reward
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    State
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Issued
                  </th>
                  <th scope="col" className="py-2">
                    Expires
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {recent.map((v) => (
                  <tr key={v.id}>
                    <td className="py-2 pr-3">
                      <Link
                        to={lookupHref(v.code)}
                        className="font-mono font-medium text-brand-700 hover:underline"
                      >
                        {v.code}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">
                      <Link to={`/customers/${v.customer.id}`} className="hover:underline">
                        {v.customer.name ?? v.customer.email ?? "Erased customer"}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">{v.reward.name}</td>
                    <td className="py-2 pr-3">
                      <VoucherStateBadge state={v.state} />
                    </td>
                    <td className="py-2 pr-3 text-stone-600">{formatDate(v.issuedAt)}</td>
                    <td className="py-2 text-stone-600">{formatDate(v.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
