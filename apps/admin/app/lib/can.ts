import { useRouteLoaderData } from "@remix-run/react";
import type { Permission } from "@xplorium/auth/permissions";
import { useMemo } from "react";
import type { loader } from "~/routes/_app";

/**
 * `can(permission)` for the signed-in member, from the permissions the signed-in layout's
 * loader sends once (routes/_app.tsx). For what a page shows; the procedures and `requireStaff`
 * still decide what is allowed.
 */
export function useCan(): (permission: Permission) => boolean {
  const permissions = useRouteLoaderData<typeof loader>("routes/_app")?.permissions;
  return useMemo(() => {
    const granted = new Set<string>(permissions ?? []);
    return (permission: Permission) => granted.has(permission);
  }, [permissions]);
}
