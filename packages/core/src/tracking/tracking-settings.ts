import { type DbOrTx, schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";

const { marketingSettings, staffUsers } = schema;

export interface TrackingSettings {
  /** Opens and clicks stored per message (and so per person); off: dropped (ADR). */
  trackOpensClicks: boolean;
  updatedAt: Date | null;
  updatedByName: string | null;
}

/** Off until marketing turns it on: privacy by default (the migration's row says the same). */
const DEFAULTS: TrackingSettings = {
  trackOpensClicks: false,
  updatedAt: null,
  updatedByName: null,
};

/** Whether opens and clicks are recorded now; read in the webhook's transaction. */
export async function opensAndClicksTracked(db: DbOrTx): Promise<boolean> {
  const [row] = await db
    .select({ on: marketingSettings.trackOpensClicks })
    .from(marketingSettings)
    .where(eq(marketingSettings.id, 1));
  return row?.on ?? DEFAULTS.trackOpensClicks;
}

export async function trackingSettings({ db }: DepsWith<"db">): Promise<TrackingSettings> {
  return readTrackingSettings(db);
}

async function readTrackingSettings(db: DbOrTx): Promise<TrackingSettings> {
  const [row] = await db
    .select({
      trackOpensClicks: marketingSettings.trackOpensClicks,
      updatedAt: marketingSettings.updatedAt,
      updatedByName: staffUsers.name,
    })
    .from(marketingSettings)
    .leftJoin(staffUsers, eq(staffUsers.id, marketingSettings.updatedByStaffId))
    .where(eq(marketingSettings.id, 1));
  return row ?? DEFAULTS;
}

export const trackingSettingsInput = z.object({
  trackOpensClicks: z.boolean({ message: "Choose whether opens and clicks are tracked." }),
});
export type TrackingSettingsInput = z.infer<typeof trackingSettingsInput>;

/**
 * Marketing, a manager or the owner turns open/click tracking on or off (audited with before
 * and after). Turning it off stops storing new opens and clicks; those recorded while it was on
 * stay with their campaigns' reports.
 */
export async function updateTrackingSettings(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: TrackingSettingsInput,
): Promise<TrackingSettings> {
  return db.transaction(async (tx) => {
    // The row is locked (or created) first, so two concurrent edits audit what they changed.
    await tx.insert(marketingSettings).values({ id: 1 }).onConflictDoNothing();
    const [before] = await tx
      .select({ trackOpensClicks: marketingSettings.trackOpensClicks })
      .from(marketingSettings)
      .where(eq(marketingSettings.id, 1))
      .for("update");
    if (before?.trackOpensClicks !== input.trackOpensClicks) {
      await tx
        .update(marketingSettings)
        .set({
          trackOpensClicks: input.trackOpensClicks,
          updatedByStaffId: actor.type === "staff" ? actor.id : null,
          updatedAt: new Date(),
        })
        .where(eq(marketingSettings.id, 1));
      await recordAudit(tx, actor, meta, {
        action: "marketing.settings_updated",
        entityType: "marketing_settings",
        entityId: "1",
        details: {
          before: { trackOpensClicks: before?.trackOpensClicks ?? DEFAULTS.trackOpensClicks },
          after: { trackOpensClicks: input.trackOpensClicks },
        },
      });
    }
    return readTrackingSettings(tx);
  });
}
