import { Button, Heading, Text } from "@react-email/components";
import { brand, buttonStyle, EmailLayout } from "./layout";

export interface ConsentConfirmProps {
  name: string | null;
  channel: "EMAIL" | "SMS";
  /** The consent wording exactly as recorded on the pending event. */
  wording: string;
  confirmUrl: string;
  expiresInDays: number;
}

const what = (channel: ConsentConfirmProps["channel"]) =>
  channel === "EMAIL" ? "Xplorium emails" : "Xplorium SMS messages";

export const consentConfirmSubject = (p: ConsentConfirmProps) =>
  `Please confirm you want ${what(p.channel)}`;

/**
 * Double opt-in: consent that did not come from the signed-in customer counts only once they
 * confirm it here (DESIGN.md "Consent"). Transactional, so it reaches someone not yet opted in.
 */
export function ConsentConfirmEmail({
  name,
  channel,
  wording,
  confirmUrl,
  expiresInDays,
}: ConsentConfirmProps) {
  return (
    <EmailLayout preview={`Please confirm you want ${what(channel)}`}>
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        {name ? `Hi ${name.split(" ")[0]},` : "Hi,"}
      </Heading>
      <Text>
        Please confirm you want {what(channel)}. We were asked to add you with this wording:
      </Text>
      <Text
        data-testid="consent-wording"
        style={{
          borderLeft: `4px solid ${brand.color}`,
          padding: "4px 12px",
          margin: "16px 0",
          fontStyle: "italic",
        }}
      >
        “{wording}”
      </Text>
      <Button href={confirmUrl} style={buttonStyle}>
        Yes, confirm
      </Button>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        The link works for {expiresInDays} days. If you did not ask for this, ignore this email: you
        will not get any {channel === "EMAIL" ? "marketing emails" : "marketing SMS"} from us unless
        you confirm. You can change your mind at any time in your Xplorium account.
      </Text>
    </EmailLayout>
  );
}
