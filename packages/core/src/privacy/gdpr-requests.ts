import { schema } from "@xplorium/db";
import { desc, eq } from "drizzle-orm";
import type { DepsWith } from "../deps";

const { gdprRequests, staffUsers } = schema;

/** A customer's GDPR requests for the admin's privacy card, newest first, with who ran them. */
export async function listGdprRequests(
  { db }: DepsWith<"db">,
  { customerId }: { customerId: string },
) {
  return db
    .select({
      id: gdprRequests.id,
      type: gdprRequests.type,
      source: gdprRequests.source,
      status: gdprRequests.status,
      staffName: staffUsers.name,
      createdAt: gdprRequests.createdAt,
      completedAt: gdprRequests.completedAt,
    })
    .from(gdprRequests)
    .leftJoin(staffUsers, eq(staffUsers.id, gdprRequests.requestedByStaffId))
    .where(eq(gdprRequests.customerId, customerId))
    .orderBy(desc(gdprRequests.createdAt), desc(gdprRequests.id))
    .limit(50);
}
