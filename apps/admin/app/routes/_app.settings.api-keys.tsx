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
import {
  API_KEY_SCOPE_DESCRIPTIONS,
  API_KEY_SCOPES,
  type ApiKeyScope,
} from "@xplorium/auth/permissions";
import {
  Alert,
  Button,
  Card,
  type ColumnDef,
  DataTable,
  EmptyState,
  formatDate,
  PageHeader,
  TextField,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useId, useRef, useState } from "react";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { describeActionError } from "~/lib/api.server";
import { confirmPasswordFromForm, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "API keys · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, ...session } = await requireStaff(request, context, "manage:apikey");
  return data({ keys: await api.apiKeys.list(), ...passwordPrompt(session, context) }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "manage:apikey");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  try {
    if (intent === "create") {
      // Owner-level: the password again when it was not entered recently (one submit for both).
      const reauth = await confirmPasswordFromForm(api, form);
      if (reauth) return data({ ...reauth, intent }, { status: reauth.status, headers });
      const { key, apiKey } = await api.apiKeys.create({
        name: String(form.get("name") ?? ""),
        scopes: form.getAll("scopes").map(String) as ApiKeyScope[],
      });
      // The only time the key leaves the server: this one response, never a loader.
      headers.set("Cache-Control", "no-store");
      return data(
        {
          ok: true as const,
          intent,
          toast: `Key “${apiKey.name}” created.`,
          created: { key, name: apiKey.name },
        },
        { headers },
      );
    }
    if (intent === "revoke") {
      const { apiKey, changed } = await api.apiKeys.revoke({ id: String(form.get("id") ?? "") });
      const toast = changed
        ? `Key “${apiKey.name}” revoked. It no longer works.`
        : `Key “${apiKey.name}” was already revoked.`;
      return data({ ok: true as const, intent, toast, created: null }, { headers });
    }
    return data(
      {
        ok: false as const,
        intent,
        status: 400,
        message: "Unknown action.",
        fieldErrors: {} as Record<string, string[] | undefined>,
      },
      { status: 400 },
    );
  } catch (error) {
    const failure = describeActionError(error);
    return data({ ...failure, intent }, { status: failure.status, headers });
  }
}

type ApiKeyRow = RouterOutputs["apiKeys"]["list"][number];

function keyColumns(revokeHref: (id: string) => string): ColumnDef<ApiKeyRow>[] {
  return [
    {
      id: "name",
      header: "Name",
      cell: ({ row: { original: k } }) => (
        <>
          <p className="font-medium text-stone-900">{k.name}</p>
          <p className="font-mono text-stone-500 text-xs">xp_{k.prefix}_…</p>
        </>
      ),
    },
    {
      id: "scopes",
      header: "Scopes",
      cell: ({ row }) => (
        <ul className="flex flex-wrap gap-1">
          {row.original.scopes.map((s) => (
            <li key={s} className="rounded-full bg-stone-100 px-2 py-0.5 font-mono text-xs">
              {s}
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: "created",
      header: "Created",
      cell: ({ row: { original: k } }) => (
        <>
          {formatDate(k.createdAt, { time: true })}
          {k.createdByName ? (
            <span className="block text-stone-500 text-xs">by {k.createdByName}</span>
          ) : null}
        </>
      ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row }) =>
        row.original.lastUsedAt ? formatDate(row.original.lastUsedAt, { time: true }) : "Never",
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row: { original: k } }) =>
        k.revokedAt ? (
          <span className="text-red-700">Revoked {formatDate(k.revokedAt)}</span>
        ) : (
          <span className="flex items-center gap-3">
            <span className="text-emerald-700">Active</span>
            <Link
              to={revokeHref(k.id)}
              preventScrollReset
              className="font-medium text-red-700 text-sm hover:underline"
            >
              Revoke…
            </Link>
          </span>
        ),
    },
  ];
}

/** The new key in a read-only box with a copy button; it is never shown again. */
function NewKey({ name, value }: { name: string; value: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // No clipboard (plain HTTP on another host): the text is selected for Ctrl+C instead.
      setCopied("no");
    }
  };
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="mb-6 rounded-2xl border border-amber-300 bg-amber-50 p-5"
      data-testid="new-api-key"
    >
      <h2 id={`${id}-title`} className="font-semibold text-amber-950">
        Copy the key for “{name}” now
      </h2>
      <p className="mt-1 text-amber-900 text-sm">
        You will not see this key again: only its first characters are kept. If it is lost, revoke
        it and create a new one.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          New API key
        </label>
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-lg border border-amber-300 bg-white px-3 py-2 font-mono text-sm"
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 text-amber-900 text-xs">
        {copied === "no" ? "Copying is blocked here; the key is selected, press Ctrl+C." : ""}
      </p>
      <p className="mt-2 text-amber-900 text-xs">
        The booking site sends it as{" "}
        <code className="font-mono">Authorization: Bearer {"<key>"}</code>.
      </p>
    </section>
  );
}

export default function ApiKeysPage() {
  const { keys, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const creating = nav.state !== "idle" && nav.formData?.get("intent") === "create";
  const revoking = nav.state !== "idle" && nav.formData?.get("intent") === "revoke";
  const createErrors = result && !result.ok && result.intent === "create" ? result : null;
  const confirming = keys.find((k) => k.id === params.get("revoke") && !k.revokedAt);
  const columns = keyColumns((id) => `?revoke=${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let other systems, such as the booking site, call the CRM. Only owners manage them."
      />
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
      {result?.ok && result.created ? (
        <NewKey name={result.created.name} value={result.created.key} />
      ) : null}
      <div className="space-y-6">
        {confirming ? (
          <section
            role="alertdialog"
            aria-labelledby="revoke-title"
            className="rounded-2xl border border-red-200 bg-red-50 p-5"
          >
            <h2 id="revoke-title" className="font-semibold text-red-900">
              Revoke “{confirming.name}” (xp_{confirming.prefix}_…)?
            </h2>
            <p className="mt-1 text-red-800 text-sm">
              Anything using this key stops working immediately. This cannot be undone.
            </p>
            {/* Posting to the bare path also drops ?revoke= from the URL afterwards. */}
            <Form method="post" action={pathname} className="mt-3 flex items-center gap-3">
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="id" value={confirming.id} />
              <Button variant="danger" busy={revoking}>
                Revoke key
              </Button>
              <Link
                to={pathname}
                preventScrollReset
                className="font-medium text-sm text-stone-700 hover:underline"
              >
                Cancel
              </Link>
            </Form>
          </section>
        ) : null}
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create one for the booking site with the form below.
          </EmptyState>
        ) : (
          <DataTable
            caption="API keys, active first"
            columns={columns}
            data={keys}
            getRowId={(k) => k.id}
          />
        )}
        <Card title="Create a key" className="max-w-xl">
          {/* A fresh form after each new key, so a second click does not make a twin. */}
          <Form
            key={result?.ok && result.created ? result.created.key : "create"}
            method="post"
            action={pathname}
            className="space-y-4"
            noValidate
          >
            <input type="hidden" name="intent" value="create" />
            {createErrors &&
            !asksForPassword(createErrors) &&
            Object.keys(createErrors.fieldErrors).length === 0 ? (
              <Alert tone="error">{createErrors.message}</Alert>
            ) : null}
            <TextField
              label="Name"
              name="name"
              required
              maxLength={80}
              placeholder="Booking site"
              hint="Who uses the key, so you know what breaks if you revoke it."
              error={createErrors?.fieldErrors.name}
            />
            <fieldset
              aria-describedby={createErrors?.fieldErrors.scopes ? "scopes-error" : undefined}
            >
              <legend className="font-medium text-sm text-stone-700">Scopes</legend>
              <div className="mt-2 space-y-2">
                {API_KEY_SCOPES.map((scope) => (
                  <label key={scope} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="scopes"
                      value={scope}
                      defaultChecked={API_KEY_SCOPES.length === 1}
                      className="mt-0.5 size-4 rounded border-stone-300"
                    />
                    <span>
                      <span className="font-mono text-stone-900">{scope}</span>
                      <span className="block text-stone-500 text-xs">
                        {API_KEY_SCOPE_DESCRIPTIONS[scope]}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
              {createErrors?.fieldErrors.scopes ? (
                <p id="scopes-error" className="mt-1 text-red-600 text-sm">
                  {createErrors.fieldErrors.scopes[0]}
                </p>
              ) : null}
            </fieldset>
            <ConfirmPasswordField
              show={askPassword}
              failure={createErrors}
              minutes={confirmMinutes}
            />
            <Button busy={creating}>Create key</Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
