import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { jobRunStatus } from "./enums";
import { staffUsers } from "./staff";

/**
 * Long work that staff start and watch (sync from bookings, exports, sends): one row per run,
 * written by the worker as it goes, polled by the admin for progress and the result.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    status: jobRunStatus("status").notNull().default("QUEUED"),
    // { step, total?, done?, message? } while running.
    progress: jsonb("progress").$type<Record<string, unknown>>(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    requestedByStaffId: uuid("requested_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
  },
  (t) => [index("job_runs_kind_created_idx").on(t.kind, t.createdAt.desc())],
);
