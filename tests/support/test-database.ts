import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * A fresh database for the whole test file, handed to `ready` before the tests (to keep, and to
 * add what every test needs) and dropped after them; `afterEach`, when given, runs after every
 * test (an invariant that must hold throughout the file).
 */
export function useTestDatabase(
  ready: (t: TestDatabase) => unknown,
  opts: { afterEach?: (t: TestDatabase) => unknown } = {},
) {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    await ready(t);
  });
  const check = opts.afterEach;
  if (check) afterEach(() => check(t!));
  afterAll(async () => {
    await t?.drop();
  });
}
