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
  useSearchParams,
} from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  DataTable,
  EmptyState,
  failedResult,
  getFormProps,
  PageHeader,
  TextField,
  useBusyIntent,
  useResultToast,
  useZodForm,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { asksForPassword, ConfirmPasswordField } from "~/components/confirm-password-field";
import { keyColumns } from "~/components/settings/api-key-columns";
import { apiKeyForms, createApiKeyForm } from "~/components/settings/api-key-forms";
import { ScopesFieldset } from "~/components/settings/api-key-scopes";
import { NewKey } from "~/components/settings/new-api-key";
import { formResult, parseForm } from "~/lib/form.server";
import { confirmPassword, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "API keys · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, ...session } = await requireStaff(request, context, "manage:apikey");
  return data({ keys: await api.apiKeys.list(), ...passwordPrompt(session, context) }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "manage:apikey");
  const submission = parseForm(await request.formData(), apiKeyForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const input = submission.value;
  try {
    if (input.intent === "revoke") {
      const { apiKey, changed } = await api.apiKeys.revoke({ id: input.id });
      const toast = changed
        ? `Key “${apiKey.name}” revoked. It no longer works.`
        : `Key “${apiKey.name}” was already revoked.`;
      return formResult(submission, { headers, toast });
    }
    // Owner-level: the password again when it was not entered recently (one submit for both).
    const refuse = await confirmPassword(api, input.yourPassword);
    if (refuse) return formResult(submission, { headers, refuse });
    const { key, apiKey } = await api.apiKeys.create({ name: input.name, scopes: input.scopes });
    // The only time the key leaves the server: this one response, never a loader.
    headers.set("Cache-Control", "no-store");
    const toast = `Key “${apiKey.name}” created.`;
    return data(
      {
        // A fresh form after each new key, so a second click does not make a twin.
        ...formResult(submission, { headers, toast, resetForm: true }).data,
        created: { key, name: apiKey.name },
      },
      { headers },
    );
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function ApiKeysPage() {
  const { keys, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useBusyIntent();
  const toast = useResultToast(result);
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const [form, fields] = useZodForm(createApiKeyForm, {
    result,
    intent: "create",
  });
  const createFailed = failedResult(result, "create");
  const created =
    result && "created" in result ? (result.created as { name: string; key: string }) : null;
  const confirming = keys.find((k) => k.id === params.get("revoke") && !k.revokedAt);
  const columns = keyColumns((id) => `?revoke=${encodeURIComponent(id)}`);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let other systems, such as the booking site, call the CRM. Only owners manage them."
      />
      <Toast message={toast} />
      {created ? <NewKey name={created.name} value={created.key} /> : null}
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
              <input type="hidden" name="id" value={confirming.id} />
              <Button variant="danger" name="intent" value="revoke" busy={busy === "revoke"}>
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
          <Form method="post" action={pathname} className="space-y-4" {...getFormProps(form)}>
            {createFailed && !asksForPassword(createFailed) && form.errors ? (
              <Alert tone="error">{createFailed.message}</Alert>
            ) : null}
            <TextField
              label="Name"
              field={fields.name}
              placeholder="Booking site"
              hint="Who uses the key, so you know what breaks if you revoke it."
            />
            <ScopesFieldset field={fields.scopes} />
            <ConfirmPasswordField
              show={askPassword}
              failure={createFailed}
              minutes={confirmMinutes}
              field={fields.yourPassword}
            />
            <Button name="intent" value="create" busy={busy === "create"}>
              Create key
            </Button>
          </Form>
        </Card>
      </div>
    </>
  );
}
