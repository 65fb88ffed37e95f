import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { Alert, Button, Card, EmptyState, formatNumber, PageHeader, TextField } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { LoyaltyNav } from "~/components/loyalty/loyalty-nav";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Rewards · Loyalty · Xplorium CRM" }];

type Reward = RouterOutputs["rewards"]["list"][number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:customer");
  return data(
    {
      rewards: await api.rewards.list(),
      canEdit: ROLE_PERMISSIONS[staff.role].has("write:reward"),
    },
    { headers },
  );
}

const FIELDS = ["name", "description", "pointsCost", "stock", "voucherValidityDays"] as const;
type FormValues = Record<(typeof FIELDS)[number], string> & { active: boolean };

/** "1 000", "1,000" → 1000; empty or not a number → NaN, which the procedure words for staff. */
const whole = (raw: string) => {
  const s = raw.replace(/[\s,]/g, "");
  return s === "" ? Number.NaN : Number(s);
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:reward");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const text = (k: string) => String(form.get(k) ?? "");
  const id = text("id");
  const values: FormValues = {
    ...(Object.fromEntries(FIELDS.map((k) => [k, text(k)])) as Record<
      (typeof FIELDS)[number],
      string
    >),
    active: form.get("active") === "on",
  };
  const fields = () => ({
    name: values.name,
    description: values.description,
    pointsCost: whole(values.pointsCost),
    stock: values.stock.trim() === "" ? null : whole(values.stock),
    voucherValidityDays: whole(values.voucherValidityDays),
    active: values.active,
  });
  try {
    if (intent === "create") {
      const created = await api.rewards.create(fields());
      return data(
        {
          ok: true as const,
          intent,
          at: Date.now(),
          toast: `“${created.name}” added to the catalogue.`,
        },
        { headers },
      );
    }
    if (intent === "update") {
      const r = await api.rewards.update({ id, ...fields() });
      return data(
        {
          ok: true as const,
          intent,
          at: Date.now(),
          toast: r.changed ? `“${r.reward.name}” saved.` : "Nothing to change.",
        },
        { headers },
      );
    }
    if (intent === "activate" || intent === "deactivate") {
      const r = await api.rewards.update({ id, active: intent === "activate" });
      const toast = !r.changed
        ? "Nothing to change."
        : intent === "activate"
          ? `“${r.reward.name}” is offered again.`
          : `“${r.reward.name}” is no longer offered. Vouchers already issued still work.`;
      return data({ ok: true as const, intent, at: Date.now(), toast }, { headers });
    }
    return data(
      {
        ok: false as const,
        intent,
        id,
        values,
        message: "Unknown action.",
        fieldErrors: {} as Record<string, string[] | undefined>,
      },
      { status: 400, headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, intent, id, values, message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

function stockLabel(r: Reward) {
  if (r.stock === null) return "Unlimited";
  return r.stock === 0 ? "Out of stock" : `${formatNumber(r.stock)} left`;
}

function RewardForm({
  reward,
  values,
  errors,
  message,
  busy,
}: {
  reward?: Reward | undefined;
  values?: FormValues | null | undefined;
  errors: Record<string, string[] | undefined>;
  message: string | null;
  busy: boolean;
}) {
  const { pathname } = useLocation();
  const initial = (k: (typeof FIELDS)[number]) =>
    values ? values[k] : reward ? String(reward[k] ?? "") : k === "voucherValidityDays" ? "90" : "";
  const general = message && Object.keys(errors).length === 0 ? message : null;
  return (
    // Posting to the bare path closes the edit form (drops ?edit=) once saved.
    <Form
      method="post"
      action={pathname}
      className="space-y-3"
      noValidate
      aria-label={reward ? `Edit ${reward.name}` : "Add a reward"}
    >
      <input type="hidden" name="intent" value={reward ? "update" : "create"} />
      {reward ? <input type="hidden" name="id" value={reward.id} /> : null}
      {general ? <Alert tone="error">{general}</Alert> : null}
      <TextField
        label="Name"
        name="name"
        required
        maxLength={80}
        defaultValue={initial("name")}
        error={errors.name}
      />
      <TextField
        label="Description"
        name="description"
        maxLength={500}
        defaultValue={initial("description")}
        placeholder="What the customer gets"
        error={errors.description}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Points cost"
          name="pointsCost"
          inputMode="numeric"
          required
          defaultValue={initial("pointsCost")}
          error={errors.pointsCost}
        />
        <TextField
          label="Valid for (days)"
          name="voucherValidityDays"
          inputMode="numeric"
          required
          defaultValue={initial("voucherValidityDays")}
          error={errors.voucherValidityDays}
        />
      </div>
      <TextField
        label="Stock"
        name="stock"
        inputMode="numeric"
        defaultValue={initial("stock")}
        hint="Leave empty for unlimited. Each voucher takes one; a cancelled one puts it back."
        error={errors.stock}
      />
      <label className="flex items-center gap-2 text-sm text-stone-700">
        <input
          type="checkbox"
          name="active"
          defaultChecked={values ? values.active : (reward?.active ?? true)}
          className="size-4 rounded border-stone-300"
        />
        Offered to customers (active)
      </label>
      <div className="flex items-center gap-3">
        <Button busy={busy}>{reward ? "Save changes" : "Add reward"}</Button>
        {reward ? (
          <Link to={pathname} className="font-medium text-sm text-stone-700 hover:underline">
            Cancel
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export default function RewardsPage() {
  const { rewards, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : null;
  const pendingIntent = nav.state !== "idle" ? String(nav.formData?.get("intent")) : null;
  // The reward being edited: from ?edit=, or the one whose save just failed.
  const editId = params.get("edit") ?? (failed?.intent === "update" ? failed.id : null);
  const editing = canEdit && editId ? rewards.find((r) => r.id === editId) : undefined;
  const formFailed = failed && (failed.intent === "create" || failed.intent === "update");
  return (
    <>
      <PageHeader
        title="Rewards"
        description="The rewards customers can spend their points on. Retire a reward by deactivating it; vouchers already issued stay valid."
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
      <div className="grid gap-6 xl:grid-cols-[1fr_24rem]">
        <Card title={`Rewards (${rewards.length})`}>
          {rewards.length === 0 ? (
            <EmptyState title="No rewards yet">Add the first one with the form.</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Rewards, active first, cheapest first</caption>
                <thead className="text-stone-500 text-xs uppercase">
                  <tr>
                    <th scope="col" className="py-2 pr-3">
                      Reward
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right">
                      Points
                    </th>
                    <th scope="col" className="py-2 pr-3">
                      Stock
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right">
                      Valid for
                    </th>
                    <th scope="col" className="py-2 pr-3 text-right">
                      Issued
                    </th>
                    <th scope="col" className="py-2">
                      Status
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {rewards.map((r) => (
                    <tr
                      key={r.id}
                      data-testid={`reward-row-${r.code}`}
                      className={r.active ? undefined : "text-stone-500"}
                    >
                      <td className="py-3 pr-3">
                        <p className="font-medium text-stone-900">{r.name}</p>
                        {r.description ? (
                          <p className="text-stone-500 text-xs">{r.description}</p>
                        ) : null}
                      </td>
                      <td className="py-3 pr-3 text-right tabular-nums">
                        {formatNumber(r.pointsCost)}
                      </td>
                      <td
                        className={r.inStock ? "py-3 pr-3" : "py-3 pr-3 font-medium text-red-700"}
                      >
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
                </tbody>
              </table>
            </div>
          )}
        </Card>
        {canEdit ? (
          <Card title={editing ? `Edit “${editing.name}”` : "Add a reward"}>
            <RewardForm
              // A fresh form per reward, and after each successful save.
              key={`${editing?.id ?? "new"}:${result?.ok ? result.at : ""}`}
              reward={editing}
              values={formFailed ? failed.values : null}
              errors={formFailed ? failed.fieldErrors : {}}
              message={formFailed ? failed.message : null}
              busy={pendingIntent === (editing ? "update" : "create")}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
