/** Where the customer list's time goes at 1M: EXPLAIN ANALYZE of each statement it sends. */
import { listCustomers } from "@xplorium/core/customers";
import { CONNECTION_PARAMETERS } from "@xplorium/db";
import postgres from "postgres";
import { benchDatabase } from "./database";
import { capturingDb } from "./kit";

const bench = await benchDatabase({ customers: 1_000_000, log: () => {} });
const url = bench.url;
const cap = capturingDb(url);
const raw = postgres(url, { max: 1, onnotice: () => {}, connection: CONNECTION_PARAMETERS });
await raw`select 1`;
for (const input of [
  { q: "mar", limit: 25, withTotal: false },
  { q: "quint", limit: 25, withTotal: false },
  { q: "mar", limit: 25, sort: "relevance" as const },
  { tiers: ["SILVER", "GOLD"] as ("SILVER" | "GOLD")[], emailOptIn: true, limit: 25 },
]) {
  const queries = await cap.capture((db) => listCustomers({ db }, input));
  console.log("==", JSON.stringify(input));
  for (const q of queries.filter((x) => !/^\s*explain\b/i.test(x.query))) {
    const rows = await raw.unsafe(
      `explain (analyze, buffers off, timing off, summary on) ${q.query}`,
      q.params as never[],
    );
    const lines = rows.map((r) => (r as Record<string, string>)["QUERY PLAN"]);
    console.log(
      q.query.slice(0, 60).replace(/\s+/g, " "),
      "\n  ",
      lines
        .filter((l) => /Execution Time|Scan|Sort|Limit|Aggregate/.test(l ?? ""))
        .slice(0, 12)
        .join("\n   "),
    );
  }
}
await cap.end();
await raw.end();
await bench.stop();
