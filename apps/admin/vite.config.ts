import { fileURLToPath } from "node:url";
import { remixAppConfig } from "@xplorium/vite-config";

// Single-fetch types for loaders and actions (the flag itself is on in remixAppConfig).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default remixAppConfig({
  appDir: fileURLToPath(new URL("./app", import.meta.url)),
  hmrPort: 24678,
});
