import { Form, Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  Alert,
  Button,
  Card,
  cn,
  type FormResultLike,
  failedResult,
  formatDate,
  formatNumber,
  getFormProps,
  TextField,
  TierBadge,
  useBusyIntent,
  useZodForm,
  VoucherStateBadge,
} from "@xplorium/ui";
import type { ReactNode } from "react";
import { lookupHref } from "./recent-vouchers";
import { cancelVoucherForm } from "./voucher-forms";
import { VOUCHER_INTENTS } from "./voucher-intents";

export type Voucher = RouterOutputs["vouchers"]["lookup"];

function Detail({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-1 text-stone-900">{children}</dd>
    </div>
  );
}

const backLinkClass = "font-medium text-sm text-stone-700 hover:underline";

const CONFIRM_TONE = {
  brand: { box: "border-brand-200 bg-brand-50", title: "text-brand-900" },
  red: { box: "border-red-200 bg-red-50", title: "text-red-900" },
} as const;

/** One click more before a voucher is spent or cancelled: a question with its buttons. */
function ConfirmDialog({
  id,
  tone,
  title,
  children,
}: {
  id: string;
  tone: keyof typeof CONFIRM_TONE;
  title: string;
  children: ReactNode;
}) {
  return (
    <section
      role="alertdialog"
      aria-labelledby={id}
      className={cn("mt-5 rounded-xl border p-4", CONFIRM_TONE[tone].box)}
    >
      <h2 id={id} className={cn("font-semibold", CONFIRM_TONE[tone].title)}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** "Hand over … and mark it used?": one click more before a voucher is spent. */
function ConfirmUse({ v }: { v: Voucher }) {
  const busy = useBusyIntent();
  const back = lookupHref(v.code);
  return (
    <ConfirmDialog
      id="confirm-use"
      tone="brand"
      title={`Hand over “${v.reward.name}” and mark ${v.code} used?`}
    >
      <p className="mt-1 text-brand-900 text-sm">A voucher can be used once.</p>
      <Form method="post" action={back} className="mt-3 flex items-center gap-3">
        <input type="hidden" name="voucherId" value={v.id} />
        <Button
          name="intent"
          value={VOUCHER_INTENTS.markUsed}
          busy={busy === VOUCHER_INTENTS.markUsed}
        >
          Yes, mark used
        </Button>
        <Link to={back} preventScrollReset className={backLinkClass}>
          Back
        </Link>
      </Form>
    </ConfirmDialog>
  );
}

/** "Cancel … and refund?", with an optional reason for the audit log. */
function ConfirmCancel({ v, result }: { v: Voucher; result: FormResultLike | undefined }) {
  const busy = useBusyIntent();
  const back = lookupHref(v.code);
  const [form, fields] = useZodForm(cancelVoucherForm, { result, intent: VOUCHER_INTENTS.cancel });
  return (
    <ConfirmDialog
      id="confirm-cancel"
      tone="red"
      title={`Cancel ${v.code} and refund ${formatNumber(v.pointsSpent)} points?`}
    >
      <p className="mt-1 text-red-800 text-sm">
        The voucher stops working at once and the points go back to the customer.
      </p>
      <Form method="post" action={back} className="mt-3 space-y-3" {...getFormProps(form)}>
        <input type="hidden" name="voucherId" value={v.id} />
        <TextField
          label="Reason (optional)"
          field={fields.reason}
          placeholder="e.g. Customer changed their mind"
          className="max-w-md"
        />
        <div className="flex items-center gap-3">
          <Button
            variant="danger"
            name="intent"
            value={VOUCHER_INTENTS.cancel}
            busy={busy === VOUCHER_INTENTS.cancel}
          >
            Yes, cancel and refund
          </Button>
          <Link to={back} preventScrollReset className={backLinkClass}>
            Back
          </Link>
        </div>
      </Form>
    </ConfirmDialog>
  );
}

/**
 * A looked-up voucher: its code and state, who it is for, what it gives and when it runs out;
 * for an unused one, "Mark used" and "Cancel and refund", each confirmed first (`confirm`).
 */
export function VoucherResult({
  v,
  confirm,
  canRedeem,
  result,
}: {
  v: Voucher;
  confirm: "use" | "cancel" | null;
  canRedeem: boolean;
  result: FormResultLike | undefined;
}) {
  const error = failedResult(result)?.message;
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
          <ConfirmUse v={v} />
        ) : confirm === "cancel" ? (
          <ConfirmCancel v={v} result={result} />
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
