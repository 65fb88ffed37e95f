import { fileURLToPath } from "node:url";
import type { StaffRole } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import {
  emailTransportStartupNotice,
  renderEmail,
  SECRET_TEMPLATES,
  type TemplateName,
  templates,
} from "@xplorium/email";
import { memoryLogger } from "@xplorium/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerCookie,
  insertCustomer,
  insertStaff,
  staffCookie,
  startTrpcServer,
  testEnv,
  unique,
} from "../packages/api/test/support";
import { appOrigin, trpcHttp } from "../packages/api/test/trpc-http";
import type { FakeResend } from "./support/fake-resend";
import { graphileWorker } from "./support/graphile-worker";
import { runEntry } from "./support/run-entry";
import { useWorkerFixture, type WorkerFixture } from "./support/worker-fixture";

/**
 * Issue 14, finding 1 (High): a sign-in code, its magic link and a sign-up code are secrets that
 * no staff screen, export, API or log shows, in any mode but the development outbox while the
 * code works. Driven as the attack was: front desk asks the portal for a family's code, then
 * reads the customer timeline, the staff data export and the outbox as every role, through the
 * real tRPC HTTP handler; the email is delivered by the worker's real tasks (the development
 * outbox, or the `resend` SDK against a local fake of Resend), so the code checked for is the
 * one really sent.
 */

const ROLES: StaffRole[] = ["FRONT_DESK", "MARKETING", "MANAGER", "OWNER"];
/** Every line the worker and the tRPC handlers log: a code or link must never be among them. */
const logged: string[] = [];
const workerLogger = new graphileWorker.Logger((scope) => (level, message, meta) => {
  logged.push(JSON.stringify({ scope, level, message, meta }));
});
const serverLogs = memoryLogger();

function expectNotLogged(secrets: string[]) {
  const all = [...logged, ...serverLogs.lines.map((l) => JSON.stringify(l))].join("\n");
  expect(logged.length, "the worker logged its jobs").toBeGreaterThan(0);
  for (const secret of secrets) expect(all, "a secret in the logs").not.toContain(secret);
}
const _repoRoot = fileURLToPath(new URL("../", import.meta.url));

interface Answer {
  status: number;
  raw: string;
  data: unknown;
}

interface Stack {
  t: TestDatabase;
  env: Env;
  portal: { url: string; close: () => Promise<void> };
  admin: { url: string; close: () => Promise<void> };
  staff: Record<StaffRole, string>;
}

async function startStack(t: TestDatabase, env: Env): Promise<Stack> {
  const staff = {} as Record<StaffRole, string>;
  for (const role of ROLES) {
    const row = await insertStaff(t.db, { role });
    staff[role] = (await staffCookie(t.db, row.id)).cookie;
  }
  return {
    t,
    env,
    portal: await startTrpcServer(t.db, env, "portal", { edge: true, log: serverLogs.logger }),
    admin: await startTrpcServer(t.db, env, "admin", { edge: true, log: serverLogs.logger }),
    staff,
  };
}

let ip = 0;
/** One tRPC call as the app's browser makes it (its cookie, its Origin). */
async function call(
  s: Stack,
  app: "portal" | "admin",
  path: string,
  cookie: string,
  input: unknown,
  method: "GET" | "POST" = "POST",
): Promise<Answer> {
  const server = app === "portal" ? s.portal : s.admin;
  const headers = { cookie, origin: appOrigin(s.env, app), "x-test-ip": `10.14.${++ip % 250}.1` };
  const r = await trpcHttp(server.url, path, { method, input, headers });
  const json = r.json as { result?: { data: { json: unknown } } };
  return { status: r.status, raw: r.text, data: json.result?.data.json };
}

/** Every due job once, with the worker's real task list and this mode's env (or `env`). */
const runWorker = (w: WorkerFixture, env?: Env) =>
  w.runJobs({ logger: workerLogger, ...(env ? { env } : {}) });

async function family(t: TestDatabase, label: string) {
  return insertCustomer(t.db, {
    email: `${label}.${unique()}@example.com`,
    name: `${label} Petrović`,
  });
}

const emailRows = (t: TestDatabase, where: { customerId?: string; to?: string }) =>
  where.customerId
    ? t.sql`select * from email_messages where customer_id = ${where.customerId} order by created_at`
    : t.sql`select * from email_messages where to_email = ${where.to!} order by created_at`;

/** The code and the magic-link token in a delivered email's text. */
function secretsIn(text: string): { code: string; token: string } {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  const token = /token=([A-Za-z0-9._~-]+)/.exec(text)?.[1];
  expect(code, "a 6-digit code in the email").toBeDefined();
  expect(token, "a link token in the email").toBeDefined();
  return { code: code!, token: token! };
}

/**
 * What each role gets from the timeline, the staff data export and the outbox, as raw HTTP
 * bodies (a denied call is a 403 and holds nothing either).
 */
async function staffViews(s: Stack, customerId: string, to: string) {
  const views: { who: string; raw: string; status: number }[] = [];
  for (const role of ROLES) {
    const cookie = s.staff[role];
    const timeline = await call(
      s,
      "admin",
      "customers.timeline",
      cookie,
      { customerId, limit: 100 },
      "GET",
    );
    views.push({ who: `${role} timeline`, ...timeline });
    const exported = await call(s, "admin", "customers.exportData", cookie, { customerId });
    views.push({ who: `${role} data export`, ...exported });
    const outbox = await call(s, "admin", "outbox.list", cookie, { limit: 100, to }, "GET");
    views.push({ who: `${role} outbox`, ...outbox });
  }
  return views;
}

function expectNoSecret(views: { who: string; raw: string }[], secrets: string[]) {
  for (const v of views) {
    for (const secret of secrets) expect(v.raw, `${v.who} shows a secret`).not.toContain(secret);
  }
}

describe("a customer's sign-in code, with the development outbox", () => {
  const w = useWorkerFixture({ env: { NODE_ENV: "development" } });
  let s: Stack;
  beforeAll(async () => {
    s = await startStack(w.t, w.env);
  });
  afterAll(async () => {
    await s?.portal.close();
    await s?.admin.close();
  });

  it("front desk asks for it, then sees it on no timeline, export or outbox but the development outbox's, and no subject holds it", async () => {
    const { t } = s;
    const customer = await family(t, "zora");
    // The attack: anyone (here front desk, their cookie along) asks the portal for the code.
    const asked = await call(s, "portal", "auth.customer.requestCode", s.staff.FRONT_DESK, {
      email: customer.email,
    });
    expect(asked.status).toBe(200);
    await runWorker(w);

    // The development outbox is where a developer reads it (marketing, manager, owner may).
    const dev = await call(
      s,
      "admin",
      "outbox.list",
      s.staff.MARKETING,
      { limit: 10, to: customer.email },
      "GET",
    );
    const items = (dev.data as { items: { text: string | null; subject: string }[] }).items;
    expect(items).toHaveLength(1);
    const { code, token } = secretsIn(items[0]!.text ?? "");

    // Nowhere else: every role's timeline and data export (the outbox aside, checked above).
    const views = (await staffViews(s, customer.id, customer.email!)).filter(
      (v) => !v.who.endsWith("outbox") || v.status !== 200,
    );
    expect(views.length).toBeGreaterThan(ROLES.length);
    expectNoSecret(views, [code, token]);
    // Nor its subject, the one part kept after delivery.
    const [row, ...more] = await emailRows(t, { customerId: customer.id });
    expect(more).toEqual([]);
    expect(row).toMatchObject({ template: "sign-in-code", status: "SENT", transport: "OUTBOX" });
    expect(row!.subject).toBe("Your Xplorium sign-in code");
    expect(items[0]!.subject).not.toMatch(/\d/);
    // Front desk's timeline says it was sent, and nothing more.
    const timeline = await call(
      s,
      "admin",
      "customers.timeline",
      s.staff.FRONT_DESK,
      { customerId: customer.id, limit: 100 },
      "GET",
    );
    const events = (timeline.data as { events: { kind: string; data: unknown }[] }).events;
    expect(events.filter((e) => e.kind === "email").map((e) => e.data)).toEqual([
      { label: "Sign-in code sent", status: "SENT" },
    ]);
    // The manager's export (staff's GDPR export) and the family's own "Download my data".
    const staffExport = await call(s, "admin", "customers.exportData", s.staff.MANAGER, {
      customerId: customer.id,
    });
    const own = await call(
      s,
      "portal",
      "portal.exportData",
      (await customerCookie(t.db, customer.id)).cookie,
      undefined,
    );
    for (const answer of [staffExport, own]) {
      expect(answer.status).toBe(200);
      for (const secret of [code, token]) expect(answer.raw).not.toContain(secret);
      expect(answer.raw).not.toContain("Your Xplorium sign-in code");
      const emails = (answer.data as { emails: Record<string, unknown>[] }).emails;
      expect(emails).toEqual([
        {
          id: row!.id,
          label: "Sign-in code sent",
          status: "SENT",
          queuedAt: expect.any(String),
          sentAt: expect.any(String),
          events: [],
        },
      ]);
    }

    expectNotLogged([code, token]);
    // It is the live code: it signs the family in.
    const signedIn = await call(s, "portal", "auth.customer.verifyCode", "", {
      email: customer.email,
      code,
    });
    expect(signedIn.status).toBe(200);
  });

  it("shows the body in the development outbox only until the code expires; the hourly purge drops it", async () => {
    const { t } = s;
    const customer = await family(t, "mila");
    await call(s, "portal", "auth.customer.requestCode", "", { email: customer.email });
    await runWorker(w);
    const [row] = await emailRows(t, { customerId: customer.id });
    expect(row!.text).toMatch(/\d{6}/);
    const { code } = secretsIn(row!.text as string);

    // Eleven minutes later the code is dead: the outbox no longer shows it …
    await t.sql`update email_messages set created_at = now() - interval '11 minutes'
      where id = ${row!.id}`;
    const later = await call(
      s,
      "admin",
      "outbox.list",
      s.staff.OWNER,
      { limit: 10, to: customer.email },
      "GET",
    );
    expect(later.raw).not.toContain(code);
    expect((later.data as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ subject: "Sign-in code sent", html: null, text: null }),
    ]);
    // … and the hourly purge drops the body from the table.
    await t.sql`select graphile_worker.add_job(${JOBS.purgeExpiredAuth}, '{}'::json)`;
    await runWorker(w);
    const [purged] = await emailRows(t, { customerId: customer.id });
    expect(purged).toMatchObject({ html: null, text: null, status: "SENT" });
  });
});

describe("a customer's sign-in code, in any other mode", () => {
  const w = useWorkerFixture({ resend: { apiKey: "re_test_secrecy" } });
  let s: Stack;
  let fake: FakeResend;
  beforeAll(async () => {
    fake = w.resend;
    s = await startStack(w.t, w.env);
  });
  afterAll(async () => {
    await s?.portal.close();
    await s?.admin.close();
  });

  it("through Resend: the family gets the code, the row keeps no body once sent, no staff view shows it", async () => {
    const { t } = s;
    const customer = await family(t, "vuk");
    await call(s, "portal", "auth.customer.requestCode", s.staff.FRONT_DESK, {
      email: customer.email,
    });
    await runWorker(w);
    const [sent] = fake.deliveredEmails();
    expect(sent!.to).toEqual([customer.email]);
    const { code, token } = secretsIn(sent!.text ?? "");
    expect(sent!.html).toContain(code);
    expect(sent!.subject).not.toMatch(/\d/);

    const [row] = await emailRows(t, { customerId: customer.id });
    expect(row).toMatchObject({ status: "SENT", transport: "RESEND", html: null, text: null });
    expect(row!.subject).not.toMatch(/\d/);
    expectNoSecret(await staffViews(s, customer.id, customer.email!), [code, token]);
    expectNotLogged([code, token]);
  });

  it("a sign-up code for a new address: no code in the subject, no body kept once sent", async () => {
    const { t } = s;
    const address = `new.${unique()}@example.com`;
    await call(s, "portal", "auth.customer.requestCode", "", { email: address });
    await runWorker(w);
    const sent = fake.deliveredEmails().find((e) => (e.to as string[])[0] === address);
    const code = /\b(\d{6})\b/.exec(sent!.text ?? "")?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(sent!.subject).not.toMatch(/\d/);
    const [row] = await emailRows(t, { to: address });
    expect(row).toMatchObject({ template: "sign-up-code", status: "SENT", html: null, text: null });
    expect(row!.subject).not.toMatch(/\d/);
  });

  it("to the outbox outside development (EMAIL_TRANSPORT=outbox): delivered with no body at all", async () => {
    const { t } = s;
    const env = testEnv(t.url, { EMAIL_TRANSPORT: "outbox", RESEND_API_KEY: "re_unused" });
    const stack = { ...s, env };
    const portal = await startTrpcServer(t.db, env, "portal", { edge: true });
    const admin = await startTrpcServer(t.db, env, "admin", { edge: true });
    try {
      const customer = await family(t, "lena");
      const before = fake.deliveredEmails().length;
      await call({ ...stack, portal, admin }, "portal", "auth.customer.requestCode", "", {
        email: customer.email,
      });
      await runWorker(w, env);
      expect(fake.deliveredEmails()).toHaveLength(before);
      const [row] = await emailRows(t, { customerId: customer.id });
      expect(row).toMatchObject({ transport: "OUTBOX", status: "SENT", html: null, text: null });
      const outbox = await call(
        { ...stack, portal, admin },
        "admin",
        "outbox.list",
        s.staff.OWNER,
        { limit: 10, to: customer.email },
        "GET",
      );
      expect((outbox.data as { items: unknown[] }).items).toEqual([
        expect.objectContaining({ subject: "Sign-in code sent", html: null, text: null }),
      ]);
    } finally {
      await portal.close();
      await admin.close();
    }
  });
});

describe("every secret template", () => {
  it("is marked in the registry and puts no code or link in its subject", async () => {
    expect([...SECRET_TEMPLATES.keys()]).toEqual(
      expect.arrayContaining(["sign-in-code", "sign-up-code"]),
    );
    for (const name of SECRET_TEMPLATES.keys()) {
      const rendered = await renderEmail(
        name as TemplateName,
        templates[name as TemplateName].sample as never,
      );
      expect(rendered.subject, name).not.toMatch(/\d/);
      expect(rendered.subject, name).not.toMatch(/https?:|token/i);
    }
  });
});

describe("production without Resend", () => {
  const production = { NODE_ENV: "production" as const, SESSION_SECRET: "p".repeat(40) };

  it("refuses the configuration unless EMAIL_TRANSPORT=outbox is chosen, and then warns", () => {
    expect(() => loadEnv(production)).toThrow(
      /RESEND_API_KEY is required in production.*EMAIL_TRANSPORT=outbox/,
    );
    expect(() => loadEnv({ ...production, EMAIL_TRANSPORT: "resend" })).toThrow(
      /EMAIL_TRANSPORT=resend needs RESEND_API_KEY/,
    );
    expect(() => loadEnv({ ...production, EMAIL_TRANSPORT: "smtp" })).toThrow(
      /EMAIL_TRANSPORT must be resend or outbox/,
    );
    const chosen = loadEnv({ ...production, EMAIL_TRANSPORT: "outbox" });
    expect(chosen.EMAIL_TRANSPORT).toBe("outbox");
    expect(emailTransportStartupNotice(chosen)).toMatch(/no customer can receive a sign-in/);
    const resend = loadEnv({ ...production, RESEND_API_KEY: "re_live" });
    expect(resend.EMAIL_TRANSPORT).toBe("resend");
    expect(emailTransportStartupNotice(resend)).toBeNull();
    // Outside production nothing changes: no key, the outbox.
    expect(loadEnv({ NODE_ENV: "development" }).EMAIL_TRANSPORT).toBe("outbox");
    expect(emailTransportStartupNotice(loadEnv({ NODE_ENV: "development" }))).toBeNull();
  });

  it("the worker refuses to start without it, and starts with EMAIL_TRANSPORT=outbox saying nobody gets a code", async () => {
    const t = await createTestDatabase();
    try {
      const base: NodeJS.ProcessEnv = { ...process.env, ...production, DATABASE_URL: t.url };
      for (const key of ["RESEND_API_KEY", "RESEND_BASE_URL", "EMAIL_TRANSPORT", "VITEST"]) {
        delete base[key];
      }
      const refused = await runEntry("apps/worker/src/main.ts", base);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/RESEND_API_KEY is required in production/);
      const admin = await runEntry("apps/admin/server.ts", base);
      expect(admin.code).not.toBe(0);
      expect(admin.output).toMatch(/RESEND_API_KEY is required in production/);

      const started = await runEntry(
        "apps/worker/src/main.ts",
        { ...base, EMAIL_TRANSPORT: "outbox" },
        /no customer can receive a sign-in/,
      );
      const warning = started.output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { level: string; msg: string })
        .find((l) => /no customer can receive/.test(l.msg));
      expect(warning?.level).toBe("warn");
    } finally {
      await t.drop();
    }
  }, 60_000);
});
