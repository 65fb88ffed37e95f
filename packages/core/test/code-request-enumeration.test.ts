import { loadEnv } from "@xplorium/config";
import type { RequestMeta } from "@xplorium/core/actor";
import { requestCustomerCode } from "@xplorium/core/auth";
import { schema } from "@xplorium/db";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { CODE_REQUEST_ANSWER_MS } from "../src/auth/customer-sign-in";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";
import { useTestDatabase } from "./support";

/**
 * No account enumeration through "email me a code": a customer's address, a new address (which
 * gets a sign-up code), and a suppressed address (which gets nothing) get the same answer, in
 * about the same time, because the answer is held back to a fixed minimum that covers the work
 * of every path.
 */

const env = loadEnv({ NODE_ENV: "test", PORTAL_URL: "http://portal.test" });
let ipSeq = 0;
const meta = (): RequestMeta => ({
  ip: `203.0.113.${++ipSeq}`,
  userAgent: "vitest",
  requestId: `enum-${ipSeq}`,
});

const t = useTestDatabase();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(email: string) {
  const started = performance.now();
  const answer = await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email });
  return { answer, ms: performance.now() - started };
}

describe("requesting a code", () => {
  it("answers a customer, a new address and a suppressed one alike, none sooner than the floor", async () => {
    const kinds = {
      customer: async () => (await insertCustomer(t.db)).email!,
      newAddress: async () => `new-${unique()}@example.com`,
      suppressed: async () => {
        const email = `gone-${unique()}@example.com`;
        await t.db
          .insert(schema.suppressions)
          .values({ emailHash: emailSuppressionHash(email), reason: "ERASURE" });
        return email;
      },
    };
    const times: Record<string, number[]> = { customer: [], newAddress: [], suppressed: [] };
    const answers = new Set<string>();
    // Warm-up (first render of each email template, first queries), not measured.
    for (const make of Object.values(kinds)) await timed(await make());
    for (let round = 0; round < 5; round++) {
      for (const [kind, make] of Object.entries(kinds)) {
        const { answer, ms } = await timed(await make());
        answers.add(JSON.stringify(answer));
        times[kind]!.push(ms);
      }
    }
    expect([...answers]).toEqual([JSON.stringify({ sent: true, expiresInMinutes: 10 })]);
    // Unpadded, the paths take roughly 20 ms (a code or a sign-up code rendered and queued)
    // and 5 ms (nothing to send): a gap anyone can measure. The floor is far above both.
    expect(CODE_REQUEST_ANSWER_MS).toBeGreaterThanOrEqual(250);
    for (const [kind, ms] of Object.entries(times)) {
      for (const m of ms) expect(m, kind).toBeGreaterThanOrEqual(CODE_REQUEST_ANSWER_MS - 1);
    }
    const medians = Object.values(times).map(median);
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(10);
  });
});
