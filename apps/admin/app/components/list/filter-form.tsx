import { Form, Link, useSubmit } from "@remix-run/react";
import { Spinner } from "@xplorium/ui";
import { type ReactNode, useEffect, useRef } from "react";

/**
 * A list page's filter form: GET, so the filters land in the URL; it submits itself a moment
 * after the last change (search as you type) and replaces the history entry; without
 * JavaScript an Apply button shows.
 */
export function FilterForm({
  children,
  className,
  clearHref,
  filtered,
  busy,
  busyLabel,
  footer,
}: {
  children: ReactNode;
  className: string;
  /** Where "Clear filters" leads; shown only when `filtered`. */
  clearHref: string;
  filtered: boolean;
  busy: boolean;
  busyLabel: string;
  footer?: ReactNode;
}) {
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Form
      method="get"
      role="search"
      className={`mb-4 grid gap-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm ${className}`}
      onChange={(e) => {
        const form = e.currentTarget;
        clearTimeout(timer.current);
        timer.current = setTimeout(
          () => submit(form, { replace: true, preventScrollReset: true }),
          250,
        );
      }}
    >
      {children}
      <div className="col-span-full flex items-center gap-3">
        <noscript>
          <button
            type="submit"
            className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-sm text-white"
          >
            Apply
          </button>
        </noscript>
        {filtered ? (
          <Link to={clearHref} className="text-brand-700 text-sm hover:underline">
            Clear filters
          </Link>
        ) : null}
        {footer}
        {busy ? <Spinner label={busyLabel} /> : null}
      </div>
    </Form>
  );
}

/** "← First page" / "Next page →" for keyset-paginated lists. */
export function Pager({
  firstHref,
  nextHref,
}: {
  /** Null on the first page. */
  firstHref: string | null;
  /** Null on the last page. */
  nextHref: string | null;
}) {
  return (
    <nav aria-label="Pages" className="mt-4 flex gap-4 text-sm">
      {firstHref ? (
        <Link to={firstHref} className="font-medium text-brand-700 hover:underline">
          ← First page
        </Link>
      ) : null}
      {nextHref ? (
        <Link to={nextHref} className="font-medium text-brand-700 hover:underline">
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}

/** The current URL's query with some keys changed (null removes), as a relative link. */
export function hrefWith(params: URLSearchParams, changes: Record<string, string | null>) {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  return qs ? `?${qs}` : "?";
}
