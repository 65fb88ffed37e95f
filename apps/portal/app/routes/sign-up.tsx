import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert } from "@xplorium/ui";
import { SignUpForm } from "~/components/sign-up-form";
import { CONSENT_WORDING, describeActionError, portalApi } from "~/lib/api.server";
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
  return handleSignUp(request, context, await request.formData());
}

export default function SignUp() {
  const { link, ref, consentWording } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4 py-8">
      <div className="w-full max-w-sm space-y-4 rounded-3xl bg-white p-7 shadow-lg ring-1 ring-stone-200">
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="font-bold text-2xl text-stone-900">My family account</h1>
        {result ? (
          <SignUpForm action="/sign-up" {...result} consentWording={consentWording} />
        ) : link.status === "ready" ? (
          <SignUpForm
            action="/sign-up"
            email={link.email}
            ticket={link.ticket}
            referralCode={ref}
            consentWording={consentWording}
          />
        ) : (
          <>
            <Alert tone={link.status === "exists" ? "info" : "error"}>
              {link.status === "exists"
                ? "There is already an account for this email. Sign in with a code instead."
                : "This link has expired or is not complete. Ask for a new code on the sign-in page."}
            </Alert>
            <a
              href={ref ? `/sign-in?ref=${encodeURIComponent(ref)}` : "/sign-in"}
              className="block rounded-lg bg-brand-700 px-4 py-2.5 text-center font-semibold text-sm text-white hover:bg-brand-800"
            >
              Go to sign-in
            </a>
          </>
        )}
      </div>
    </main>
  );
}
