import { type DbOrTx, schema } from "@xplorium/db";
import type { Actor, RequestMeta } from "../actor";

const ACTOR_TYPE = {
  staff: "STAFF",
  customer: "CUSTOMER",
  apiKey: "API_KEY",
  system: "SYSTEM",
} as const;

export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string;
  details?: Record<string, unknown>;
}

/** Writes one audit row; call it inside the transaction of the change it describes. */
export async function recordAudit(
  db: DbOrTx,
  actor: Actor,
  meta: RequestMeta,
  entry: AuditEntry,
): Promise<void> {
  await db.insert(schema.auditLog).values({
    actorType: ACTOR_TYPE[actor.type],
    actorId: actor.id ?? null,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    details: entry.details ?? null,
    ip: meta.ip,
    requestId: meta.requestId,
  });
}
