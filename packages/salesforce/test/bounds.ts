/** A bound on waits for what should follow at once (an abort, a reply); reaching it fails the test. */
const BOUND_MS = 5000;

/** `work`, or a rejection naming `what` if it has not settled within BOUND_MS. */
export function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${BOUND_MS} ms`)), BOUND_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What `work` rejected with, or undefined if it resolved. */
export const failure = async (work: Promise<unknown>) =>
  (await work.then(
    () => undefined,
    (e: unknown) => e,
  )) as { errorCode?: string; statusCode?: number; message: string; stack?: string } | undefined;
