import { Link } from "@remix-run/react";
import type { VoucherStatus } from "@xplorium/domain";
import { formatDate, VoucherStateBadge } from "@xplorium/ui";

export interface VoucherRow {
  id: string;
  code: string;
  state: VoucherStatus;
  rewardName: string;
  issuedAt: string | Date;
  expiresAt: string | Date;
  usedAt: string | Date | null;
}

/** When a voucher was used, until when it is valid, or when it expired or was issued. */
function when(v: VoucherRow): string {
  if (v.state === "USED" && v.usedAt) return `Used ${formatDate(v.usedAt)}`;
  if (v.state === "ISSUED") return `Valid until ${formatDate(v.expiresAt)}`;
  if (v.state === "EXPIRED") return `Expired ${formatDate(v.expiresAt)}`;
  return `Issued ${formatDate(v.issuedAt)}`;
}

/** "My vouchers" on the rewards page: each links to its page with the code to show. */
export function VoucherList({ vouchers }: { vouchers: VoucherRow[] }) {
  return (
    <section aria-labelledby="my-vouchers-heading" id="my-vouchers">
      <h2 id="my-vouchers-heading" className="font-semibold text-lg text-stone-900">
        My vouchers
      </h2>
      {vouchers.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">
          No vouchers yet. Redeem a reward and its voucher appears here.
        </p>
      ) : (
        <ul
          aria-label="My vouchers"
          className="mt-2 divide-y divide-stone-100 rounded-2xl bg-white px-4 shadow-sm ring-1 ring-stone-200"
        >
          {vouchers.map((v) => (
            <li key={v.id}>
              <Link
                to={`/rewards/vouchers/${encodeURIComponent(v.code)}`}
                className="flex items-center justify-between gap-3 py-3 hover:bg-stone-50"
              >
                <span>
                  <span className="block font-medium text-stone-900">{v.rewardName}</span>
                  <span className="block font-mono text-sm text-stone-700">{v.code}</span>
                  <span className="block text-stone-500 text-xs">{when(v)}</span>
                </span>
                <VoucherStateBadge state={v.state} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
