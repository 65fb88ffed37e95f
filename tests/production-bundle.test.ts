import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrationsFolder } from "@xplorium/db";
import { afterAll, describe, expect, it } from "vitest";
import { bundleServer } from "../tooling/scripts/bundle-server";
import {
  PRODUCTION_ENTRY,
  PRODUCTION_NODE_FLAGS,
  type ProductionProcess,
  productionCommand,
} from "../tooling/scripts/production";

/**
 * Production runs built JavaScript with plain node (docs/decisions/018-built-server-bundle.md):
 * the apps' scripts agree with tooling/scripts/production.ts (which the e2e setup, the
 * reliability cluster and the benchmark spawn), and the bundler keeps what tsx gave for free.
 */
const root = path.resolve(import.meta.dirname, "..");
const sources: Record<ProductionProcess, string> = {
  admin: "server.ts",
  portal: "server.ts",
  worker: "src/main.ts",
};
const scratch: string[] = [];
/** An output path inside `dir`'s build/ (git-ignored), removed after the tests. */
const scratchOut = (dir: string) => {
  const out = path.join(root, dir, "build", `.bundle-test-${process.pid}`);
  scratch.push(out);
  return path.join(out, "out.js");
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe("production commands", () => {
  for (const app of Object.keys(sources) as ProductionProcess[]) {
    it(`${app}: start runs the built entry with the production flags; build writes it`, () => {
      const pkg = JSON.parse(readFileSync(path.join(root, "apps", app, "package.json"), "utf8"));
      const { args, env } = productionCommand(app);
      const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `);
      expect(pkg.scripts.start).toBe(`NODE_ENV=production ${vars.join("")}node ${args.join(" ")}`);
      expect(args).toEqual([...PRODUCTION_NODE_FLAGS[app], PRODUCTION_ENTRY[app]]);
      expect(pkg.scripts.build).toMatch(
        new RegExp(`bundle-server\\.ts ${sources[app]} ${PRODUCTION_ENTRY[app]}$`),
      );
      // Development keeps transpiling on the fly.
      expect(pkg.scripts.dev).toBe(`node --import tsx ${sources[app]}`);
    });
  }
});

describe("bundleServer", () => {
  it("bundles each entry with every npm import declared by the app, and no seed data", async () => {
    for (const app of Object.keys(sources) as ProductionProcess[]) {
      const r = await bundleServer(
        path.join(root, "apps", app, sources[app]),
        scratchOut(`apps/${app}`),
      );
      expect(r.unresolvable, app).toEqual([]);
      expect(r.externals, app).not.toContain("@faker-js/faker");
      expect(r.externals, app).not.toContain("tsx");
      if (app !== "worker") {
        // The web apps neither seed nor run jobs (they enqueue with SQL): neither the bundle nor
        // the app's dependencies carry faker or the job queue.
        const pkg = JSON.parse(readFileSync(path.join(root, "apps", app, "package.json"), "utf8"));
        for (const dep of ["@faker-js/faker", "graphile-worker"]) {
          expect(r.externals, app).not.toContain(dep);
          expect(Object.keys(pkg.dependencies ?? {}), app).not.toContain(dep);
        }
      }
    }
  }, 60_000);

  it("keeps import.meta.url meaning the module's source file (the migrations folder)", async () => {
    const out = scratchOut("packages/db");
    const r = await bundleServer(path.join(root, "packages/db/src/migrate.ts"), out);
    expect(r.unresolvable).toEqual([]);
    const bundled = (await import(pathToFileURL(out).href)) as { migrationsFolder: string };
    expect(bundled.migrationsFolder).toBe(migrationsFolder);
  }, 30_000);

  it("compiles the workspace's JSX as its tsconfig says (an email renders from the bundle)", async () => {
    const out = scratchOut("packages/email");
    const r = await bundleServer(path.join(root, "packages/email/src/marketing.tsx"), out);
    expect(r.unresolvable).toEqual([]);
    expect(r.externals).toContain("react/jsx-runtime");
    const bundled = (await import(
      pathToFileURL(out).href
    )) as typeof import("../packages/email/src/marketing");
    const rendered = await bundled.renderMarketingTemplate({
      subject: "Hello",
      preheader: "News",
      bodyMarkdown: "A **bold** offer for {{firstName}}.",
    });
    expect(rendered.html).toContain("<strong>bold</strong>");
    expect(rendered.text).toContain("{{firstName}}");
  }, 30_000);
});
