import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

/** A calm error boundary: status and a short message, never a stack trace. */
export function ErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string" && error.data
      ? error.data
      : error.statusText
    : "Something went wrong on our side. Please try again.";
  return (
    <div className="mx-auto max-w-lg px-6 py-20 text-center">
      <p className="text-5xl font-bold text-brand-700">{status}</p>
      <h1 className="mt-3 text-xl font-semibold text-stone-900">
        {status === 404
          ? "We could not find that page."
          : status === 403
            ? "You cannot open this page."
            : "Sorry, that did not work."}
      </h1>
      <p className="mt-2 text-stone-600">{message}</p>
      <a
        href="/"
        className="mt-6 inline-block rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold text-white"
      >
        Back to the start
      </a>
    </div>
  );
}
