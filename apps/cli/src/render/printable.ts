/**
 * Text from the org (labels, names, Salesforce's messages) and from the relay (HubSpot's e-mail
 * excerpt) on its way to a terminal: control characters become U+FFFD, so none of it can move the
 * cursor, clear the screen, retitle the window or write the clipboard. Tab and line feed stay.
 * C0 controls, DEL and the C1 controls (U+009B alone is a CSI to many terminals).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/** A copy of `value` with every string in it printable (for the human renderers; --json keeps the data). */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => printableDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        printableDeep(item),
      ]),
    ) as T;
  }
  return value;
}
