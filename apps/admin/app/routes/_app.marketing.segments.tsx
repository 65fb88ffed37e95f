import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  Button,
  Card,
  EmptyState,
  formatDate,
  hiddenLabel,
  PageHeader,
  SimpleTable,
  useResultToast,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useState } from "react";
import { describeFilter } from "~/components/marketing/segment-filter";
import { segmentListForms } from "~/components/marketing/segment-forms";
import { useCan } from "~/lib/can";
import { formResult, parseForm } from "~/lib/form.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Segments · Marketing · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  return data({ segments: await api.segments.list(), currency: context.env.CURRENCY }, { headers });
}

/** Duplicate a segment from the list (then open the copy), or delete one. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "write:marketing");
  const form = await request.formData();
  // A post without an intent is a Duplicate button of an older page.
  if (!form.has("intent")) form.set("intent", "duplicate");
  const submission = parseForm(form, segmentListForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { intent, id } = submission.value;
  try {
    if (intent === "delete") {
      await api.segments.delete({ id });
      return formResult(submission, { headers, toast: "Segment deleted" });
    }
    const copy = await api.segments.duplicate({ id });
    return redirect(`/marketing/segments/${copy.id}?duplicated=1`, { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

/** Delete asks once more in place (no browser dialog), so a stray click deletes nothing. */
function DeleteSegment({ id, name }: { id: string; name: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        type="button"
        variant="ghost"
        className="px-2 py-1 text-red-700"
        aria-label={`Delete ${name}`}
        onClick={() => setAsking(true)}
      >
        Delete
      </Button>
    );
  }
  return (
    <Form method="post" className="flex items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <Button
        variant="danger"
        name="intent"
        value="delete"
        className="px-2 py-1"
        aria-label={`Confirm deleting ${name}`}
      >
        Confirm delete
      </Button>
      <Button type="button" variant="ghost" className="px-2 py-1" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </Form>
  );
}

export default function SegmentsPage() {
  const { segments, currency } = useLoaderData<typeof loader>();
  const canEdit = useCan()("write:marketing");
  const toast = useResultToast(useActionData<typeof action>());
  return (
    <>
      <PageHeader
        title="Segments"
        description="Saved filters over customers. A segment's marketing list is its customers who opted in to email and whose address is not suppressed."
        actions={
          canEdit ? (
            <Link
              to="/marketing/segments/new"
              className="rounded-md bg-brand-700 px-3 py-2 font-medium text-sm text-white hover:bg-brand-800"
            >
              New segment
            </Link>
          ) : null
        }
      />
      <Toast message={toast} />
      <Card title={`Segments (${segments.length})`}>
        {segments.length === 0 ? (
          <EmptyState title="No segments yet">
            Build one, such as “GOLD and up, party regulars with 5+ bookings”.
          </EmptyState>
        ) : (
          <SimpleTable
            caption="Saved segments, most recently changed first"
            columns={["Segment", "Filter", "Changed", hiddenLabel("Actions")]}
            scroll
          >
            {segments.map((s) => (
              <tr key={s.id}>
                <td className="py-3 pr-3">
                  <Link
                    to={`/marketing/segments/${s.id}`}
                    className="font-medium text-brand-700 hover:underline"
                  >
                    {s.name}
                  </Link>
                  {s.description ? <p className="text-stone-500 text-xs">{s.description}</p> : null}
                </td>
                <td className="py-3 pr-3 text-stone-600">{describeFilter(s.filter, currency)}</td>
                <td className="py-3 pr-3 text-stone-600">
                  {formatDate(s.updatedAt)}
                  {s.createdByName ? (
                    <p className="text-stone-500 text-xs">by {s.createdByName}</p>
                  ) : null}
                </td>
                <td className="py-3">
                  {canEdit ? (
                    <div className="flex items-center gap-1">
                      <Form method="post">
                        <input type="hidden" name="id" value={s.id} />
                        <Button
                          variant="ghost"
                          name="intent"
                          value="duplicate"
                          className="px-2 py-1"
                          aria-label={`Duplicate ${s.name}`}
                        >
                          Duplicate
                        </Button>
                      </Form>
                      <DeleteSegment id={s.id} name={s.name} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </Card>
    </>
  );
}
