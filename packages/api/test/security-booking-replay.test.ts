import { beforeAll, describe, expect, it } from "vitest";
import { insertStaff, staffCookie, useTrpcServers } from "./support";
import { trpcData as data, trpcHttp } from "./trpc-http";

/**
 * Issue 14, finding 10: a `bookings.create` replay answered the first booking in full (contact
 * phone, notes, amount) to whoever repeated its `externalId`, and every API key shared one id
 * space. Now an external id belongs to the key that pushed it, and the answer — first call and
 * replay alike — carries ids and status only. Over real HTTP with two real keys.
 */

const { t, env, admin } = useTrpcServers({ apps: ["admin"] });
let ownerCookie: string;

beforeAll(async () => {
  const owner = await insertStaff(t.db, { role: "OWNER" });
  ownerCookie = (await staffCookie(t.db, owner.id)).cookie;
});

async function call(path: string, opts: { input: unknown; cookie?: string; bearer?: string }) {
  const headers: Record<string, string> = {};
  if (opts.cookie) {
    headers.cookie = opts.cookie;
    headers.origin = new URL(env.ADMIN_URL).origin;
  }
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const r = await trpcHttp(admin.url, path, { input: opts.input, headers });
  expect(r.json, `${path} answers JSON: ${r.text}`).not.toBeNull();
  return r;
}

async function createKey(name: string) {
  const r = await call("apiKeys.create", {
    cookie: ownerCookie,
    input: { name, scopes: ["bookings:write"] },
  });
  expect(r.status).toBe(200);
  return data<{ key: string; apiKey: { id: string } }>(r.json);
}

interface Receipt {
  booking: { id: string; customerId: string; externalId: string | null; status: string };
  created: boolean;
}

/** Everything of the first family's booking that nobody but staff may read back. */
const FIRST = {
  email: "first.family@example.com",
  name: "Zorana Replayova",
  phone: "+381 63 555 0177",
  phoneStored: "+381635550177",
  notes: "Allergic to peanuts; gate code 4471",
  amount: 18_345,
};

const push = (bearer: string, externalId: string, extra: Record<string, unknown> = {}) =>
  call("bookings.create", {
    bearer,
    input: {
      email: FIRST.email,
      name: FIRST.name,
      phone: FIRST.phone,
      notes: FIRST.notes,
      type: "PARTY",
      scheduledAt: "2026-12-05T14:00:00+01:00",
      guests: 12,
      amount: FIRST.amount,
      externalId,
      ...extra,
    },
  });

/** No contact detail, note or amount of the first booking anywhere in an answer's body. */
function expectNothingPersonal(body: string) {
  for (const secret of [
    FIRST.email,
    "first.family",
    FIRST.name,
    "Replayova",
    FIRST.phoneStored,
    "5550177",
    FIRST.notes,
    "peanuts",
    "4471",
    String(FIRST.amount),
  ]) {
    expect(body).not.toContain(secret);
  }
  expect(body).not.toMatch(/contact|notes|amount|phone|email/i);
}

describe("bookings.create replays (finding 10)", () => {
  it("answers the same key's replay with ids and status only, the same shape as the first answer", async () => {
    const { key } = await createKey("Booking site A");
    const first = await push(key, "site-replay-1");
    expect(first.status).toBe(200);
    const firstReceipt = data<Receipt>(first.json);
    expect(firstReceipt.created).toBe(true);
    expectNothingPersonal(first.text);

    // A retry (or anyone holding this key) repeating the id, with other details.
    const replay = await push(key, "site-replay-1", {
      email: "someone.else@example.com",
      phone: "+381 64 000 0000",
      notes: "What did the first booking say?",
    });
    expect(replay.status).toBe(200);
    expectNothingPersonal(replay.text);
    const receipt = data<Receipt>(replay.json);
    expect(receipt).toEqual({
      booking: {
        id: firstReceipt.booking.id,
        customerId: firstReceipt.booking.customerId,
        externalId: "site-replay-1",
        status: "PENDING",
      },
      created: false,
    });
    expect(Object.keys(receipt.booking).sort()).toEqual(Object.keys(firstReceipt.booking).sort());

    const rows = await t.sql`select count(*)::int as n from bookings
      where external_ref = 'site-replay-1'`;
    expect(rows[0]!.n).toBe(1);
  });

  it("gives a second key its own booking for the same externalId, and nothing of the first", async () => {
    const a = await createKey("Booking site A2");
    const b = await createKey("Partner site B");
    const first = await push(a.key, "site-shared-7");
    expect(first.status).toBe(200);
    const firstReceipt = data<Receipt>(first.json);

    const other = await push(b.key, "site-shared-7", {
      email: "partner.family@example.com",
      name: "Partner Family",
      phone: "+381 65 111 2222",
      notes: "Balloons",
      amount: 5_000,
    });
    expect(other.status).toBe(200);
    expectNothingPersonal(other.text);
    expect(other.text).not.toContain(firstReceipt.booking.id);
    expect(other.text).not.toContain(firstReceipt.booking.customerId);
    const otherReceipt = data<Receipt>(other.json);
    expect(otherReceipt.created).toBe(true);
    expect(otherReceipt.booking.externalId).toBe("site-shared-7");

    // Two bookings, each under the key that pushed it, each with its own family's details.
    const rows = await t.sql`select b.id, b.api_key_id, b.contact_email, b.contact_phone, b.notes,
        b.amount::int as amount
      from bookings b where b.external_ref = 'site-shared-7' order by b.created_at, b.id`;
    expect(rows).toEqual([
      {
        id: firstReceipt.booking.id,
        api_key_id: a.apiKey.id,
        contact_email: FIRST.email,
        contact_phone: FIRST.phoneStored,
        notes: FIRST.notes,
        amount: FIRST.amount,
      },
      {
        id: otherReceipt.booking.id,
        api_key_id: b.apiKey.id,
        contact_email: "partner.family@example.com",
        contact_phone: "+381651112222",
        notes: "Balloons",
        amount: 5_000,
      },
    ]);

    // Each key's replay finds its own booking, never the other's.
    const againA = data<Receipt>((await push(a.key, "site-shared-7")).json);
    const againB = data<Receipt>((await push(b.key, "site-shared-7")).json);
    expect([againA.booking.id, againA.created]).toEqual([firstReceipt.booking.id, false]);
    expect([againB.booking.id, againB.created]).toEqual([otherReceipt.booking.id, false]);
  });

  it("keeps staff bookings with an external id in their own namespace, apart from every key's", async () => {
    const { key } = await createKey("Booking site C");
    const fromKey = data<Receipt>((await push(key, "desk-9")).json);
    const byStaff = await call("bookings.create", {
      cookie: ownerCookie,
      input: {
        email: "desk.family@example.com",
        type: "CAFE",
        scheduledAt: "2026-12-06T10:00:00Z",
        guests: 2,
        amount: 900,
        externalId: "desk-9",
      },
    });
    expect(byStaff.status).toBe(200);
    const staffReceipt = data<Receipt>(byStaff.json);
    expect(staffReceipt.created).toBe(true);
    expect(staffReceipt.booking.id).not.toBe(fromKey.booking.id);
    const [row] =
      await t.sql`select api_key_id from bookings where id = ${staffReceipt.booking.id}`;
    expect(row!.api_key_id).toBeNull();
  });
});
