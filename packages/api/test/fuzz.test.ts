import { TRPCError } from "@trpc/server";
import { type AppName, appRouter, createCaller, createContext } from "@xplorium/api";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  customerCookie,
  insertBookingSiteKey,
  insertCustomer,
  insertStaff,
  staffCookie,
  useTrpcServers,
} from "./support";

/**
 * Issue 8 "Bad input": every procedure of the router, fed generated hostile input shaped after
 * its own zod schema (so much of it passes validation and reaches the SQL: huge strings, NUL
 * bytes, lone surrogates, SQL and HTML payloads, out-of-range integers, impossible dates),
 * answers with a client error and a readable message — never INTERNAL_SERVER_ERROR (a 500).
 *
 * The seed is fixed so CI is reproducible; FUZZ_SEED=<n> FUZZ_RUNS=<n> explore further.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

const HOSTILE_STRINGS = [
  "",
  " ",
  "a".repeat(100_000),
  "nul\u0000byte",
  "lone \uD800 surrogate",
  "'; drop table customers; --",
  "' or '1'='1",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "👨‍👩‍👧‍👦 Ćevapi Łódź ﷺ",
  "%00%27",
  "../../etc/passwd",
  "{{firstName}}",
  '=HYPERLINK("http://x")',
  "00000000-0000-0000-0000-000000000000",
  "2024-02-30",
  "9999-12-31T23:59:59.999Z",
  "NaN",
];
const HOSTILE_NUMBERS = [0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, Number.NaN];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.uuid(),
  fc.emailAddress(),
);
const hostileNumber = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer(), fc.double());
const hostileScalar = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom("a", "__proto__", "constructor"),
    fc.constantFrom(...HOSTILE_STRINGS),
  ),
);

/** zod v4 keeps a schema's definition at `_zod.def`. */
interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  element?: { _zod: { def: ZodDef } };
  in?: { _zod: { def: ZodDef } };
  options?: { _zod: { def: ZodDef } }[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  valueType?: { _zod: { def: ZodDef } };
}
const defOf = (s: unknown): ZodDef | null =>
  (s as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def ?? null;

/** Values shaped after the schema, mostly of the right type, often hostile, sometimes not. */
function arbitraryFor(def: ZodDef | null, depth = 0): fc.Arbitrary<unknown> {
  if (!def || depth > 4) return hostileScalar;
  const typed = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case "object":
        return fc.record(
          Object.fromEntries(
            Object.entries(def.shape ?? {}).map(([k, v]) => [k, arbitraryFor(defOf(v), depth + 1)]),
          ),
          { requiredKeys: [] },
        );
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
        return fc.oneof(arbitraryFor(defOf(def.innerType), depth + 1), fc.constant(undefined));
      case "pipe":
        return arbitraryFor(defOf(def.in), depth + 1);
      case "array":
        return fc.array(arbitraryFor(defOf(def.element), depth + 1), { maxLength: 4 });
      case "union":
        return fc.oneof(...(def.options ?? []).map((o) => arbitraryFor(defOf(o), depth + 1)));
      case "record":
        return fc.dictionary(hostileString, arbitraryFor(defOf(def.valueType), depth + 1), {
          maxKeys: 3,
        });
      case "enum":
        return fc.constantFrom(...Object.values(def.entries ?? { x: "x" }));
      case "literal":
        return fc.constantFrom(...((def.values as unknown[]) ?? [null]));
      case "string":
        return hostileString;
      case "number":
      case "int":
        return hostileNumber;
      case "boolean":
        return fc.boolean();
      case "date":
        return fc.date({ noInvalidDate: false });
      default:
        return hostileScalar;
    }
  })();
  // One value in five ignores the schema altogether.
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: hostileScalar });
}

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
}
const procedures = (
  appRouter._def as unknown as { procedures: Record<string, { _def: ProcedureDef }> }
).procedures;
const paths = Object.keys(procedures).sort();

type Principal = "OWNER@admin" | "customer@portal" | "anonymous@portal" | "apiKey@admin";
const PRINCIPALS: Principal[] = [
  "OWNER@admin",
  "customer@portal",
  "anonymous@portal",
  "apiKey@admin",
];

const { t, env } = useTrpcServers({ apps: [] });
let ownerId: string;
let customerId: string;
let apiKey: string;

beforeAll(async () => {
  ownerId = (await insertStaff(t.db, { role: "OWNER" })).id;
  customerId = (await insertCustomer(t.db)).id;
  apiKey = await insertBookingSiteKey(t.db);
});

let ipCounter = 0;
async function callerFor(principal: Principal) {
  const [who, app] = principal.split("@") as [string, AppName];
  const headers = new Headers({ "user-agent": "fuzz" });
  if (who === "OWNER") headers.set("cookie", (await staffCookie(t.db, ownerId)).cookie);
  if (who === "customer") headers.set("cookie", (await customerCookie(t.db, customerId)).cookie);
  if (who === "apiKey") headers.set("authorization", `Bearer ${apiKey}`);
  const ctx = await createContext({
    db: t.db,
    env,
    app,
    request: new Request(new URL("/api/trpc", app === "admin" ? env.ADMIN_URL : env.PORTAL_URL), {
      headers,
    }),
    resHeaders: new Headers(),
    // A fresh client address per call: rate limits answer 429 (fine), but should not hide the
    // rest of the run behind one bucket.
    ip: `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`,
    requestId: "fuzz",
  });
  return createCaller(ctx) as unknown as Record<string, unknown>;
}

function procedureAt(caller: Record<string, unknown>, path: string) {
  let node: unknown = caller;
  for (const segment of path.split(".")) node = (node as Record<string, unknown>)[segment];
  return node as (input?: unknown) => Promise<unknown>;
}

/** What a call came to: "ok", a tRPC error code, or "threw …" for anything else. */
async function outcome(principal: Principal, path: string, input: unknown) {
  try {
    await procedureAt(await callerFor(principal), path)(input);
    return { code: "ok", message: "" };
  } catch (e) {
    if (!(e instanceof TRPCError)) return { code: `threw ${String(e)}`, message: String(e) };
    return { code: e.code, message: e.message, cause: e.cause };
  }
}

/** The first principal the procedure lets in (an empty input fails validation after auth). */
async function principalFor(path: string): Promise<Principal | null> {
  for (const p of PRINCIPALS) {
    const { code } = await outcome(p, path, {});
    if (!["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(code)) return p;
  }
  return null;
}

// Procedures whose success ends the caller's own session: harmless (each call has a fresh one).
describe("hostile input to every procedure", () => {
  it("has procedures to fuzz", () => {
    expect(paths.length).toBeGreaterThan(50);
  });

  it.each(paths)("%s answers bad input with a 4xx and a readable message", async (path) => {
    const principal = await principalFor(path);
    expect(principal, `no principal can call ${path}`).not.toBeNull();
    const arb = arbitraryFor(defOf(procedures[path]!._def.inputs[0]));
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        const r = await outcome(principal!, path, input);
        if (r.code === "INTERNAL_SERVER_ERROR" || r.code.startsWith("threw")) {
          throw new Error(`${path} → ${r.code}: ${r.message} ${String(r.cause ?? "")}`);
        }
        // A client error explains itself in words, without internals.
        if (r.code !== "ok") {
          expect(r.message.length).toBeGreaterThan(0);
          expect(r.message).not.toMatch(/\bat \S+ \(|postgres|SQLSTATE|relation "/i);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
