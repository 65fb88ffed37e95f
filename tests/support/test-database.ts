import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * A fresh database for the whole test file, dropped after its tests. The handle it returns is
 * filled in before the tests (so a file keeps it in a `const` at the top); `ready` then adds what
 * every test needs, and `afterEach`, when given, runs after every test (an invariant that must
 * hold throughout the file).
 */
export function useTestDatabase(
  ready?: (t: TestDatabase) => unknown,
  opts: { afterEach?: (t: TestDatabase) => unknown } = {},
): TestDatabase {
  const handle = {} as TestDatabase;
  let created: TestDatabase | undefined;
  beforeAll(async () => {
    created = await createTestDatabase();
    Object.assign(handle, created);
    await ready?.(handle);
  });
  const check = opts.afterEach;
  if (check) afterEach(() => check(handle));
  afterAll(async () => {
    await created?.drop();
  });
  return handle;
}
