import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Comments and docs point at files by their path in the repo ("see packages/core/src/deps.ts");
 * after a file moves, such a pointer sends the reader nowhere. Every path they cite must exist.
 */
const root = path.resolve(import.meta.dirname, "..");
const CITED = /(?<![\w./@$-])((?:apps|packages|tooling|tests|docs|bench|patches)\/[\w./@+$-]*\w)/g;

function trackedTextFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  });
  return out
    .split("\n")
    .filter((f) => /\.(ts|tsx|md)$/.test(f) && !f.includes("node_modules"))
    .filter((f) => existsSync(path.join(root, f)));
}

describe("paths cited in comments and docs", () => {
  it("name files and folders that are in the repo", () => {
    const missing: string[] = [];
    for (const file of trackedTextFiles()) {
      readFileSync(path.join(root, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const match of line.matchAll(CITED)) {
            const cited = match[1] as string;
            // A template literal builds the path (`apps/${app}`): not a citation.
            if (line[match.index + cited.length] === "$") continue;
            if (!existsSync(path.join(root, cited))) missing.push(`${file}:${i + 1} ${cited}`);
          }
        });
    }
    expect(missing).toEqual([]);
  });
});
