import { cookieFuzzSuite } from "../../../packages/server/test/cookie-fuzz-suite";
import * as entry from "../app/entry.server";
import * as root from "../app/root";
import * as layout from "../app/routes/_app";
import * as home from "../app/routes/_app._index";
import * as trpc from "../app/routes/api.trpc.$";
import * as signIn from "../app/routes/sign-in";

// Malformed and fuzzed Cookie headers against the admin's real pages and tRPC (see the suite).
cookieFuzzSuite("admin", {
  entry,
  root,
  signIn,
  trpc,
  layout: { id: "routes/_app", module: layout },
  home: { id: "routes/_app._index", module: home },
});
