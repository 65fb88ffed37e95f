import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Alert, Button, failedResult } from "@xplorium/ui";
import { magicLinkForm } from "~/components/auth/sign-in-forms";
import { PublicCard } from "~/components/public-card";
import { describeActionError, forwardDataHeaders, LINK_FAILED, portalApi } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";

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
  const submission = parseForm(await request.formData(), magicLinkForm);
  const { api, headers } = await portalApi(request, context);
  try {
    await api.auth.customer.verifyLink({
      token: submission.status === "success" ? submission.value.token : "",
    });
  } catch (error) {
    // One answer for every link that does not sign in, a malformed one included (issue 14);
    // only the per-IP limit (429, with Retry-After) says something else.
    return describeActionError(error).status === 429
      ? formResult(submission, { headers, error })
      : formResult(submission, { headers, refuse: { message: LINK_FAILED, status: 401 } });
  }
  return redirect("/", { headers });
}

export default function MagicLink() {
  const { token } = useLoaderData<typeof loader>();
  const failed = failedResult(useActionData<typeof action>());
  const busy = useNavigation().state !== "idle";
  return (
    <PublicCard title="Sign in to Xplorium" className="text-center">
      {failed ? <Alert tone="error">{failed.message}</Alert> : null}
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
    </PublicCard>
  );
}
