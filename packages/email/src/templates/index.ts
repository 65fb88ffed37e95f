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
import { SignInAlertEmail, type SignInAlertProps, signInAlertSubject } from "./sign-in-alert";
import { SignInCodeEmail, type SignInCodeProps, signInCodeSubject } from "./sign-in-code";
import { SignUpCodeEmail, type SignUpCodeProps, signUpCodeSubject } from "./sign-up-code";
import {
  StaffPasswordResetEmail,
  type StaffPasswordResetProps,
  staffPasswordResetSubject,
} from "./staff-password-reset";

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
  /**
   * SET THIS on every email that carries something that signs someone in or lets them act as
   * the account holder: a one-time code, a magic link, a sign-up or password-reset link (and on
   * alerts about such sign-ins). Such an email is a secret that no staff screen, export, API
   * or log shows:
   * - its subject must not hold the secret (a test renders every secret template's sample);
   * - its body is dropped once delivered (in the same update that marks it SENT or FAILED);
   *   only the development outbox (NODE_ENV=development) keeps it, for `validForSeconds`, then
   *   the hourly purge (`dropExpiredSecretBodies`) drops it;
   * - the customer timeline and both personal-data exports show only `label`, time and status.
   */
  secret?: SecretEmail;
}

/** How a secret email is kept and shown (`TemplateDef.secret`). */
export interface SecretEmail {
  /** All that staff screens and exports say about it, past tense: "Sign-in code sent". */
  label: string;
  /** How long the code or link in it works (the development outbox shows it this long). */
  validForSeconds: number;
  /**
   * The development outbox shows it only to the staff member it was addressed to (a staff
   * password-reset link: another role reading it could take over that account, the owner's).
   */
  addresseeOnly?: boolean;
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
    // LOGIN_CODE_TTL_SECONDS (@xplorium/auth); a core test checks they agree.
    secret: { label: "Sign-in code sent", validForSeconds: 10 * 60 },
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
    // A sign-up code works in its 5-minute window and the two before (sign-up-codes.ts in
    // @xplorium/core): up to 15 minutes; a core test checks they agree.
    secret: { label: "Sign-up code sent", validForSeconds: 15 * 60 },
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
  // No `secret`: nothing in it signs in (no code, no link); it says tries failed.
  "sign-in-alert": define<SignInAlertProps>({
    kind: "TRANSACTIONAL",
    subject: signInAlertSubject,
    component: SignInAlertEmail,
    sample: { audience: "CUSTOMER", name: "Ana Petrović", failures: 5 },
  }),
  "account-erased": define<AccountErasedProps>({
    kind: "TRANSACTIONAL",
    subject: accountErasedSubject,
    component: AccountErasedEmail,
    sample: { erasedOn: "24 November 2026", requestedBy: "CUSTOMER" },
    deliverAfterErasure: true,
  }),
  "staff-password-reset": define<StaffPasswordResetProps>({
    kind: "TRANSACTIONAL",
    subject: staffPasswordResetSubject,
    component: StaffPasswordResetEmail,
    sample: {
      name: "Mila Jovanović",
      resetLink: "http://localhost:3000/reset-password/example.example",
      expiresInMinutes: 60,
    },
    // PASSWORD_RESET_TTL_SECONDS (@xplorium/core staff-password-reset.ts).
    secret: { label: "Password reset link sent", validForSeconds: 60 * 60, addresseeOnly: true },
  }),
};

export type TemplateName = keyof typeof templates;

/** The secret templates (`TemplateDef.secret`) by name, for the screens and jobs that hide them. */
export const SECRET_TEMPLATES: ReadonlyMap<string, SecretEmail> = new Map(
  Object.entries(templates).flatMap(([name, def]) => {
    const secret = (def as TemplateDef<unknown>).secret;
    return secret ? [[name, secret] as const] : [];
  }),
);

/**
 * The templates still delivered to an address suppressed by its own erasure
 * (`TemplateDef.deliverAfterErasure`: only the erasure confirmation).
 */
export const AFTER_ERASURE_TEMPLATES: ReadonlySet<string> = new Set(
  Object.entries(templates)
    .filter(([, def]) => (def as TemplateDef<unknown>).deliverAfterErasure)
    .map(([name]) => name),
);
export type TemplateProps<N extends TemplateName> = (typeof templates)[N]["sample"];

export { EmailLayout, UnsubscribeFooter } from "./layout";
