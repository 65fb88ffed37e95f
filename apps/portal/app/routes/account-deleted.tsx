import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Account deleted · Xplorium" }];

/** Where the portal goes after "Delete my account": signed out, nothing of theirs left to show. */
export default function AccountDeleted() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-sun-100 px-4 py-8">
      <div className="w-full max-w-md space-y-4 rounded-3xl bg-white p-6 shadow-lg ring-1 ring-stone-200 sm:p-7">
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="font-bold text-2xl text-stone-900">Your account has been deleted</h1>
        <p className="text-sm text-stone-700">
          Your personal data is gone and you have been signed out everywhere. We have sent one last
          email to confirm it; after that we will not email you again.
        </p>
        <p className="text-sm text-stone-600">Thank you for the time you spent with us.</p>
      </div>
    </main>
  );
}
