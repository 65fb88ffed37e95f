/**
 * `tsx ../../tooling/scripts/bundle-server.ts <entry.ts> <out.js>` (an app's `build` script):
 * bundles a production entry (apps/admin/server.ts, apps/portal/server.ts, apps/worker/src/main.ts)
 * into one ES module that plain `node` runs, so production never transpiles TypeScript at run
 * time (docs/decisions/018-built-server-bundle.md).
 *
 * - Workspace code (`@xplorium/*` and relative imports) is bundled from source, and treated as
 *   free of import-time side effects (as the Remix build's Rollup finds it): a module nothing
 *   uses is left out together with the npm packages only it imports (the demo-data seeder and
 *   all of faker's locales are not loaded by a server).
 * - npm packages stay external, imported by Node at run time from the app's node_modules. Each
 *   one the bundle imports must be in the app's own node_modules, i.e. declared in its
 *   package.json (pnpm does not hoist): the build fails naming any that is not, rather than the
 *   server failing at start in production.
 * - `import.meta.url` (and `.dirname` / `.filename`) in a bundled module still mean that module's
 *   source file, expressed relative to the bundle: the database package finds its migrations
 *   folder and server.ts its app folder, as they do under tsx.
 * - A linked source map is written beside it (readable stack traces: `--enable-source-maps`).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

const inNodeModules = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`);
const toPosix = (p: string) => p.split(path.sep).join("/");

/** Bare specifiers other than `node:` built-ins and the workspace's own packages: external. */
const externalPackages: Plugin = {
  name: "external-npm-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:") || args.path.startsWith("@xplorium/")) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const workspaceWithoutSideEffects: Plugin = {
  name: "workspace-without-side-effects",
  setup(b) {
    b.onResolve({ filter: /^(\.|@xplorium\/)/ }, async (args) => {
      if (args.pluginData === "resolving" || args.kind === "entry-point") return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      if (r.errors.length > 0 || r.external || inNodeModules(r.path)) return undefined;
      return { path: r.path, namespace: r.namespace, sideEffects: false };
    });
  },
};

function sourceLocations(outDir: string): Plugin {
  return {
    name: "module-relative-import-meta",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (inNodeModules(args.path)) return undefined;
        let contents = await readFile(args.path, "utf8");
        if (contents.includes("import.meta")) {
          const url = `new URL(${JSON.stringify(toPosix(path.relative(outDir, args.path)))}, import.meta.url)`;
          contents = contents
            .replaceAll("import.meta.url", `${url}.href`)
            .replaceAll("import.meta.dirname", `__xpPath.dirname(__xpUrl.fileURLToPath(${url}))`)
            .replaceAll("import.meta.filename", `__xpUrl.fileURLToPath(${url})`);
          if (contents.includes("__xpUrl.")) {
            contents = `import * as __xpUrl from "node:url";\n${contents}`;
          }
          if (contents.includes("__xpPath.")) {
            contents = `import * as __xpPath from "node:path";\n${contents}`;
          }
        }
        const ext = path.extname(args.path).slice(1);
        const loader = ext === "tsx" || ext === "jsx" ? ext : ext.includes("t") ? "ts" : "js";
        return { contents, loader };
      });
    },
  };
}

export interface BundleResult {
  /** The npm packages (as imported) the bundle loads at run time. */
  externals: string[];
  /** Those the app's node_modules does not hold, each with a module importing it. */
  unresolvable: { spec: string; importedBy: string }[];
  bytes: number;
  modules: number;
}

/** Bundles `entry` into `outfile` (see the top of this file). */
export async function bundleServer(entryPath: string, outPath: string): Promise<BundleResult> {
  const entry = path.resolve(entryPath);
  const outfile = path.resolve(outPath);
  const outDir = path.dirname(outfile);
  // The app's folder: the nearest package.json above the entry.
  let appDir = path.dirname(entry);
  while (!existsSync(path.join(appDir, "package.json"))) appDir = path.dirname(appDir);
  // Found from the bundle's folder without leaving the app: one found only further up, among
  // the repository root's development tools, would be there by accident.
  const resolvable = (pkg: string) => {
    for (let dir = outDir; dir.startsWith(appDir); dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "node_modules", pkg, "package.json"))) return true;
    }
    return false;
  };

  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    // The workspace's compiler settings for every module (JSX through react/jsx-runtime, as
    // "jsx": "react-jsx" says): modules come through the plugin below, and esbuild would
    // otherwise compile their JSX to React.createElement without importing React.
    tsconfig: path.join(import.meta.dirname, "../typescript/base.json"),
    jsx: "automatic",
    plugins: [workspaceWithoutSideEffects, externalPackages, sourceLocations(outDir)],
  });

  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const importedBy = new Map<string, string>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const i of input.imports) if (i.external) importedBy.set(i.path, file);
  }
  const externals = [
    ...new Set(
      (output?.imports ?? [])
        .filter((i) => i.external && !i.path.startsWith("node:"))
        .map((i) => i.path),
    ),
  ].sort();
  return {
    externals,
    unresolvable: externals
      .filter((spec) => !resolvable(packageName(spec)))
      .map((spec) => ({ spec, importedBy: importedBy.get(spec) ?? "?" })),
    bytes: output?.bytes ?? 0,
    modules: Object.keys(result.metafile.inputs).length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [entry, outfile] = process.argv.slice(2);
  if (!entry || !outfile) {
    console.error("usage: bundle-server.ts <entry.ts> <out.js>");
    process.exit(2);
  }
  const r = await bundleServer(entry, outfile);
  if (r.unresolvable.length > 0) {
    console.error(
      `${entry}: the bundle imports packages the app's node_modules does not hold; declare them in its package.json (dependencies):\n${r.unresolvable.map((u) => `  ${u.spec} (imported by ${u.importedBy})`).join("\n")}`,
    );
    process.exit(1);
  }
  console.log(
    `bundled ${entry} → ${outfile} (${(r.bytes / 1024).toFixed(0)} kB, ${r.modules} modules; ${r.externals.length} npm imports)`,
  );
}
