import { NavLink } from "@remix-run/react";
import { cn } from "@xplorium/ui";

const TABS = [
  { to: "/loyalty", label: "Points rules", end: true },
  { to: "/loyalty/rewards", label: "Rewards", end: false },
  { to: "/loyalty/vouchers", label: "Vouchers", end: false },
] as const;

/** The Loyalty section's sub-pages (the sidebar lists top-level sections only). */
export function LoyaltyNav() {
  return (
    <nav aria-label="Loyalty" className="-mt-2 mb-6 flex gap-1 border-stone-200 border-b">
      {TABS.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.end}
          prefetch="intent"
          className={({ isActive }) =>
            cn(
              "-mb-px border-b-2 px-3 py-2 font-medium text-sm",
              isActive
                ? "border-brand-700 text-brand-800"
                : "border-transparent text-stone-600 hover:text-stone-900",
            )
          }
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
