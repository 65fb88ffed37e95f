import type { Actor, RequestMeta } from "@xplorium/core/actor";
import { bookingCreateInput, createBooking } from "@xplorium/core/bookings";
import type { Database } from "@xplorium/db";
import type { TestDatabase } from "@xplorium/db/testing";
import { expect } from "vitest";
import type { BookingCreateInput } from "../src/bookings/booking-create";
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

/** What createBooking reads from the configuration, for tests. */
export const BOOKING_CONFIG = {
  CURRENCY: "EUR",
  DEFAULT_PHONE_REGION: "RS",
  SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
  EMAIL_FROM: "Xplorium <hello@xplorium.example>",
  PORTAL_URL: "http://portal.test",
  RESEND_API_KEY: undefined,
};

/**
 * A booking made at the admin's form by `actor`: a café visit for two on 10 March 2026 at 25.00
 * unless `raw` says otherwise (raw is what a client would send, parsed as the procedure does).
 */
export function bookAs(
  db: Database,
  actor: Actor,
  meta: RequestMeta,
  raw: Partial<Record<keyof BookingCreateInput, unknown>>,
) {
  return createBooking(
    { db, actor, meta, config: BOOKING_CONFIG },
    {
      ...bookingCreateInput.parse({
        type: "CAFE",
        scheduledAt: "2026-03-10T10:00:00Z",
        guests: 2,
        amount: 2500,
        ...raw,
      }),
      source: "ADMIN",
    },
  );
}
