/**
 * What the relay hands to the core's classifiers, made from text a stranger may have written (a
 * webhook's message, an e-mail, a CSV cell).
 *
 * The core's `stripHtml` (packages/core/src/reasons/normalizeText.ts) removes markup with three
 * regular expressions whose lazy or negated spans rescan the rest of the text from every opener
 * that has no closer: `/<!--[\s\S]*?-->/g`, `/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi` and
 * `/<\/?[a-z][^>]*>/gi`. Their cost grows with the square of the text: 200,000 characters of
 * `<a` took 31 s, and 1,000,000 of `<style` 176 s (measured on the build machine, 29 Nov 2026),
 * with the event loop blocked throughout. Until the core is fixed, the relay removes markup here
 * in one pass (each closer is searched for once, whatever the number of openers) and replaces any
 * `<` that opens nothing with a space, so the core's expressions find no `<` to start from. The
 * words the core sees are the same: it turns markup into spaces, and `<` is no letter.
 */

/** The core reads at most 256,000 normalised characters; reading more raw text is wasted. */
export const MAX_CLASSIFIED_CHARS = 256_000;

const RAW_TEXT_ELEMENTS = ['style', 'script', 'head'];

const isAsciiLetter = (code: number) => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
const isWordChar = (code: number) => isAsciiLetter(code) || (code >= 48 && code <= 57) || code === 95;
const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13);

/** Markup removed in linear time, as the core's stripHtml would remove it; no `<` is left. */
export function stripMarkup(text: string): string {
  if (!text.includes('<')) return text;
  // ASCII lower case keeps every index where it was (toLowerCase may not, e.g. for "İ").
  const lower = text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  // The first occurrence of a needle at or after a position: remembered, so that a thousand
  // openers without a closer cost one search, not a thousand.
  const found = new Map<string, { from: number; at: number }>();
  const indexOf = (needle: string, from: number): number => {
    const known = found.get(needle);
    if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
    const at = lower.indexOf(needle, from);
    found.set(needle, { from, at });
    return at;
  };
  /** End (after ">") of the first `</name\s*>` at or after `from`, or -1; remembered like indexOf. */
  const closed = new Map<string, { from: number; at: number; end: number }>();
  const closingTag = (name: string, from: number): number => {
    const known = closed.get(name);
    if (known && known.from <= from && (known.end === -1 || known.at >= from)) return known.end;
    let position = from;
    for (;;) {
      const at = indexOf(`</${name}`, position);
      if (at === -1) {
        closed.set(name, { from, at: -1, end: -1 });
        return -1;
      }
      let end = at + name.length + 2;
      while (end < lower.length && isSpace(lower.charCodeAt(end))) end++;
      if (lower.charCodeAt(end) === 62 /* > */) {
        closed.set(name, { from, at, end: end + 1 });
        return end + 1;
      }
      position = at + 1;
    }
  };

  const parts: string[] = [];
  let copied = 0;
  let position = 0;
  for (;;) {
    const open = lower.indexOf('<', position);
    if (open === -1) break;
    parts.push(text.slice(copied, open), ' ');
    let end = -1;
    if (lower.startsWith('<!--', open)) {
      const close = indexOf('-->', open + 4);
      end = close === -1 ? -1 : close + 3;
    } else {
      const element = RAW_TEXT_ELEMENTS.find((name) => lower.startsWith(name, open + 1) && !isWordChar(lower.charCodeAt(open + 1 + name.length)));
      if (element) end = closingTag(element, open + 1 + element.length);
      if (end === -1) {
        const first = lower.charCodeAt(open + 1) === 47 /* / */ ? open + 2 : open + 1;
        if (isAsciiLetter(lower.charCodeAt(first))) {
          const close = indexOf('>', first);
          end = close === -1 ? -1 : close + 1;
        }
      }
    }
    // A "<" that opens nothing is a space too: the core would keep it, and its expressions would
    // then start from it.
    position = copied = end === -1 ? open + 1 : end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The text to classify: its start only, without markup. */
export function classifierInput(text: string): string {
  return stripMarkup(text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text);
}
