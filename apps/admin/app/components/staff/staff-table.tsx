import { Form } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Button, formatDate, SimpleTable } from "@xplorium/ui";
import { roleOptions } from "./staff-forms";

type Member = RouterOutputs["staff"]["list"][number];

/**
 * The team, one row per member with its small forms (role, two-factor reset, disable/enable);
 * they have no room for a password: the page's "Confirm your password" box asks for it.
 */
export function StaffTable({ members, me }: { members: Member[]; me: string }) {
  return (
    <SimpleTable columns={["Name", "Role", "Last sign-in", "Two-factor", "Status"]}>
      {members.map((m) => (
        <tr key={m.id} data-testid={`staff-row-${m.email}`}>
          <td className="py-3 pr-3">
            <p className="font-medium text-stone-900">{m.name}</p>
            <p className="text-stone-500 text-xs">{m.email}</p>
          </td>
          <td className="py-3 pr-3">
            <Form method="post" className="flex items-center gap-2">
              <input type="hidden" name="id" value={m.id} />
              <input type="hidden" name="intent" value="role" />
              <label className="sr-only" htmlFor={`role-${m.id}`}>
                Role of {m.name}
              </label>
              <select
                id={`role-${m.id}`}
                name="role"
                defaultValue={m.role}
                className="rounded-lg border border-stone-300 px-2 py-1 text-sm"
              >
                {roleOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
              <Button variant="ghost" className="px-2 py-1">
                Save
              </Button>
            </Form>
          </td>
          <td className="py-3 pr-3 text-stone-600">{formatDate(m.lastSignInAt, { time: true })}</td>
          <td className="py-3 pr-3">
            {/* Reset: for a member who lost their phone and their recovery codes. */}
            <Form method="post" className="flex items-center gap-2">
              <input type="hidden" name="id" value={m.id} />
              <span className={m.twoFactorEnabledAt ? "text-emerald-700" : "text-stone-500"}>
                {m.twoFactorEnabledAt ? "On" : "Off"}
              </span>
              {m.twoFactorEnabledAt && m.id !== me ? (
                <Button
                  variant="ghost"
                  name="intent"
                  value="reset-two-factor"
                  className="px-2 py-1"
                  aria-label={`Reset two-factor sign-in of ${m.name} (signs them out)`}
                >
                  Reset
                </Button>
              ) : null}
            </Form>
          </td>
          <td className="py-3">
            <Form method="post" className="flex items-center gap-2">
              <input type="hidden" name="id" value={m.id} />
              <span className={m.disabledAt ? "text-red-700" : "text-emerald-700"}>
                {m.disabledAt ? "Disabled" : "Active"}
              </span>
              {m.id !== me ? (
                <Button
                  variant="ghost"
                  name="intent"
                  value={m.disabledAt ? "enable" : "disable"}
                  className="px-2 py-1"
                >
                  {m.disabledAt ? "Enable" : "Disable"}
                </Button>
              ) : (
                <span className="text-stone-400 text-xs">(you)</span>
              )}
            </Form>
          </td>
        </tr>
      ))}
    </SimpleTable>
  );
}
