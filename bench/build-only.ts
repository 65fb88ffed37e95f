import { benchDatabase } from "./database";

/** `tsx bench/build-only.ts [customers]`: builds (or reuses) the benchmark database and stops. */
const customers = Number(process.argv[2] ?? 1_000_000);
const db = await benchDatabase({ customers, log: (l) => console.log(l) });
await db.stop();
