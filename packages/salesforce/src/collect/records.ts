/**
 * Removes the REST `attributes` member (type and url of each record) from a record and the
 * records nested in it. The snapshot ignores them, and dropping them shortens the JSON that the
 * CLI prints and the relay stores by about a third.
 */
export function stripAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    copy[key] =
      value && typeof value === 'object' && !Array.isArray(value)
        ? stripAttributes(value as Record<string, unknown>)
        : value;
  }
  return copy;
}
