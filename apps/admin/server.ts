import path from "node:path";
import { fileURLToPath } from "node:url";
import { startAppServer } from "@xplorium/server";

await startAppServer({ app: "admin", root: path.dirname(fileURLToPath(import.meta.url)) });
