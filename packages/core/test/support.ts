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
