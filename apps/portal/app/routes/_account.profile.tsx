import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { ProfileForm } from "~/components/profile/profile-form";
import { profileForm } from "~/components/profile/profile-forms";
import { formResult, parseForm } from "~/lib/form.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "My profile · My Xplorium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  return data({ profile: await api.portal.profile() }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const submission = parseForm(await request.formData(), profileForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  const { phone, birthDate, ...rest } = submission.value;
  try {
    const r = await api.portal.updateProfile({
      ...rest,
      // Blank: the phone is removed, the birth date left as it is.
      ...(phone ? { phone } : {}),
      ...(birthDate ? { birthDate } : {}),
    });
    return formResult(submission, {
      headers,
      toast: r.changed ? "Profile saved." : "Nothing to change.",
    });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

/** Right to rectification: the customer keeps their own details right. */
export default function Profile() {
  const { profile } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <Toast message={useResultToast(result)} />
      <h1 className="font-bold text-2xl text-stone-900">My profile</h1>
      <p className="mt-1 text-sm text-stone-600">
        Keep your details up to date. We use them only to run your account and your bookings.
      </p>
      <ProfileForm profile={profile} result={result} />
    </div>
  );
}
