import { describe, expect, it } from "vitest";
import { bookingAward, calculateTier, isBirthdayBonus, nextTier } from "../src/loyalty/rules";

const TZ = "Europe/Belgrade";
const noBirthday = { birthDate: null, birthDateSetAt: null };
const longAgo = new Date("2020-01-01T00:00:00Z");

describe("calculateTier (lifetime points)", () => {
  it.each([
    [0, "BRONZE"],
    [999, "BRONZE"],
    [1000, "SILVER"],
    [2999, "SILVER"],
    [3000, "GOLD"],
    [5999, "GOLD"],
    [6000, "PLATINUM"],
    [1_000_000, "PLATINUM"],
  ])("%i lifetime points → %s", (points, tier) => {
    expect(calculateTier(points)).toBe(tier);
  });

  it.each([
    [0, { tier: "SILVER", pointsNeeded: 1000 }],
    [999, { tier: "SILVER", pointsNeeded: 1 }],
    [2350, { tier: "GOLD", pointsNeeded: 650 }],
    [5999, { tier: "PLATINUM", pointsNeeded: 1 }],
    [6000, null],
  ])("next tier from %i", (points, next) => {
    expect(nextTier(points)).toEqual(next);
  });
});

describe("bookingAward", () => {
  const at = new Date("2026-06-15T10:00:00Z");
  it.each([
    ["CAFE", 100],
    ["PLAYGROUND", 100],
    ["EVENT", 100],
    ["PARTY", 200],
  ] as const)("a completed %s booking earns %i", (type, points) => {
    expect(bookingAward({ type, scheduledAt: at }, noBirthday, TZ)).toEqual({
      points,
      birthdayBonus: false,
    });
  });

  it("doubles in the birth month, PARTY included", () => {
    const june = { birthDate: "2019-06-30", birthDateSetAt: longAgo };
    expect(bookingAward({ type: "CAFE", scheduledAt: at }, june, TZ).points).toBe(200);
    expect(bookingAward({ type: "PARTY", scheduledAt: at }, june, TZ).points).toBe(400);
    const july = { birthDate: "2019-07-01", birthDateSetAt: longAgo };
    expect(bookingAward({ type: "CAFE", scheduledAt: at }, july, TZ).points).toBe(100);
  });

  it.each([
    // 31 May 23:30 UTC is already 1 June in Belgrade (UTC+2 in summer).
    ["2026-05-31T23:30:00Z", "Europe/Belgrade", true],
    ["2026-05-31T23:30:00Z", "UTC", false],
    // 30 June 22:30 UTC is 1 July in Belgrade.
    ["2026-06-30T22:30:00Z", "Europe/Belgrade", false],
    ["2026-06-30T21:59:59Z", "Europe/Belgrade", true],
    // New York is still in May.
    ["2026-06-01T03:00:00Z", "America/New_York", false],
  ])("month edges: a booking at %s in %s is in June: %s", (iso, tz, bonus) => {
    const june = { birthDate: "2015-06-10", birthDateSetAt: longAgo };
    expect(isBirthdayBonus(new Date(iso), june, tz)).toBe(bonus);
  });

  it("refuses the bonus when the birth date was set within 30 days of that year's birthday", () => {
    const booking = new Date("2026-06-20T10:00:00Z");
    const set = (iso: string) => ({ birthDate: "2018-06-25", birthDateSetAt: new Date(iso) });
    expect(isBirthdayBonus(booking, set("2026-06-01T00:00:00Z"), TZ)).toBe(false);
    expect(isBirthdayBonus(booking, set("2026-05-27T00:00:00Z"), TZ)).toBe(false);
    expect(isBirthdayBonus(booking, set("2026-05-25T00:00:00Z"), TZ)).toBe(true);
    // Set just before last year's birthday: only last year is locked.
    expect(isBirthdayBonus(booking, set("2025-06-20T00:00:00Z"), TZ)).toBe(true);
    // No record of when it was set (imported): no lock.
    expect(isBirthdayBonus(booking, { birthDate: "2018-06-25", birthDateSetAt: null }, TZ)).toBe(
      true,
    );
  });

  it("treats 29 February in a common year as 28 February for the lock", () => {
    const leap = { birthDate: "2016-02-29", birthDateSetAt: new Date("2027-01-30T00:00:00Z") };
    expect(isBirthdayBonus(new Date("2027-02-10T12:00:00Z"), leap, TZ)).toBe(false);
    const early = { birthDate: "2016-02-29", birthDateSetAt: new Date("2027-01-28T00:00:00Z") };
    expect(isBirthdayBonus(new Date("2027-02-10T12:00:00Z"), early, TZ)).toBe(true);
  });
});
