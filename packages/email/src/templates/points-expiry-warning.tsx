import { Button, Heading, Text } from "@react-email/components";
import { brand, buttonStyle, EmailLayout } from "./layout";

export interface PointsExpiryWarningProps {
  name: string | null;
  points: number;
  /** The venue-local calendar date the points expire on, "YYYY-MM-DD". */
  expiresOn: string;
  /** Months without a completed booking after which points expire (POINTS_EXPIRY_MONTHS). */
  months: number;
  /** Where the customer sees their points and rewards (the portal). */
  portalUrl: string;
}

const points = (n: number) => new Intl.NumberFormat("en-GB").format(n);
/** A calendar date, the same day wherever the mail is rendered. */
const day = (isoDate: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

export const pointsExpiryWarningSubject = (p: PointsExpiryWarningProps) =>
  `Your ${points(p.points)} points expire on ${day(p.expiresOn)}`;

/**
 * Sent once per customer per expiry, some days before points expire for inactivity (DESIGN.md
 * "Earning rules"). Transactional: it is about the customer's own account, not an offer.
 */
export function PointsExpiryWarningEmail(p: PointsExpiryWarningProps) {
  return (
    <EmailLayout preview={pointsExpiryWarningSubject(p)}>
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        {p.name ? `Hi ${p.name.split(" ")[0]},` : "Hi,"}
      </Heading>
      <Text>
        Your{" "}
        <strong data-testid="expiring-points" style={{ color: brand.color }}>
          {`${points(p.points)} Xplorium points`}
        </strong>{" "}
        {`expire on ${day(p.expiresOn)}.`}
      </Text>
      <Text>
        {`Points expire after ${p.months} ${p.months === 1 ? "month" : "months"} without a visit.`}{" "}
        Come and play before then and they stay yours: any completed booking starts the clock again.
        Or treat yourself now and spend them on a reward.
      </Text>
      <Button href={p.portalUrl} style={buttonStyle}>
        See my points and rewards
      </Button>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        You are getting this email because you have points in the Xplorium loyalty programme.
      </Text>
    </EmailLayout>
  );
}
