import { schema } from "@xplorium/db";
import { and, desc, eq, gte, ilike, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";

const { apiKeys, auditLog, staffUsers } = schema;

export const auditListInput = z.object({
  /** Matches the start of the action, e.g. "staff." or "auth.staff.sign_in". */
  action: z.string().trim().max(80).optional(),
  actorType: z.enum(["STAFF", "CUSTOMER", "API_KEY", "SYSTEM"]).optional(),
  actorId: z.string().max(80).optional(),
  entityType: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(80).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  /** The id of the last entry seen; ids grow with time, so they order the log exactly. */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AuditListInput = z.input<typeof auditListInput>;

/**
 * The audit log, newest first, keyset-paginated on its id (a timestamp cursor would lose rows:
 * JavaScript dates stop at milliseconds, PostgreSQL keeps microseconds), with staff names.
 */
export async function listAudit({ db }: DepsWith<"db">, raw: AuditListInput) {
  const input = auditListInput.parse(raw);
  const rows = await db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      actorType: auditLog.actorType,
      actorId: auditLog.actorId,
      // The staff member, or the API key ("Booking site") that acted.
      actorName: sql<string | null>`coalesce(${staffUsers.name}, ${apiKeys.name})`,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      details: auditLog.details,
      ip: auditLog.ip,
      requestId: auditLog.requestId,
    })
    .from(auditLog)
    .leftJoin(
      staffUsers,
      and(eq(auditLog.actorType, "STAFF"), eq(auditLog.actorId, sql`${staffUsers.id}::text`)),
    )
    .leftJoin(
      apiKeys,
      and(eq(auditLog.actorType, "API_KEY"), eq(auditLog.actorId, sql`${apiKeys.id}::text`)),
    )
    .where(
      and(
        input.action
          ? ilike(auditLog.action, `${input.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
          : undefined,
        input.actorType ? eq(auditLog.actorType, input.actorType) : undefined,
        input.actorId ? eq(auditLog.actorId, input.actorId) : undefined,
        input.entityType ? eq(auditLog.entityType, input.entityType) : undefined,
        input.entityId ? eq(auditLog.entityId, input.entityId) : undefined,
        input.from ? gte(auditLog.createdAt, input.from) : undefined,
        input.to ? lte(auditLog.createdAt, input.to) : undefined,
        input.cursor ? lt(auditLog.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rows.length > input.limit && last ? last.id : null,
  };
}
