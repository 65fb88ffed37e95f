import { resolveDatabase } from "../src/connection";
import { migrateDatabase } from "../src/migrate";

const db = await resolveDatabase(console.log);
await migrateDatabase(db.url);
console.log("Migrations applied.");
await db.stop?.();
