import { loggablePath } from "@xplorium/server";
import { describe, expect, it } from "vitest";

describe("the access log", () => {
  it("never carries a staff password-reset link's token", () => {
    expect(
      loggablePath("/reset-password/abcdefghijkmnpqrstuvwxyz.abcdefghijkmnpqrstuvwxyz234567"),
    ).toBe("/reset-password/:token");
    expect(loggablePath("/Reset-Password/abc.def")).toBe("/reset-password/:token");
    expect(loggablePath("/reset-password")).toBe("/reset-password");
  });
});
