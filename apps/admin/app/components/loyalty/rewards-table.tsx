import { Form, Link } from "@remix-run/react";
import { Button, formatNumber, rightAligned, SimpleTable } from "@xplorium/ui";
import type { Reward } from "./reward-form";

function stockLabel(r: Reward) {
  if (r.stock === null) return "Unlimited";
  return r.stock === 0 ? "Out of stock" : `${formatNumber(r.stock)} left`;
}

/** The catalogue, active first, cheapest first; with Edit and (De)activate for editors. */
export function RewardsTable({ rewards, canEdit }: { rewards: Reward[]; canEdit: boolean }) {
  return (
    <SimpleTable
      caption="Rewards, active first, cheapest first"
      columns={[
        "Reward",
        rightAligned("Points"),
        "Stock",
        rightAligned("Valid for"),
        rightAligned("Issued"),
        "Status",
      ]}
      scroll
    >
      {rewards.map((r) => (
        <tr
          key={r.id}
          data-testid={`reward-row-${r.code}`}
          className={r.active ? undefined : "text-stone-500"}
        >
          <td className="py-3 pr-3">
            <p className="font-medium text-stone-900">{r.name}</p>
            {r.description ? <p className="text-stone-500 text-xs">{r.description}</p> : null}
          </td>
          <td className="py-3 pr-3 text-right tabular-nums">{formatNumber(r.pointsCost)}</td>
          <td className={r.inStock ? "py-3 pr-3" : "py-3 pr-3 font-medium text-red-700"}>
            {stockLabel(r)}
          </td>
          <td className="py-3 pr-3 text-right tabular-nums">
            {formatNumber(r.voucherValidityDays)} days
          </td>
          <td className="py-3 pr-3 text-right tabular-nums">
            {formatNumber(r.vouchersIssued ?? 0)}
          </td>
          <td className="py-3">
            <div className="flex flex-wrap items-center gap-2">
              <span className={r.active ? "text-emerald-700" : "text-stone-500"}>
                {r.active ? "Active" : "Inactive"}
              </span>
              {canEdit ? (
                <>
                  <Link
                    to={`?edit=${r.id}`}
                    preventScrollReset
                    className="font-medium text-brand-700 text-sm hover:underline"
                    aria-label={`Edit ${r.name}`}
                  >
                    Edit
                  </Link>
                  <Form method="post" className="inline">
                    <input type="hidden" name="id" value={r.id} />
                    <Button
                      variant="ghost"
                      name="intent"
                      value={r.active ? "deactivate" : "activate"}
                      className="px-2 py-1"
                      aria-label={`${r.active ? "Deactivate" : "Activate"} ${r.name}`}
                    >
                      {r.active ? "Deactivate" : "Activate"}
                    </Button>
                  </Form>
                </>
              ) : null}
            </div>
          </td>
        </tr>
      ))}
    </SimpleTable>
  );
}
