import { Heading, Text } from "@react-email/components";
import { brand, EmailLayout } from "./layout";

export interface SignInAlertProps {
  /** A family's portal account (wrong codes) or a staff member's admin account (wrong passwords). */
  audience: "CUSTOMER" | "STAFF";
  name: string | null;
  /** How many tries had failed when the alert was sent (SIGN_IN_ALERT in @xplorium/core). */
  failures: number;
}

export const signInAlertSubject = (_p: SignInAlertProps) =>
  "Someone tried to sign in to your Xplorium account";

/**
 * Sent to the holder of an account that sees repeated failed sign-ins (issue 14), at most once
 * a day (countFailedSignIn in @xplorium/core). It holds nothing that signs in: no code, no
 * password, no link (an alert with a link is what phishing looks like); nor where the tries came
 * from. Only what happened and what to do.
 */
export function SignInAlertEmail({ audience, name, failures }: SignInAlertProps) {
  const customer = audience === "CUSTOMER";
  return (
    <EmailLayout preview="Failed sign-in tries on your Xplorium account">
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        {name ? `Hi ${name.split(" ")[0]},` : "Hi,"}
      </Heading>
      <Text>
        {customer
          ? `Someone typed a wrong sign-in code for your email address ${failures} times today.`
          : `Someone typed a wrong password for your Xplorium staff account ${failures} times today.`}{" "}
        None of those tries got in.
      </Text>
      <Text>
        {customer
          ? "If it was you, there is nothing to do: ask for a new code and use the latest email. If it was not you, your account is still safe, since nobody can sign in without the code we email only to you. Never share a code with anyone, including our staff."
          : "If it was you, there is nothing to do. If it was not you, your password held, but change it once you are signed in, and tell the venue's owner. Sign-in slows down after repeated wrong passwords, so you may have to wait a few minutes before your next try."}
      </Text>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        We send this at most once a day. It is about your account's safety, so it is sent whatever
        your marketing choices.
      </Text>
    </EmailLayout>
  );
}
