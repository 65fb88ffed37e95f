import type { ReactElement } from "react";
import {
  AccountErasedEmail,
  type AccountErasedProps,
  accountErasedSubject,
} from "./account-erased";
import {
  ConsentConfirmEmail,
  type ConsentConfirmProps,
  consentConfirmSubject,
} from "./consent-confirm";
import {
  PointsExpiryWarningEmail,
  type PointsExpiryWarningProps,
  pointsExpiryWarningSubject,
} from "./points-expiry-warning";
import { SignInCodeEmail, type SignInCodeProps, signInCodeSubject } from "./sign-in-code";
import { SignUpCodeEmail, type SignUpCodeProps, signUpCodeSubject } from "./sign-up-code";

export interface TemplateDef<P> {
  kind: "TRANSACTIONAL" | "MARKETING";
  subject: (props: P) => string;
  component: (props: P) => ReactElement;
  /** Sample props for `pnpm email:preview`. */
  sample: P;
  /**
   * Only the erasure confirmation: delivered although its address is suppressed for ERASURE
   * (it was queued just before), and its address and body are dropped once it is delivered.
   */
  deliverAfterErasure?: boolean;
}

function define<P>(def: TemplateDef<P>): TemplateDef<P> {
  return def;
}

/** Every email the product sends, by name. */
export const templates = {
  "sign-in-code": define<SignInCodeProps>({
    kind: "TRANSACTIONAL",
    subject: signInCodeSubject,
    component: SignInCodeEmail,
    sample: {
      name: "Ana Petrović",
      code: "482913",
      magicLink: "http://localhost:3001/auth/link?token=example",
      expiresInMinutes: 10,
    },
  }),
  "sign-up-code": define<SignUpCodeProps>({
    kind: "TRANSACTIONAL",
    subject: signUpCodeSubject,
    component: SignUpCodeEmail,
    sample: {
      code: "482913",
      signUpLink: "http://localhost:3001/sign-up?token=example",
      expiresInMinutes: 10,
    },
  }),
  "consent-confirm": define<ConsentConfirmProps>({
    kind: "TRANSACTIONAL",
    subject: consentConfirmSubject,
    component: ConsentConfirmEmail,
    sample: {
      name: "Ana Petrović",
      channel: "EMAIL",
      wording: "Send me news, offers and birthday treats from Xplorium by email.",
      confirmUrl: "http://localhost:3001/consent/confirm/example",
      expiresInDays: 7,
    },
  }),
  "points-expiry-warning": define<PointsExpiryWarningProps>({
    kind: "TRANSACTIONAL",
    subject: pointsExpiryWarningSubject,
    component: PointsExpiryWarningEmail,
    sample: {
      name: "Ana Petrović",
      points: 1250,
      expiresOn: "2027-03-14",
      months: 12,
      portalUrl: "http://localhost:3001/",
    },
  }),
  "account-erased": define<AccountErasedProps>({
    kind: "TRANSACTIONAL",
    subject: accountErasedSubject,
    component: AccountErasedEmail,
    sample: { erasedOn: "24 November 2026", requestedBy: "CUSTOMER" },
    deliverAfterErasure: true,
  }),
};

export type TemplateName = keyof typeof templates;
export type TemplateProps<N extends TemplateName> = (typeof templates)[N]["sample"];

export { EmailLayout, UnsubscribeFooter } from "./layout";
