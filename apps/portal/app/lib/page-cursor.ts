/**
 * Keyset cursors in the URL (`?points=2026-03-01T10:00:00.123456Z_<uuid>`), so "Show more" is a
 * plain link that works without JavaScript and can be bookmarked.
 */
export interface PageCursor {
  at: string;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([0-9a-f-]{36})$/i;

export function encodeCursor(cursor: PageCursor): string {
  return `${cursor.at}_${cursor.id}`;
}

/** The cursor in a query parameter; anything malformed means the first page. */
export function decodeCursor(value: string | null): PageCursor | null {
  const m = value ? CURSOR.exec(value) : null;
  return m ? { at: m[1]!, id: m[2]!.toLowerCase() } : null;
}

/** The current URL with one parameter set (or removed), keeping the others. */
export function withParam(url: URL, name: string, value: string | null): string {
  const params = new URLSearchParams(url.search);
  if (value === null) params.delete(name);
  else params.set(name, value);
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
