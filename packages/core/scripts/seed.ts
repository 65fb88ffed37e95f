import { env } from "@xplorium/config";
import { createDb, resolveDatabase } from "@xplorium/db";
import { migrateDatabase } from "@xplorium/db/migrate";
import { isEmptyDatabase, seedDemoData, signInDetails } from "../src/seed";

// `pnpm db:seed`: migrate, then fill an empty database with demo data and print the sign-ins.
const config = env();
const resolved = await resolveDatabase(console.log);
await migrateDatabase(resolved.url);
const handle = createDb(resolved.url, { max: 2 });
try {
  if (await isEmptyDatabase(handle.db)) {
    const summary = await seedDemoData(handle.db, {
      currency: config.CURRENCY,
      timeZone: config.TIME_ZONE,
    });
    console.log(
      `Seeded ${summary.customers} customers, ${summary.bookings} bookings, ${summary.ledgerRows} ledger rows, ${summary.vouchers} vouchers.`,
    );
    console.log(
      `Tiers: ${Object.entries(summary.tiers)
        .map(([t, n]) => `${t} ${n}`)
        .join(", ")}`,
    );
  } else {
    console.log("The database already has data; nothing seeded.");
  }
  console.log(`\n${signInDetails(config.ADMIN_URL, config.PORTAL_URL)}\n`);
} finally {
  await handle.close();
  await resolved.stop?.();
}
