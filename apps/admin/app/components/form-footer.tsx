import { Link, useNavigation } from "@remix-run/react";
import { Button, type FormResultLike } from "@xplorium/ui";

/**
 * The end of a page that is one form (a new booking, a new customer): the refusal's message,
 * the submit button (busy while it posts) and Cancel back to the list.
 */
export function FormFooter({
  result,
  submit,
  cancelTo,
}: {
  result: FormResultLike | undefined;
  submit: string;
  cancelTo: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      {result && !result.ok ? (
        <p role="alert" className="text-red-600 text-sm sm:col-span-2">
          {result.message}
        </p>
      ) : null}
      <div className="flex gap-2 sm:col-span-2">
        <Button busy={busy}>{submit}</Button>
        <Link
          to={cancelTo}
          className="rounded-lg px-4 py-2 font-semibold text-sm text-stone-700 hover:bg-stone-100"
        >
          Cancel
        </Link>
      </div>
    </>
  );
}
