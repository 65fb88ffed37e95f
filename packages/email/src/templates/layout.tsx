import {
  Body,
  Container,
  Head,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";

export const brand = {
  name: "Xplorium",
  color: "#0f766e",
  background: "#f5f7f4",
  text: "#1f2937",
  muted: "#6b7280",
};

/** The call-to-action button every transactional email uses. */
export const buttonStyle = {
  backgroundColor: brand.color,
  color: "#fff",
  padding: "12px 20px",
  borderRadius: 8,
};

/** A sign-in or sign-up code, large and spaced for reading off the screen. */
export const codeStyle = {
  fontSize: 32,
  fontWeight: 700,
  letterSpacing: 6,
  color: brand.color,
  margin: "16px 0",
};

export interface LayoutProps {
  preview: string;
  children: ReactNode;
  /** Marketing mail carries its unsubscribe link here (DESIGN.md "Consent"). */
  footer?: ReactNode;
  /**
   * Marketing mail: the recipient's one-click unsubscribe link (`unsubscribeUrl` in
   * @xplorium/core), shown as the standard footer. Transactional mail leaves it out.
   */
  unsubscribeUrl?: string;
}

/** The footer every marketing email ends with: why they get it and the way out. */
export function UnsubscribeFooter({ url }: { url: string }) {
  return (
    <Text style={{ fontSize: 12, color: brand.muted, margin: "8px 0 0" }}>
      You get this email because you chose to hear from Xplorium.{" "}
      <Link href={url} style={{ color: brand.color, textDecoration: "underline" }}>
        Unsubscribe
      </Link>{" "}
      at any time; it takes one click.
    </Text>
  );
}

/** The branded frame every email is rendered inside. */
export function EmailLayout({ preview, children, footer, unsubscribeUrl }: LayoutProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{
          backgroundColor: brand.background,
          fontFamily: "Helvetica, Arial, sans-serif",
          margin: 0,
        }}
      >
        <Container style={{ maxWidth: 520, margin: "0 auto", padding: "32px 16px" }}>
          <Text style={{ fontSize: 22, fontWeight: 700, color: brand.color, margin: "0 0 16px" }}>
            {brand.name}
          </Text>
          <Section
            style={{
              backgroundColor: "#ffffff",
              borderRadius: 12,
              padding: "24px 28px",
              color: brand.text,
            }}
          >
            {children}
          </Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Text style={{ fontSize: 12, color: brand.muted, margin: 0 }}>
            Xplorium family entertainment · playground, café and parties
          </Text>
          {unsubscribeUrl ? <UnsubscribeFooter url={unsubscribeUrl} /> : null}
          {footer}
        </Container>
      </Body>
    </Html>
  );
}
