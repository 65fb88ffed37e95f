import { describe, expect, it } from "vitest";
import { parseAmount, parseVenueTime } from "../app/lib/form-values";

describe("booking form values", () => {
  it.each([
    ["25", 2500],
    ["25.5", 2550],
    ["25,50", 2550],
    [" 0.99 ", 99],
    ["", 0],
    ["-3", null],
    ["1e3", null],
    ["12.345", null],
    ["abc", null],
  ])("amount %j → %j minor units", (raw, minor) => {
    expect(parseAmount(raw)).toBe(minor);
  });

  it("reads a datetime-local value in the venue's time zone, across daylight saving", () => {
    expect(parseVenueTime("2026-12-01T15:00", "Europe/Belgrade")?.toISOString()).toBe(
      "2026-12-01T14:00:00.000Z",
    );
    expect(parseVenueTime("2026-07-01T15:00", "Europe/Belgrade")?.toISOString()).toBe(
      "2026-07-01T13:00:00.000Z",
    );
    expect(parseVenueTime("2026-07-01T15:00", "UTC")?.toISOString()).toBe(
      "2026-07-01T15:00:00.000Z",
    );
    expect(parseVenueTime("tomorrow", "UTC")).toBeNull();
  });
});
