import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { analyticsRouter } from "./routers/analytics";
import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { automationsRouter } from "./routers/automations";
import { bookingsRouter } from "./routers/bookings";
import { campaignsRouter } from "./routers/campaigns";
import { consentRouter } from "./routers/consent";
import { customersRouter } from "./routers/customers";
import { loyaltyRouter } from "./routers/loyalty";
import { marketingRouter, segmentsRouter } from "./routers/marketing";
import { outboxRouter } from "./routers/outbox";
import { portalRouter } from "./routers/portal";
import { referralsRouter } from "./routers/referrals";
import { rewardsRouter } from "./routers/rewards";
import { securityRouter } from "./routers/security";
import { staffRouter } from "./routers/staff";
import { trackingRouter } from "./routers/tracking";
import { twoFactorRouter } from "./routers/two-factor";
import { vouchersRouter } from "./routers/vouchers";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  audit: auditRouter,
  auth: authRouter,
  bookings: bookingsRouter,
  customers: customersRouter,
  loyalty: loyaltyRouter,
  staff: staffRouter,
  portal: portalRouter,
  outbox: outboxRouter,
  apiKeys: apiKeysRouter,
  consent: consentRouter,
  referrals: referralsRouter,
  rewards: rewardsRouter,
  vouchers: vouchersRouter,
  marketing: marketingRouter,
  segments: segmentsRouter,
  tracking: trackingRouter,
  automations: automationsRouter,
  campaigns: campaignsRouter,
  analytics: analyticsRouter,
  twoFactor: twoFactorRouter,
  security: securityRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
