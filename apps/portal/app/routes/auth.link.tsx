import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { Alert, Button } from "@xplorium/ui";
import { describeActionError, forwardDataHeaders, LINK_FAILED, portalApi } from "~/lib/api.server";

export const meta: MetaFunction = () => [{ title: "Sign in · My Xplorium" }];

/** Retry-After on a rate-limited attempt (429), Set-Cookie on success. */
export const headers = forwardDataHeaders;

/**
 * The magic link lands here. GET only shows a button: mail scanners that open links must not
 * use up the single-use link; the POST signs in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { api, headers } = await portalApi(request, context);
  try {
    await api.auth.customer.verifyLink({ token: String(form.get("token") ?? "") });
  } catch (error) {
    const f = describeActionError(error);
    // One answer for every link that does not sign in, a malformed one included (issue 14);
    // only the per-IP limit (429, with Retry-After) says something else.
    return f.status === 429
      ? data({ message: f.message }, { status: 429, headers })
      : data({ message: LINK_FAILED }, { status: 401, headers });
  }
  return redirect("/", { headers });
}

export default function MagicLink() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4">
      <div className="w-full max-w-sm space-y-4 rounded-3xl bg-white p-7 text-center shadow-lg ring-1 ring-stone-200">
        <h1 className="font-bold text-2xl text-stone-900">Sign in to Xplorium</h1>
        {result ? <Alert tone="error">{result.message}</Alert> : null}
        {token ? (
          <Form method="post">
            <input type="hidden" name="token" value={token} />
            <Button className="w-full" busy={busy}>
              Continue to my account
            </Button>
          </Form>
        ) : (
          <Alert tone="error">This sign-in link is incomplete. Ask for a new code.</Alert>
        )}
        <a href="/sign-in" className="block text-brand-700 text-sm hover:underline">
          Get a new code instead
        </a>
      </div>
    </main>
  );
}
