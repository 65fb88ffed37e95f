import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** The frame of the signed-out pages: sign-in, forgot password, reset password. */
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

/** A centred link under a signed-out card's form (sign-in, "Forgot password?"). */
export function CardLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="text-center text-sm">
      <Link to={to} className="font-medium text-brand-700 hover:underline">
        {children}
      </Link>
    </p>
  );
}
