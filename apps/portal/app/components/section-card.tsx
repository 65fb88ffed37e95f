import { cn } from "@xplorium/ui";
import type { ReactNode } from "react";

/** The white card of the signed-in pages, for content that is not a section of its own. */
export const CARD_CLASS = "rounded-2xl bg-white p-5 shadow-sm ring-1 ring-stone-200";

/**
 * A section of a signed-in page: a white card labelled by its heading, with an optional link or
 * action beside the heading ("All rewards", "Full history").
 */
export function SectionCard({
  id,
  title,
  aside,
  className,
  children,
}: {
  /** The heading's id (the section's aria-labelledby). */
  id: string;
  title: string;
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const heading = (
    <h2 id={id} className="font-semibold text-lg text-stone-900">
      {title}
    </h2>
  );
  return (
    <section aria-labelledby={id} className={cn(CARD_CLASS, className)}>
      {aside ? (
        <div className="flex items-baseline justify-between gap-3">
          {heading}
          {aside}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}
