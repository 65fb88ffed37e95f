import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// fflate is a dependency of @xplorium/core (which zips data exports), not of the workspace
// root, so tests/ resolves it from there rather than adding a root dependency.
type Fflate = typeof import("../../packages/core/node_modules/fflate/esm/index.mjs");

const requireFromCore = createRequire(new URL("../../packages/core/package.json", import.meta.url));
const fflate: Fflate = await import(pathToFileURL(requireFromCore.resolve("fflate")).href);

// Keeps a byte order mark, which the files are checked for.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The files of a zip by name, as text. */
export function unzipText(zip: Uint8Array): Record<string, string> {
  const files = fflate.unzipSync(zip);
  return Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [name, utf8.decode(bytes)]),
  );
}
