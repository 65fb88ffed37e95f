import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { formatDate, SimpleTable, VoucherStateBadge } from "@xplorium/ui";

type RecentVoucher = RouterOutputs["vouchers"]["recent"][number];

/** The counter page's link to a voucher: its lookup, optionally asking to confirm an action. */
export const lookupHref = (code: string, extra = "") => `?code=${encodeURIComponent(code)}${extra}`;

/** The latest vouchers issued, each code linking to its lookup. */
export function RecentVouchers({ vouchers }: { vouchers: RecentVoucher[] }) {
  return (
    <SimpleTable
      caption="The latest vouchers issued"
      columns={["Code", "Customer", "Reward", "State", "Issued", "Expires"]}
      scroll
    >
      {vouchers.map((v) => (
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
    </SimpleTable>
  );
}
