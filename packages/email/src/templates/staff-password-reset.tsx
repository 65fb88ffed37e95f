import { Button, Heading, Link, Text } from "@react-email/components";
import { brand, buttonStyle, EmailLayout } from "./layout";

export interface StaffPasswordResetProps {
  name: string;
  /** `${ADMIN_URL}/reset-password/<id>.<secret>`: single use. */
  resetLink: string;
  expiresInMinutes: number;
}

/** Nothing secret in the subject: subjects are kept and shown; the link is only in the body. */
export const staffPasswordResetSubject = (_p: StaffPasswordResetProps) =>
  "Reset your Xplorium CRM password";

/** "Forgot password?" on the admin sign-in page: a link to choose a new password. */
export function StaffPasswordResetEmail({
  name,
  resetLink,
  expiresInMinutes,
}: StaffPasswordResetProps) {
  return (
    <EmailLayout preview="A link to choose a new password for Xplorium CRM">
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        Hi {name.split(" ")[0]},
      </Heading>
      <Text>
        Someone (we hope you) asked to reset the password of your Xplorium CRM staff account. Choose
        a new one here:
      </Text>
      <Button href={resetLink} style={buttonStyle}>
        Choose a new password
      </Button>
      <Text style={{ fontSize: 13, marginTop: 16 }}>
        Or copy this address into your browser:{" "}
        <Link href={resetLink} style={{ color: brand.color, wordBreak: "break-all" }}>
          {resetLink}
        </Link>
      </Text>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        The link works once and expires in {expiresInMinutes} minutes; asking for another one ends
        this one. Setting a new password signs you out everywhere. If you did not ask for this,
        ignore this email: your password stays as it is.
      </Text>
    </EmailLayout>
  );
}
