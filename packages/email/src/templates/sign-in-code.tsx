import { Button, Heading, Text } from "@react-email/components";
import { brand, buttonStyle, codeStyle, EmailLayout } from "./layout";

export interface SignInCodeProps {
  name: string | null;
  code: string;
  magicLink: string;
  expiresInMinutes: number;
}

/**
 * No code in the subject: subjects are what inbox previews, lock screens and the `email_messages`
 * row keep; the code is only in the body, which is not kept after delivery (`secret` in
 * ./index.ts).
 */
export const signInCodeSubject = (_p: SignInCodeProps) => "Your Xplorium sign-in code";

export function SignInCodeEmail({ name, code, magicLink, expiresInMinutes }: SignInCodeProps) {
  return (
    <EmailLayout preview={`Your sign-in code is ${code}`}>
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        {name ? `Hi ${name.split(" ")[0]},` : "Hi,"}
      </Heading>
      <Text>Use this code to sign in to your Xplorium account:</Text>
      <Text data-testid="sign-in-code" style={codeStyle}>
        {code}
      </Text>
      <Text>Or sign in with one click:</Text>
      <Button href={magicLink} style={buttonStyle}>
        Sign in to Xplorium
      </Button>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        The code and link work once and expire in {expiresInMinutes} minutes. If you did not ask to
        sign in, ignore this email: nobody can sign in without the code.
      </Text>
    </EmailLayout>
  );
}
