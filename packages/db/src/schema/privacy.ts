import { index, pgTable, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { customers } from "./customers";
import { gdprRequestSource, gdprRequestStatus, gdprRequestType } from "./enums";
import { staffUsers } from "./staff";

export const gdprRequests = pgTable(
  "gdpr_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    type: gdprRequestType("type").notNull(),
    source: gdprRequestSource("source").notNull(),
    status: gdprRequestStatus("status").notNull().default("PENDING"),
    requestedByStaffId: uuid("requested_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    completedAt: tstz("completed_at"),
  },
  (t) => [index("gdpr_requests_customer_idx").on(t.customerId)],
);
