import { bigserial, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { actorType } from "./enums";

/** Who did what to which record; every staff mutation writes one row. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type"),
    entityId: text("entity_id"),
    details: jsonb("details"),
    ip: text("ip"),
    requestId: text("request_id"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt.desc(), t.id),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_actor_idx").on(t.actorType, t.actorId),
  ],
);
