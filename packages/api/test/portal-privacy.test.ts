import { appRouter } from "@xplorium/api";
import { setConsentByStaff } from "@xplorium/core/consent";
import { schema } from "@xplorium/db";
import { insertStaff as insertStaffRow } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  type BrowserCallArgs,
  browserCall,
  customerCookie,
  insertCustomer,
  insertStaff,
  staffCookie,
  useTrpcServers,
} from "./support";
import { trpcResult } from "./trpc-http";

/**
 * The portal's profile and privacy procedures, and the staff GDPR procedures, over real HTTP
 * through the same-origin guard: a customer acts only for themselves whatever ids they send.
 */

const servers = useTrpcServers();
const { t, env } = servers;

interface Answer {
  status: number;
  data: unknown;
  error?: { message: string; data: { code: string; fieldErrors: Record<string, string[]> | null } };
  setCookie: string[];
  raw: string;
}

/** One tRPC call as the app's browser makes it (its cookie and its Origin). */
async function call(...args: BrowserCallArgs): Promise<Answer> {
  const r = await browserCall(servers, args, {
    "x-test-ip": `10.80.${Math.floor(Math.random() * 250)}.1`,
  });
  return {
    status: r.status,
    ...trpcResult<Answer["error"]>(r.json),
    setCookie: r.res.headers.getSetCookie(),
    raw: r.text,
  };
}

async function family(label: string, phone: string) {
  const c = await insertCustomer(t.db, {
    email: `${label}-${Date.now()}@example.com`,
    name: `${label} Tester`,
  });
  await t.db.update(schema.customers).set({ phone }).where(eq(schema.customers.id, c.id));
  return { ...c, phone, cookie: (await customerCookie(t.db, c.id)).cookie };
}

const rowOf = async (id: string) =>
  (await t.sql`select * from customers where id = ${id}`)[0] as Record<string, unknown>;

const holdings = async (id: string) =>
  (
    await t.sql`select
      (select count(*)::int from consent_events where customer_id = ${id}) as consent,
      (select count(*)::int from gdpr_requests where customer_id = ${id}) as requests,
      (select count(*)::int from sessions where customer_id = ${id}) as sessions,
      (select count(*)::int from audit_log where entity_id = ${id}) as audit`
  )[0];

const portalProcedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> })
    .procedures,
)
  .filter(([path]) => path.startsWith("portal."))
  .map(([path, p]) => ({ path, type: p._def.type }));

describe("a customer acts only for themselves", () => {
  it("every portal procedure, given another customer's ids in every field, never reads or changes them", async () => {
    const a = await family("ana", "+381641111111");
    const b = await family("bora", "+381642222222");
    const staff = await insertStaff(t.db, { role: "FRONT_DESK" });
    // B has consent history of their own, which A must never see.
    await setConsentByStaff(
      {
        db: t.db,
        actor: { type: "staff", id: staff.id, role: "FRONT_DESK" },
        meta: { ip: null, userAgent: null, requestId: null },
        config: env,
      },
      { customerId: b.id, channel: "SMS", granted: true },
    );
    const bRow = await rowOf(b.id);
    const bHeld = await holdings(b.id);
    const hostile = {
      customerId: b.id,
      id: b.id,
      userId: b.id,
      email: b.email,
      // Valid fields, so the procedures that take them really run.
      name: "Ana Renamed",
      phone: "+381643333333",
      preferredContactMethod: "SMS",
      channel: "EMAIL",
      granted: true,
    };
    expect(portalProcedures.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        "portal.profile",
        "portal.updateProfile",
        "portal.privacy",
        "portal.setConsent",
        "portal.exportData",
        "portal.deleteAccount",
      ]),
    );
    for (const { path, type } of portalProcedures) {
      const r = await call("portal", path, a.cookie, hostile, type === "query" ? "GET" : "POST");
      // Whatever it answered, nothing of B's is in it.
      expect(r.raw, path).not.toContain(b.id);
      expect(r.raw.toLowerCase(), path).not.toContain(b.email);
      expect(r.raw, path).not.toContain(b.phone);
      // deleteAccount needs its typed confirmation; everything else ran (or validated).
      if (path === "portal.deleteAccount") expect(r.status).toBe(400);
    }
    // B: untouched. A: the changes landed on A.
    expect(await rowOf(b.id)).toEqual(bRow);
    expect(await holdings(b.id)).toEqual(bHeld);
    const aRow = await rowOf(a.id);
    expect(aRow).toMatchObject({
      name: "Ana Renamed",
      phone: "+381643333333",
      marketing_opt_in: true,
    });

    // Reads are A's own.
    const profile = await call("portal", "portal.profile", a.cookie, { customerId: b.id }, "GET");
    expect(profile.data).toMatchObject({ email: a.email, name: "Ana Renamed" });
    const exported = await call("portal", "portal.exportData", a.cookie, { customerId: b.id });
    expect(exported.data).toMatchObject({ profile: { id: a.id, email: a.email } });

    // Erasure with B's email as the confirmation and B's id: refused, nobody erased.
    const wrong = await call("portal", "portal.deleteAccount", a.cookie, {
      customerId: b.id,
      confirmation: b.email,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.error?.data.fieldErrors?.confirmation?.[0]).toMatch(/does not match/);
    expect((await rowOf(a.id)).erased_at).toBeNull();

    // DELETE with B's id erases A, and only A, and clears A's cookie.
    const done = await call("portal", "portal.deleteAccount", a.cookie, {
      customerId: b.id,
      confirmation: "DELETE",
    });
    expect(done.status).toBe(200);
    expect(done.setCookie.join("\n")).toMatch(/xp_customer_session=;/);
    expect((await rowOf(a.id)).erased_at).not.toBeNull();
    expect(await rowOf(b.id)).toEqual(bRow);
    expect(await holdings(b.id)).toEqual(bHeld);
    const after = await call("portal", "portal.profile", a.cookie, {}, "GET");
    expect(after.status).toBe(401);
  });

  it("a staff cookie cannot use the portal procedures, a customer cookie not the staff ones", async () => {
    const c = await family("cara", "+381644444444");
    const owner = (await staffCookie(t.db, (await insertStaff(t.db, { role: "OWNER" })).id)).cookie;
    expect((await call("portal", "portal.exportData", owner, {})).status).toBe(401);
    const r = await call("admin", "customers.erase", c.cookie, {
      customerId: c.id,
      confirmation: "DELETE",
    });
    expect(r.status).toBe(401);
    expect((await rowOf(c.id)).erased_at).toBeNull();
  });
});

describe("GDPR requests run by staff", () => {
  it("a manager exports and erases a customer, recorded with who did it; front desk cannot", async () => {
    const c = await family("dita", "+381645555555");
    const manager = await insertStaffRow(t.db, { role: "MANAGER", name: "Mara Manager" });
    const managerCookie = (await staffCookie(t.db, manager.id)).cookie;
    const desk = (await staffCookie(t.db, (await insertStaff(t.db, { role: "FRONT_DESK" })).id))
      .cookie;

    expect((await call("admin", "customers.exportData", desk, { customerId: c.id })).status).toBe(
      403,
    );
    expect(
      (await call("admin", "customers.erase", desk, { customerId: c.id, confirmation: "DELETE" }))
        .status,
    ).toBe(403);

    const exported = await call("admin", "customers.exportData", managerCookie, {
      customerId: c.id,
    });
    expect(exported.status).toBe(200);
    expect(exported.data).toMatchObject({ profile: { id: c.id, email: c.email } });

    const refused = await call("admin", "customers.erase", managerCookie, {
      customerId: c.id,
      confirmation: "yes",
    });
    expect(refused.status).toBe(400);
    const erased = await call("admin", "customers.erase", managerCookie, {
      customerId: c.id,
      confirmation: c.email,
    });
    expect(erased.status).toBe(200);

    const requests = await call(
      "admin",
      "customers.privacyRequests",
      managerCookie,
      { customerId: c.id },
      "GET",
    );
    expect(requests.data).toEqual([
      expect.objectContaining({
        type: "ERASURE",
        source: "STAFF",
        status: "COMPLETED",
        staffName: "Mara Manager",
      }),
      expect.objectContaining({
        type: "EXPORT",
        source: "STAFF",
        status: "COMPLETED",
        staffName: "Mara Manager",
      }),
    ]);
    const rows = await t.db
      .select()
      .from(schema.gdprRequests)
      .where(eq(schema.gdprRequests.customerId, c.id));
    expect(rows.every((r) => r.requestedByStaffId === manager.id)).toBe(true);
    const audits = await t.sql`
      select action, actor_type, actor_id from audit_log
      where entity_id = ${c.id} and action in ('customer.data_exported', 'customer.erased')
      order by id`;
    expect(audits).toEqual([
      { action: "customer.data_exported", actor_type: "STAFF", actor_id: manager.id },
      { action: "customer.erased", actor_type: "STAFF", actor_id: manager.id },
    ]);
    // Gone from the admin too.
    const again = await call("admin", "customers.erase", managerCookie, {
      customerId: c.id,
      confirmation: "DELETE",
    });
    expect(again.status).toBe(404);
  });
});
