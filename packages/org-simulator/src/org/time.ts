/** Salesforce's REST date-time format: 2026-11-28T22:54:27.000+0000. */
export function sfDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** Epoch milliseconds of a Salesforce or ISO date-time string (or a date), NaN when unparsable. */
export function parseDateTime(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalized);
}
