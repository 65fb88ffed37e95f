import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "~/routes/_app.customers_.$id_.merge";

/** The merge page's loader data, one shape per step. */
export type MergePage = SerializeFrom<typeof loader>;
export type PickPage = Extract<MergePage, { step: "pick" }>;
export type ComparePage = Extract<MergePage, { step: "compare" | "confirm" }>;
export type Side = "survivor" | "merged";

export const who = (c: { name: string | null; email: string | null }) => c.name ?? c.email ?? "—";
export const yesNo = (b: boolean) => (b ? "yes" : "no");
