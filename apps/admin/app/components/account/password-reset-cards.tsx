import { Link } from "@remix-run/react";
import { CardLink, PublicCard } from "./public-card";

/**
 * "Forgot password?" after the request: the same words for every address (a member's, a
 * disabled member's, nobody's), only the address itself differs.
 */
export interface ResetSent {
  email: string;
  expiresInMinutes: number;
}

export function ResetSentCard({ email, expiresInMinutes }: ResetSent) {
  return (
    <PublicCard title="Check your email">
      <div className="space-y-4 text-sm text-stone-700" role="status" data-testid="reset-sent">
        <p>
          If <span className="font-medium text-stone-900">{email}</span> belongs to a staff account,
          we&apos;ve sent a link to choose a new password. It works once, within {expiresInMinutes}{" "}
          minutes.
        </p>
        <p>
          Nothing after a few minutes? Look in the spam folder, or ask an owner to set a new
          password for you on the Staff page.
        </p>
        <CardLink to="/sign-in">Back to sign-in</CardLink>
      </div>
    </PublicCard>
  );
}

/** The reset link cannot be used (none, used, expired or superseded): a new one is a click away. */
export function ResetLinkInvalidCard() {
  return (
    <PublicCard title="This link has expired or was already used">
      <div className="space-y-4 text-sm text-stone-700" data-testid="reset-link-invalid">
        <p>
          A link to reset your password works once, for one hour, and asking for a new link ends the
          older ones.
        </p>
        <Link
          to="/forgot-password"
          className="inline-flex w-full items-center justify-center rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
        >
          Email me a new link
        </Link>
        <CardLink to="/sign-in">Back to sign-in</CardLink>
      </div>
    </PublicCard>
  );
}
