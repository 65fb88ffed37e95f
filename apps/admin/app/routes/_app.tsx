import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import type { Permission } from "@xplorium/auth/permissions";
import { cn } from "@xplorium/ui";
import { useCan } from "~/lib/can";
import { requireSignedInStaff } from "~/lib/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  // A member who owes two-factor setup gets the layout (for the setup page) without the menu;
  // every other page sends them to the setup (requireStaff).
  const { api, headers, staff, mustSetUpTwoFactor } = await requireSignedInStaff(request, context);
  const me = await api.auth.me();
  // Sent once for every page under the layout: `useCan()` (lib/can.ts) reads them.
  const permissions = me.type === "staff" ? me.permissions : [];
  return data({ staff, permissions, mustSetUpTwoFactor }, { headers });
}

const NAV: { to: string; label: string; permission?: Permission }[] = [
  { to: "/", label: "Dashboard", permission: "read:dashboard" },
  { to: "/analytics", label: "RFM and churn", permission: "read:marketing" },
  { to: "/customers", label: "Customers", permission: "read:customer" },
  { to: "/bookings", label: "Bookings", permission: "read:booking" },
  { to: "/loyalty", label: "Loyalty", permission: "read:voucher" },
  { to: "/marketing", label: "Marketing", permission: "read:marketing" },
  { to: "/marketing/campaigns", label: "Campaigns", permission: "read:marketing" },
  { to: "/staff", label: "Staff", permission: "manage:staff" },
  { to: "/settings/api-keys", label: "API keys", permission: "manage:apikey" },
  { to: "/settings/security", label: "Security", permission: "manage:security" },
  { to: "/audit", label: "Audit log", permission: "read:audit" },
];

/**
 * The one entry the page belongs to: the longest that prefixes the path, so a campaign page
 * lights "Campaigns" and not "Marketing" as well.
 */
function activeEntry(pathname: string): string | undefined {
  const matches = NAV.filter((n) =>
    n.to === "/" ? pathname === "/" : pathname === n.to || pathname.startsWith(`${n.to}/`),
  );
  return matches.sort((a, b) => b.to.length - a.to.length)[0]?.to;
}

export default function AppLayout() {
  const { staff, mustSetUpTwoFactor } = useLoaderData<typeof loader>();
  const can = useCan();
  const { pathname } = useLocation();
  const active = activeEntry(pathname);
  const isAccount = pathname === "/account" || pathname.startsWith("/account/");
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-stone-200 border-b bg-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:shrink-0 md:flex-col md:border-r md:border-b-0">
        <div className="flex items-center gap-2 px-5 py-4">
          <span
            aria-hidden="true"
            className="grid size-8 place-items-center rounded-lg bg-brand-700 font-bold text-sun-400"
          >
            X
          </span>
          <span className="font-bold text-stone-900">Xplorium CRM</span>
        </div>
        <nav
          aria-label="Main"
          className="flex gap-1 overflow-x-auto px-3 pb-3 md:flex-col md:overflow-visible"
        >
          {NAV.filter((n) => !n.permission || can(n.permission)).map((n) => (
            <Link
              key={n.to}
              to={n.to}
              prefetch="intent"
              aria-current={n.to === active ? "page" : undefined}
              className={cn(
                "flex items-center gap-3 whitespace-nowrap rounded-lg px-3 py-2 text-sm font-medium",
                n.to === active
                  ? "bg-brand-50 text-brand-800"
                  : "text-stone-700 hover:bg-stone-100",
              )}
            >
              <span aria-hidden="true" className="size-2 rounded-full bg-current opacity-40" />
              {n.label}
            </Link>
          ))}
        </nav>
        {mustSetUpTwoFactor ? (
          <p className="px-5 pb-3 text-sm text-stone-600" data-testid="two-factor-required-note">
            Set up two-factor sign-in to open the rest of the CRM.
          </p>
        ) : null}
        <div className="border-stone-200 border-t px-5 py-4 text-sm md:mt-auto">
          <p className="font-semibold text-stone-900" data-testid="signed-in-as">
            {staff.name}
          </p>
          <p className="text-stone-500 text-xs">
            {staff.email} · {staff.role.replace("_", " ").toLowerCase()}
          </p>
          <Link
            to="/account"
            prefetch="intent"
            aria-current={isAccount ? "page" : undefined}
            className="mt-2 inline-block font-medium text-brand-700 hover:underline"
          >
            Your account
          </Link>
          <Form method="post" action="/sign-out" className="mt-3 flex gap-3">
            <button type="submit" className="font-medium text-brand-700 hover:underline">
              Sign out
            </button>
            <button
              type="submit"
              name="everywhere"
              value="1"
              className="text-stone-500 hover:underline"
            >
              Sign out everywhere
            </button>
          </Form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-6 md:px-8">
        <Outlet />
      </main>
    </div>
  );
}
