import { ROLE_PERMISSIONS, type StaffRole } from "@xplorium/auth";
import {
  analyticsCharts,
  analyticsDashboard,
  analyticsRfm,
  churnList,
  churnListInput,
  customerAnalytics,
  customerAnalyticsInput,
  dashboardInput,
} from "@xplorium/core/analytics";
import { createTRPCRouter, staffProcedure } from "../trpc";

/** Whether the member's role may see venue-level money (`read:revenue`). */
const includeRevenue = (actor: { role: StaffRole }) =>
  ROLE_PERMISSIONS[actor.role].has("read:revenue");

/**
 * Analytics (DESIGN.md "Analytics"; ADR on what the front desk sees). Every figure reads the
 * snapshot the worker refreshes. Venue-level money (revenue, average lifetime value, lifetime
 * value by tier) is left out, server-side, for roles without `read:revenue`.
 */
export const analyticsRouter = createTRPCRouter({
  /** KPI tiles for a range of venue days, each with the previous period's figure. */
  dashboard: staffProcedure("read:dashboard")
    .input(dashboardInput)
    .query(({ ctx, input }) =>
      analyticsDashboard(ctx.deps, { ...input, includeRevenue: includeRevenue(ctx.actor) }),
    ),

  /** The dashboard's charts for the same range, and the all-time distributions. */
  charts: staffProcedure("read:dashboard")
    .input(dashboardInput)
    .query(({ ctx, input }) =>
      analyticsCharts(ctx.deps, { ...input, includeRevenue: includeRevenue(ctx.actor) }),
    ),

  /** RFM segment counts and grid, score bounds and churn levels (marketing's insights page). */
  rfmSegments: staffProcedure("read:marketing").query(({ ctx }) => analyticsRfm(ctx.deps)),

  /** Customers likely to churn, most overdue first (keyset pages). */
  churnList: staffProcedure("read:marketing")
    .input(churnListInput)
    .query(({ ctx, input }) => churnList(ctx.deps, input)),

  /** One customer's RFM segment, churn score and lifetime value (their page). */
  customerAnalytics: staffProcedure("read:customer")
    .input(customerAnalyticsInput)
    .query(({ ctx, input }) => customerAnalytics(ctx.deps, input)),
});
