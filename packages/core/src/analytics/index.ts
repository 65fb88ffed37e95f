/** The analytics domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { analyticsCharts } from "./charts";
export { churnList, churnListInput } from "./churn-list";
export { customerAnalytics, customerAnalyticsInput } from "./customer-analytics";
export { analyticsDashboard, dashboardInput } from "./dashboard";
export { refreshAnalytics } from "./refresh";
export { analyticsRfm } from "./rfm-overview";
