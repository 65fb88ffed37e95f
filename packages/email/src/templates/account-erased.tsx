import { Heading, Text } from "@react-email/components";
import { brand, EmailLayout } from "./layout";

export interface AccountErasedProps {
  /** The venue-local date of the erasure, as shown (e.g. "24 November 2026"). */
  erasedOn: string;
  /** Who asked: the customer in the portal, or the venue's staff on the customer's request. */
  requestedBy: "CUSTOMER" | "STAFF";
}

export const accountErasedSubject = (_p: AccountErasedProps) =>
  "Your Xplorium account has been deleted";

/**
 * The last email to an erased customer (DESIGN.md "Privacy"). It is queued in the erasure's
 * transaction, before the address is removed, and its own copy of the address and body is
 * dropped as soon as it has been delivered (deliverEmail). No name: nothing more about the
 * person than the address it goes to.
 */
export function AccountErasedEmail({ erasedOn, requestedBy }: AccountErasedProps) {
  return (
    <EmailLayout preview="Your Xplorium account and personal data have been deleted">
      <Heading as="h1" style={{ fontSize: 20, margin: "0 0 12px" }}>
        Your account has been deleted
      </Heading>
      <Text>
        {requestedBy === "CUSTOMER"
          ? `As you asked, we deleted your Xplorium account on ${erasedOn}.`
          : `As you asked us, we deleted your Xplorium account on ${erasedOn}.`}{" "}
        Your name, email address, phone number, birth date, notes and marketing preferences are
        gone, you have been signed out everywhere, and your points and vouchers can no longer be
        used.
      </Text>
      <Text>
        We keep the dates, types and amounts of past bookings without anything that identifies you,
        because the law requires us to keep accounting records. We also keep a one-way fingerprint
        of your email address (not the address itself), so that we never add it to our lists or
        email it again.
      </Text>
      <Text style={{ color: brand.muted, fontSize: 13, marginTop: 20 }}>
        This is the last email you will get from us. If you did not ask for this, please contact the
        venue.
      </Text>
    </EmailLayout>
  );
}
