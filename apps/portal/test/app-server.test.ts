import { appServerSuite } from "../../../packages/server/test/app-server-suite";
import * as entry from "../app/entry.server";
import * as root from "../app/root";
import * as trpc from "../app/routes/api.trpc.$";
import * as signIn from "../app/routes/sign-in";

// The shared app server over real HTTP with this app's real modules (see the suite).
appServerSuite("portal", { entry, root, signIn, trpc });
