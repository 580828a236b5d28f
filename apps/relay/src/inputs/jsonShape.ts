import { HttpError } from '../errors.js';

/** Deeper than any document the relay reads (Postmark's is 3 levels deep, the admin API's ~6). */
export const MAX_JSON_DEPTH = 64;
/**
 * More values than any document the relay reads holds (a Postmark message of a few hundred
 * headers and attachments has a few thousand; the admin API's 64 KB bodies fewer than 33,000).
 */
export const MAX_JSON_VALUES = 100_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Refuses, before JSON.parse sees it, a body whose parse would hold the event loop for seconds:
 * measured on 15.8 MB (the Postmark route's limit), `[[[[…` nested 7.9 million deep took
 * JSON.parse 7.6 s, and a flat `[{},{},…]` of 4 million objects 4.6 s, while every other request
 * (/health/live included) waited. One pass over the bytes, skipping strings with indexOf (most of a
 * Postmark body is its RawEmail string): ~25 ms for 15 MB, and a deep body stops at byte 65.
 * Counts containers and commas outside strings; does not check the JSON is valid (JSON.parse
 * does, after). A 400 like any other body the relay cannot read (and 403 or 406 to the mail
 * services, which then stop posting it again).
 */
export function assertJsonShape(body: Uint8Array): void {
  let depth = 0;
  let values = 0;
  const length = body.length;
  for (let i = 0; i < length; i++) {
    const byte = body[i]!;
    if (byte === QUOTE) {
      // The closing quote: the next one not escaped (an odd run of backslashes before it).
      let end = i;
      for (;;) {
        end = body.indexOf(QUOTE, end + 1);
        if (end === -1) return; // unterminated: JSON.parse refuses it
        let slashes = 0;
        while (body[end - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
      i = end;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > MAX_JSON_DEPTH)
        throw new HttpError(
          400,
          'JSON_TOO_DEEP',
          `the JSON nests deeper than ${MAX_JSON_DEPTH} levels; no document this relay reads does`,
        );
      if (++values > MAX_JSON_VALUES) throw tooManyValues();
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    } else if (byte === COMMA) {
      if (++values > MAX_JSON_VALUES) throw tooManyValues();
    }
  }
}

const tooManyValues = () =>
  new HttpError(
    400,
    'JSON_TOO_MANY_VALUES',
    `the JSON holds more than ${MAX_JSON_VALUES.toLocaleString('en')} values; no document this relay reads does`,
  );
