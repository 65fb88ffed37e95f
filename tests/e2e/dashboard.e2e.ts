import { describe, expect, it } from "vitest";
import { screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

async function signIn(role: "OWNER" | "FRONT_DESK") {
  const opened = await e2e.open({ viewport: { width: 1400, height: 1100 } });
  await staffSignIn(opened.page, role);
  await opened.page.getByRole("heading", { name: "Dashboard" }).waitFor();
  return opened;
}

describe("the dashboard", () => {
  it("draws every chart on the demo data for the owner, and shows the front desk no venue money", async () => {
    const owner = await signIn("OWNER");
    // The worker builds the first snapshot at start-up; the page says so until it is there.
    await expect
      .poll(
        async () => {
          await owner.page.reload();
          return owner.page.getByText("Average lifetime value").count();
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBeGreaterThan(0);
    for (const title of [
      "Customer acquisition",
      "Bookings by type",
      "Revenue by booking type",
      "Tier progression",
      "Booking frequency (all time)",
      "Loyalty points (balances now)",
    ]) {
      const card = owner.page
        .locator("section")
        .filter({ has: owner.page.getByRole("heading", { name: title }) });
      // recharts draws its SVG once the page has hydrated.
      await card.locator("svg.recharts-surface").first().waitFor();
    }
    await screenshot(owner.page, "admin-dashboard");
    expect(owner.errors).toEqual([]);
    await owner.context.close();

    const desk = await signIn("FRONT_DESK");
    await desk.page.getByRole("heading", { name: "Customer acquisition" }).waitFor();
    expect(await desk.page.getByText("Average lifetime value").count()).toBe(0);
    expect(await desk.page.getByRole("heading", { name: "Revenue by booking type" }).count()).toBe(
      0,
    );
    expect(desk.errors).toEqual([]);
    await desk.context.close();
  }, 120_000);
});
