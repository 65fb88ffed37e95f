import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Alert, PageHeader } from "@xplorium/ui";
import { z } from "zod";
import { mergeForm } from "~/components/customer/customer-forms";
import { CompareStep } from "~/components/customer/merge-compare";
import { ConfirmStep } from "~/components/customer/merge-confirm";
import { type Side, who } from "~/components/customer/merge-page";
import { PickStep } from "~/components/customer/merge-pick";
import { describeActionError } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { confirmPasswordFromForm, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Merge customers · Xplorium CRM" }];

const side = z.enum(["survivor", "merged"]).optional().catch(undefined);
/** The page's state lives in the URL: which record, which way round, which values survive. */
const urlState = z.object({
  with: z.uuid().optional().catch(undefined),
  swap: z.literal("1").optional().catch(undefined),
  step: z.literal("confirm").optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  name: side,
  phone: side,
  birthDate: side,
  preferredContactMethod: side,
  notes: z.enum(["both", "survivor", "merged"]).optional().catch(undefined),
});
type Keep = Partial<Record<"name" | "phone" | "birthDate" | "preferredContactMethod", Side>> & {
  notes?: "both" | Side;
};

function keepFrom(s: Keep): Keep {
  const keep: Keep = {};
  for (const k of ["name", "phone", "birthDate", "preferredContactMethod", "notes"] as const) {
    if (s[k]) (keep as Record<string, string>)[k] = s[k];
  }
  return keep;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers, ...session } = await requireStaff(request, context, "merge:customer");
  const id = params.id ?? "";
  const state = urlState.parse(Object.fromEntries(new URL(request.url).searchParams));
  let current: RouterOutputs["customers"]["byId"]["customer"];
  try {
    current = (await api.customers.byId({ id })).customer;
  } catch (error) {
    const failure = describeActionError(error);
    if (failure.status === 404 || failure.status === 400) {
      throw new Response("No customer with that id.", { status: 404 });
    }
    throw error;
  }
  const me = { id: current.id, email: current.email, name: current.name };

  if (!state.with || state.with === id) {
    const [suggestions, found] = await Promise.all([
      api.customers.duplicates({ customerId: id }),
      state.q ? api.customers.list({ q: state.q, limit: 10, withTotal: false }) : null,
    ]);
    return data(
      {
        step: "pick" as const,
        me,
        q: state.q ?? "",
        suggestions,
        results: found ? found.items.filter((r) => r.id !== id) : null,
      },
      { headers },
    );
  }

  const survivorId = state.swap ? state.with : id;
  const mergedId = state.swap ? id : state.with;
  try {
    const preview = await api.customers.mergePreview({
      survivorId,
      mergedId,
      keep: keepFrom(state),
    });
    return data(
      {
        step: state.step === "confirm" ? ("confirm" as const) : ("compare" as const),
        me,
        otherId: state.with,
        swapped: Boolean(state.swap),
        preview,
        currency: context.env.CURRENCY,
        // Merging is owner-level: the confirm step asks for the password when it is not recent.
        ...passwordPrompt(session, context),
      },
      { headers },
    );
  } catch (error) {
    const failure = describeActionError(error);
    return data({ step: "error" as const, me, message: failure.message }, { headers });
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "merge:customer");
  const form = await request.formData();
  const submission = parseForm(form, mergeForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { survivorId, mergedId, yourPassword: _, ...choices } = submission.value;
  if (survivorId !== params.id && mergedId !== params.id) {
    const refuse = { message: "This merge does not involve this customer." };
    return formResult(submission, { headers, refuse });
  }
  try {
    // Owner-level: the password again (typed into the confirm step) when it was not recent.
    const reauth = await confirmPasswordFromForm(api, form);
    if (reauth) return formResult(submission, { headers, refuse: reauth });
    await api.customers.merge({ survivorId, mergedId, keep: keepFrom(choices) });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
  // The customer page shows the confirmation (MergedToast) for ?merged=1.
  throw redirect(`/customers/${survivorId}?merged=1`, { headers });
}

export default function MergeCustomers() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <Link to={`/customers/${page.me.id}`} className="text-brand-700 text-sm hover:underline">
        ← Back to {who(page.me)}
      </Link>
      <div className="mt-3">
        <PageHeader
          title="Merge duplicate customers"
          description="One family, two records: everything moves to the record you keep, and the other email stays as an alias so later bookings find it."
        />
      </div>
      {page.step === "pick" ? (
        <PickStep {...page} />
      ) : page.step === "error" ? (
        <div className="space-y-4">
          <Alert tone="error">{page.message}</Alert>
          <Link to="?" className="text-brand-700 text-sm hover:underline">
            Choose another record
          </Link>
        </div>
      ) : page.step === "compare" ? (
        <CompareStep {...page} />
      ) : (
        <ConfirmStep {...page} result={result} busy={busy} />
      )}
    </>
  );
}
