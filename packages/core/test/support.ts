import type { RequestMeta } from "@xplorium/core/actor";
import type { TestDatabase } from "@xplorium/db/testing";
import { expect } from "vitest";
import { ledgerDrift } from "../src/loyalty/ledger";

export { useTestDatabase } from "../../../tests/support/test-database";

/** For useTestDatabase: balance = sum of the ledger, for every customer, after every test. */
export const checkLedger = {
  afterEach: async (t: TestDatabase) => {
    expect(await ledgerDrift(t.db)).toEqual([]);
  },
};

/**
 * Request metadata with a client address of its own per call (`net` and a counter, modulo `wrap`
 * when given), so one call's per-IP limits never touch another's.
 */
export function metaPerCall(
  net: string,
  opts: { wrap?: number; requestId?: string } = {},
): () => RequestMeta {
  let n = 0;
  return () => {
    n += 1;
    return {
      ip: `${net}${opts.wrap ? n % opts.wrap : n}`,
      userAgent: "vitest",
      requestId: `${opts.requestId ?? "req-"}${n}`,
    };
  };
}
