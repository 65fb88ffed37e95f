import { sql } from "drizzle-orm";
import { boolean, check, pgTable, smallint, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { staffUsers } from "./staff";

/**
 * Marketing's own switches, edited in the admin (Marketing → Settings); one row (id 1).
 * `track_opens_clicks` off (the default, ADR "email tracking"): opens and clicks reported by
 * the provider are dropped, never stored against a person.
 */
export const marketingSettings = pgTable(
  "marketing_settings",
  {
    id: smallint("id").primaryKey().default(1),
    trackOpensClicks: boolean("track_opens_clicks").notNull().default(false),
    updatedByStaffId: uuid("updated_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("marketing_settings_singleton", sql`${t.id} = 1`)],
);
