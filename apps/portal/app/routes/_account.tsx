import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet } from "@remix-run/react";
import { cn } from "@xplorium/ui";
import { requireCustomer } from "~/lib/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { headers } = await requireCustomer(request, context);
  return data(null, { headers });
}

/** The signed-in portal's pages; add a page here and as an `_account.*` route. */
const NAV = [
  { to: "/", label: "Home" },
  { to: "/history", label: "History" },
  { to: "/rewards", label: "Rewards" },
  { to: "/referrals", label: "Invite friends" },
  { to: "/profile", label: "Profile" },
  { to: "/privacy", label: "Privacy" },
] as const;

/** Mobile first: the header and a scrollable tab row; the page below. */
export default function AccountLayout() {
  return (
    <div className="mx-auto min-h-screen max-w-2xl px-4 pb-12">
      <header className="flex items-center justify-between py-4">
        <span className="flex items-center gap-2 font-bold text-brand-800">
          <span
            aria-hidden="true"
            className="grid size-8 place-items-center rounded-lg bg-brand-700 text-sun-400"
          >
            X
          </span>
          Xplorium
        </span>
        <Form method="post" action="/sign-out">
          <button type="submit" className="font-medium text-brand-700 text-sm hover:underline">
            Sign out
          </button>
        </Form>
      </header>
      <nav
        aria-label="My account"
        className="-mx-4 mb-6 flex gap-1 overflow-x-auto border-stone-200 border-b px-4"
      >
        {NAV.map((n) => (
          <NavLink
            key={n.to}
            to={n.to}
            end={n.to === "/"}
            prefetch="intent"
            className={({ isActive }) =>
              cn(
                "-mb-px whitespace-nowrap border-b-2 px-3 py-2.5 font-medium text-sm",
                isActive
                  ? "border-brand-700 text-brand-800"
                  : "border-transparent text-stone-600 hover:text-stone-900",
              )
            }
          >
            {n.label}
          </NavLink>
        ))}
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
