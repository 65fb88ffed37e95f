import { Button, Heading, Text } from "@react-email/components";
import { brand, buttonStyle, codeStyle, EmailLayout } from "./layout";

export interface SignUpCodeProps {
  code: string;
  signUpLink: string;
  expiresInMinutes: number;
}

/** No code in the subject (see sign-in-code.tsx). */
export const signUpCodeSubject = (_p: SignUpCodeProps) =>
  "Your code to create your Xplorium account";

/** Sent when an address that has no account yet asks for a sign-in code. */
export function SignUpCodeEmail({ code, signUpLink, expiresInMinutes }: SignUpCodeProps) {
  return (
    <EmailLayout preview={`Your code is ${code}`}>
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        Welcome to Xplorium!
      </Heading>
      <Text>
        There is no Xplorium account for this email address yet. Use this code to create one:
      </Text>
      <Text data-testid="sign-up-code" style={codeStyle}>
        {code}
      </Text>
      <Text>Or continue with one click:</Text>
      <Button href={signUpLink} style={buttonStyle}>
        Create my account
      </Button>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        The code and link expire in {expiresInMinutes} minutes. If you did not ask for this, ignore
        this email: no account is created without the code.
      </Text>
    </EmailLayout>
  );
}
