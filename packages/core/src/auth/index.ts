/** The auth domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export {
  LINK_FAILED,
  requestCustomerCode,
  verifyCustomerCodeOrSignUp,
  verifyCustomerLink,
} from "./customer-sign-in";
export { openSignUpLink, signUpCustomer, signUpInput } from "./customer-sign-up";
export { changeOwnPassword } from "./staff-password";
export { confirmStaffPassword } from "./staff-password-confirm";
export {
  checkStaffPasswordReset,
  purgeStalePasswordResets,
  requestStaffPasswordReset,
  resetStaffPassword,
} from "./staff-password-reset";
export { signInStaff } from "./staff-sign-in";
export {
  completeStaffSignIn,
  confirmTwoFactorEnrolment,
  disableTwoFactor,
  purgeExpiredSignInChallenges,
  regenerateRecoveryCodes,
  resetStaffTwoFactor,
  securitySettingsView,
  setRequireStaffTwoFactor,
  startTwoFactorEnrolment,
  twoFactorStatus,
} from "./staff-two-factor";
