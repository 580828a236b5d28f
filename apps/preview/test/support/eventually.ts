/**
 * Reads `read` until `accept` takes its value, and answers that value: for what the demo shows only
 * once the relay delivered it into the org (a status record), which happens some time after the
 * relay accepted the signal. Fails after `timeoutMs` with the last value read.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 10_000, what = 'the expected value' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`No ${what} within ${timeoutMs} ms; last read: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
