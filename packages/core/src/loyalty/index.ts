/** The loyalty domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { checkLedger } from "./ledger-check";
export { runPointsExpiry } from "./points-expiry";
export {
  applyReferralCode,
  referralApplyForInput,
  referralApplyInput,
  referralCodeSchema,
  referralSummary,
} from "./referrals";
export {
  createReward,
  listRewards,
  rewardCreateInput,
  rewardUpdateInput,
  updateReward,
} from "./rewards";
export { loyaltyRulesSummary } from "./rules-summary";
export { adjustPoints, adjustPointsInput, setVip, setVipInput } from "./staff-adjustments";
export { tierHistory, tierHistoryInput } from "./tier-history";
export {
  cancelVoucher,
  cancelVoucherInput,
  expireVouchers,
  listRecentVouchers,
  listVouchersForCustomer,
  lookupVoucher,
  markVoucherUsed,
  redeemReward,
  redeemRewardInput,
  voucherCodeInput,
  voucherIdInput,
  voucherListInput,
} from "./vouchers";
