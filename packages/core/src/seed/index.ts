export { isEmptyDatabase, type SeedSummary, seedDemoData } from "./demo-data";
export { DEMO_CUSTOMER_EMAIL, DEMO_STAFF, signInDetails } from "./demo-staff";
