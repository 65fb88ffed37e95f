/** The longest `next` taken (and the longest path it may become); anything longer is refused. */
export const MAX_NEXT_LENGTH = 2000;

/**
 * C0 and C1 control characters, DEL, the backslash and every Unicode whitespace character
 * (`\s`: space, TAB, CR, LF, NBSP, U+2028…). Browsers drop TAB, CR and LF inside a URL and read
 * `\` as `/`, so `/\t/evil.example` or `/\evil.example` reach another host; none of them is ever
 * in a path the apps make themselves.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\\s]/u;

const decoded = (value: string): string | null => {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
};

/**
 * Where a `?next=` (or a form's `next` field) may send someone after signing in: a path, query
 * and fragment on the app's own origin, or null (the caller's default). `value` is resolved with
 * `new URL(value, ownOrigin)` as a browser would, and taken only when the result is on
 * `ownOrigin`; it is refused outright when it, or its percent-decoded form, holds a control
 * character, a backslash or whitespace, when its percent-encoding is malformed, when it is longer
 * than MAX_NEXT_LENGTH, or when the path it resolves to starts with `//` (raw or decoded), which
 * a browser would read as another host. The answer is always the normalised path (`/a/../b` is
 * `/b`), never the absolute URL, so what is sent in `Location` is exactly what was checked.
 */
export function safeNext(value: unknown, ownOrigin: string): string | null {
  if (typeof value !== "string" || value === "" || value.length > MAX_NEXT_LENGTH) return null;
  const plain = decoded(value);
  if (plain === null || UNSAFE.test(value) || UNSAFE.test(plain)) return null;
  const origin = new URL(ownOrigin).origin;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const target = url.pathname + url.search + url.hash;
  if (target.length > MAX_NEXT_LENGTH || target.startsWith("//")) return null;
  // Dot segments can leave `//` at the start (`/.//evil.example`), and `%2F%2F` decodes to it.
  const path = decoded(url.pathname);
  if (path === null || path.startsWith("//")) return null;
  return target;
}
