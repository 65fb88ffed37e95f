/**
 * What an edit changes: the fields of `patch` whose value differs from the row's (`changes`,
 * what to write and the audit entry's "after") and their old values (`was`, its "before").
 * `same` compares a field's new and old value (strict equality unless given).
 */
export function changedFields(
  before: object,
  patch: object,
  same: (next: unknown, old: unknown) => boolean = (next, old) => next === old,
) {
  const changes: Record<string, unknown> = {};
  const was: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    const old = (before as Record<string, unknown>)[k];
    if (!same(v, old)) {
      changes[k] = v;
      was[k] = old;
    }
  }
  return { changes, was };
}
