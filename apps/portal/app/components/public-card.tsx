import { cn } from "@xplorium/ui";
import type { ReactNode } from "react";

/**
 * The frame of the portal's signed-out pages (sign-in, sign-up, the links from our emails): a
 * white card on the brand gradient with the name and the page's title.
 */
export function PublicCard({
  title,
  wide = false,
  className,
  children,
}: {
  title: ReactNode;
  /** The links from emails (unsubscribe, consent) have longer text: a wider card. */
  wide?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4 py-8">
      <div
        className={cn(
          "w-full space-y-4 rounded-3xl bg-white shadow-lg ring-1 ring-stone-200",
          wide ? "max-w-md p-6 sm:p-7" : "max-w-sm p-7",
          className,
        )}
      >
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="font-bold text-2xl text-stone-900">{title}</h1>
        {children}
      </div>
    </main>
  );
}
