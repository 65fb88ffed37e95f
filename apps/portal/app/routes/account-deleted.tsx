import type { MetaFunction } from "@remix-run/node";
import { PublicCard } from "~/components/public-card";

export const meta: MetaFunction = () => [{ title: "Account deleted · Xplorium" }];

/** Where the portal goes after "Delete my account": signed out, nothing of theirs left to show. */
export default function AccountDeleted() {
  return (
    <PublicCard title="Your account has been deleted" wide>
      <p className="text-sm text-stone-700">
        Your personal data is gone and you have been signed out everywhere. We have sent one last
        email to confirm it; after that we will not email you again.
      </p>
      <p className="text-sm text-stone-600">Thank you for the time you spent with us.</p>
    </PublicCard>
  );
}
