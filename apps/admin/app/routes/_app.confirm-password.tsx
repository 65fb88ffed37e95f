import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  failedResult,
  getFormProps,
  PageHeader,
  useZodForm,
} from "@xplorium/ui";
import { useEffect } from "react";
import { z } from "zod";
import { ConfirmPasswordField, yourPasswordField } from "~/components/confirm-password-field";
import { formResult, parseForm } from "~/lib/form.server";
import { confirmPassword, passwordPrompt } from "~/lib/reauth.server";
import { requireStaff, safeNext } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Confirm your password · Xplorium CRM" }];

/**
 * GET /confirm-password?next=…&back=…: the password again before an owner-level action that is
 * a link rather than a form (the customer list's and a segment's CSV exports). Once confirmed it
 * continues to `next` (the download starts; without JavaScript, a link does it) and offers the
 * way `back`. Both are paths on the admin (safeNext), nothing else.
 */
/** The one form: the password, and where to go once it is confirmed. */
const confirmForm = z.object({ next: z.string().optional(), ...yourPasswordField });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { headers, ...session } = await requireStaff(request, context);
  const url = new URL(request.url);
  return data(
    {
      next: safeNext(url.searchParams.get("next"), context, "/"),
      back: safeNext(url.searchParams.get("back"), context, "/"),
      ...passwordPrompt(session, context),
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context);
  const submission = parseForm(await request.formData(), confirmForm);
  const next = safeNext(submission.payload.next, context, "/");
  const refuse =
    submission.status === "success"
      ? await confirmPassword(api, submission.value.yourPassword, { required: true })
      : null;
  // The posted `next` is never echoed back (it may point off the admin): only safeNext's.
  const result = formResult(submission, {
    headers,
    hideFields: ["next"],
    ...(refuse ? { refuse } : { resetForm: true }),
  });
  // Where to continue, on the result too: the post may come without the page's query.
  return data({ ...result.data, next }, result.init ?? {});
}

export default function ConfirmPassword() {
  const { next, back, askPassword, confirmMinutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [form, fields] = useZodForm(confirmForm, { result });
  const confirmed = result?.ok === true;
  // Confirmed: go on to what was asked for (a download leaves this page where it is).
  useEffect(() => {
    if (confirmed) window.location.assign(result.next);
  }, [confirmed, result?.next]);
  return (
    <>
      <PageHeader
        title="Confirm your password"
        description="Exporting customers, like other owner-level actions, needs your password when you have not entered it for a while."
      />
      <Card className="max-w-xl">
        {confirmed ? (
          <div className="space-y-3">
            <Alert tone="success">Password confirmed. Your download starts now.</Alert>
            <p className="text-sm text-stone-600">
              If it does not,{" "}
              <a href={result.next} className="font-medium text-brand-700 hover:underline">
                continue here
              </a>
              .
            </p>
            <Link to={back} className="text-sm text-stone-700 hover:underline">
              Back
            </Link>
          </div>
        ) : (
          <Form method="post" className="space-y-4" {...getFormProps(form)}>
            <input type="hidden" name="next" value={next} />
            {askPassword ? null : (
              <p className="text-sm text-stone-600">
                You entered your password less than {confirmMinutes} minutes ago;{" "}
                <a href={next} className="font-medium text-brand-700 hover:underline">
                  continue
                </a>{" "}
                without it, or confirm it again below.
              </p>
            )}
            <ConfirmPasswordField
              show
              failure={failedResult(result)}
              minutes={confirmMinutes}
              field={fields.yourPassword}
            />
            <div className="flex items-center gap-3">
              <Button busy={nav.state !== "idle"}>Confirm and continue</Button>
              <Link to={back} className="font-medium text-sm text-stone-700 hover:underline">
                Cancel
              </Link>
            </div>
          </Form>
        )}
      </Card>
    </>
  );
}
