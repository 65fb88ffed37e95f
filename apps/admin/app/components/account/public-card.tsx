import type { ReactNode } from "react";

/** The frame of the signed-out pages (forgot password, reset password), as on the sign-in page. */
export function PublicCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4">
      <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-lg ring-1 ring-stone-200">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Xplorium CRM</p>
        <h1 className="mt-1 mb-6 text-2xl font-bold text-stone-900">{title}</h1>
        {children}
      </div>
    </main>
  );
}
