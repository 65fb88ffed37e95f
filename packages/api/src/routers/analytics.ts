import { ROLE_PERMISSIONS } from "@xplorium/auth";
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
      analyticsDashboard(ctx.db, input, {
        timeZone: ctx.env.TIME_ZONE,
        includeRevenue: ROLE_PERMISSIONS[ctx.actor.role].has("read:revenue"),
      }),
    ),

  /** The dashboard's charts for the same range, and the all-time distributions. */
  charts: staffProcedure("read:dashboard")
    .input(dashboardInput)
    .query(({ ctx, input }) =>
      analyticsCharts(ctx.db, input, {
        timeZone: ctx.env.TIME_ZONE,
        includeRevenue: ROLE_PERMISSIONS[ctx.actor.role].has("read:revenue"),
      }),
    ),

  /** RFM segment counts and grid, score bounds and churn levels (marketing's insights page). */
  rfmSegments: staffProcedure("read:marketing").query(({ ctx }) => analyticsRfm(ctx.db)),

  /** Customers likely to churn, most overdue first (keyset pages). */
  churnList: staffProcedure("read:marketing")
    .input(churnListInput)
    .query(({ ctx, input }) => churnList(ctx.db, input)),

  /** One customer's RFM segment, churn score and lifetime value (their page). */
  customerAnalytics: staffProcedure("read:customer")
    .input(customerAnalyticsInput)
    .query(({ ctx, input }) => customerAnalytics(ctx.db, input)),
});
