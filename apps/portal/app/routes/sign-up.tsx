import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert } from "@xplorium/ui";
import { signUpFields } from "~/components/auth/sign-in-forms";
import { ButtonLink, SignUpForm } from "~/components/auth/sign-up-form";
import { PublicCard } from "~/components/public-card";
import { CONSENT_WORDING, describeActionError, portalApi } from "~/lib/api.server";
import { formResult, parseForm } from "~/lib/form.server";
import { referralParam } from "~/lib/referral-param";
import { handleSignUp } from "~/lib/sign-up.server";

export const meta: MetaFunction = () => [{ title: "Create your account · My Xplorium" }];

/**
 * The "Create my account" link from the sign-up email. GET only shows the form (mail scanners
 * that open links create nothing); the POST creates the account and signs in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, principal, headers } = await portalApi(request, context);
  if (principal.type === "customer") throw redirect("/", { headers });
  const url = new URL(request.url);
  const consentWording = CONSENT_WORDING.EMAIL.text;
  const ref = referralParam(url.searchParams.get("ref"));
  try {
    const link = await api.auth.customer.signUpLink({ token: url.searchParams.get("token") ?? "" });
    return data({ link, ref, consentWording }, { headers });
  } catch (error) {
    const f = describeActionError(error);
    if (f.status !== 400) throw error;
    return data(
      { link: { status: "invalid" as const }, ref, consentWording },
      { status: 404, headers },
    );
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), signUpFields);
  if (submission.status !== "success") return formResult(submission);
  return handleSignUp(request, context, submission, submission.value);
}

export default function SignUp() {
  const { link, ref, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PublicCard title="My family account">
      {result || link.status === "ready" ? (
        <SignUpForm
          action="/sign-up"
          result={result}
          {...(link.status === "ready"
            ? { start: { email: link.email, ticket: link.ticket, referralCode: ref } }
            : {})}
          consentWording={consentWording}
        />
      ) : (
        <>
          <Alert tone={link.status === "exists" ? "info" : "error"}>
            {link.status === "exists"
              ? "There is already an account for this email. Sign in with a code instead."
              : "This link has expired or is not complete. Ask for a new code on the sign-in page."}
          </Alert>
          <ButtonLink href={ref ? `/sign-in?ref=${encodeURIComponent(ref)}` : "/sign-in"}>
            Go to sign-in
          </ButtonLink>
        </>
      )}
    </PublicCard>
  );
}
