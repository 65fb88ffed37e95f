import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { trpc } from "@xplorium/api/client";
import { Button, EmptyState, formatDate, PageHeader, Spinner, TextField } from "@xplorium/ui";
import { z } from "zod";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Xplorium CRM" }];

const query = z.object({
  to: z.string().trim().max(254).optional(),
  before: z.string().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:outbox");
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  let cursor: { createdAt: Date; id: string } | undefined;
  if (q.before) {
    const [at, id] = q.before.split("_");
    if (at && id) cursor = { createdAt: new Date(Number(at)), id };
  }
  const page = await api.outbox.list({
    limit: 20,
    ...(q.to ? { to: q.to } : {}),
    ...(cursor ? { cursor } : {}),
  });
  return data(
    {
      to: q.to ?? "",
      items: page.items,
      next: page.nextCursor ? `${page.nextCursor.createdAt.getTime()}_${page.nextCursor.id}` : null,
    },
    { headers },
  );
}

/** Polls /api/trpc (react-query) and offers to show emails that arrived after the page loaded. */
function NewMailNotice({ newestId, to }: { newestId: string | null; to: string }) {
  const revalidator = useRevalidator();
  const latest = trpc.outbox.list.useQuery(
    { limit: 1, ...(to ? { to } : {}) },
    { refetchInterval: 4000, refetchIntervalInBackground: false },
  );
  const arrived = latest.data?.items[0]?.id;
  if (!arrived || arrived === newestId) return null;
  return (
    <div
      role="status"
      className="mb-4 flex items-center justify-between rounded-lg bg-brand-50 px-4 py-2 text-brand-800 text-sm"
    >
      New emails have arrived.
      <button
        type="button"
        className="font-semibold hover:underline"
        onClick={() => revalidator.revalidate()}
      >
        Show them
      </button>
    </div>
  );
}

export default function Outbox() {
  const { to, items, next } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const loading = useNavigation().state === "loading";
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Emails kept here instead of being sent (no Resend API key, or EMAIL_TRANSPORT=outbox). Sign-in and sign-up codes show only in development, and only until they expire."
      />
      <Form method="get" className="mb-4 flex max-w-lg items-end gap-2">
        <TextField
          label="Recipient"
          name="to"
          type="search"
          defaultValue={to}
          placeholder="parent@example.com"
          className="flex-1"
        />
        <Button variant="secondary">Filter</Button>
        {loading ? <Spinner /> : null}
      </Form>
      {params.has("before") ? null : <NewMailNotice newestId={items[0]?.id ?? null} to={to} />}
      {items.length === 0 ? (
        <EmptyState title="No emails yet">
          Sign-in codes and other emails appear here as they are sent.
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {items.map((m) => (
            <li key={m.id} className="rounded-xl border border-stone-200 bg-white shadow-sm">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center justify-between gap-2 px-4 py-3">
                  <span className="font-medium text-stone-900">{m.subject}</span>
                  <span className="text-sm text-stone-500">
                    to <span data-testid="outbox-to">{m.toEmail ?? "(erased)"}</span> ·{" "}
                    {formatDate(m.createdAt, { time: true })}
                  </span>
                </summary>
                <div className="grid gap-4 border-stone-100 border-t p-4 lg:grid-cols-2">
                  <iframe
                    title={`Email: ${m.subject}`}
                    sandbox=""
                    srcDoc={m.html ?? ""}
                    className="h-96 w-full rounded-lg border border-stone-200"
                  />
                  <pre
                    data-testid="outbox-text"
                    className="max-h-96 overflow-auto whitespace-pre-wrap rounded-lg bg-stone-50 p-3 text-xs"
                  >
                    {m.text}
                  </pre>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <div className="mt-4">
          <Link
            to={`?${new URLSearchParams({ ...Object.fromEntries(params), before: next }).toString()}`}
            className="font-medium text-brand-700 text-sm hover:underline"
          >
            Older emails →
          </Link>
        </div>
      ) : null}
    </>
  );
}
