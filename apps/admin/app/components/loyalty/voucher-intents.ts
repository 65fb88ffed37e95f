/** The intents /loyalty/vouchers' action answers; the customer page's vouchers card posts there too. */
export const VOUCHER_ACTION_PATH = "/loyalty/vouchers";

export const VOUCHER_INTENTS = {
  markUsed: "markUsed",
  cancel: "cancel",
  redeem: "redeem",
} as const;
