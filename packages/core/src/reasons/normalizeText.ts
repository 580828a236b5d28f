/**
 * Text normalisation for matching suspension headings in whatever HubSpot sent: an HTML e-mail,
 * a pasted banner, a plain title. The result holds only lower-case letters and digits without
 * diacritics, separated by single spaces, with a space at each end, so phrases can be matched
 * as whole words with plain string or RegExp operations. Pure: no DOM, no Node APIs (LWC-safe).
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  rsquo: "'",
  lsquo: "'",
  ndash: '-',
  mdash: '-',
  shy: '',
  zwnj: '',
  zwj: '',
  hellip: ' ',
  laquo: ' ',
  raquo: ' ',
  bdquo: ' ',
  ldquo: ' ',
  rdquo: ' ',
  aelig: 'ae',
  AElig: 'AE',
  oslash: 'o',
  Oslash: 'O',
  szlig: 'ss',
  oelig: 'oe',
  OElig: 'OE',
  eth: 'd',
  thorn: 'th',
};

/** Letters NFKD does not decompose into a base letter + mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,10});?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? parseInt(body.slice(2), 16)
          : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : ' ';
    }
    const named = NAMED_ENTITIES[body];
    if (named !== undefined) return named;
    // &aring; &auml; &eacute; &ccedil; ... : the base letter is enough once diacritics are dropped.
    const accented = /^([a-z])(acute|grave|uml|circ|tilde|ring|cedil|caron|slash|ogon|dot)$/i.exec(
      body,
    );
    if (accented) return accented[1]!;
    return whole.endsWith(';') ? ' ' : whole;
  });
}

/** Elements whose content is not words: it goes with them. */
const RAW_TEXT_ELEMENTS = ['style', 'script', 'head'];

const isAsciiLetter = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
const isWordChar = (code: number): boolean =>
  isAsciiLetter(code) || (code >= 48 && code <= 57) || code === 95;
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/**
 * `text.indexOf(needle, from)` for ever larger `from`, each region of the text searched once: a
 * search that found nothing, or found a match at or after the new start, answers again without
 * searching. Markup from strangers (an e-mail, a webhook, a CSV cell) may hold a million openers
 * without a closer; searching from each anew costs the square of the text (1 MB of "<style" took
 * minutes with regular expressions), this costs its length.
 */
function searcher(text: string): (needle: string, from: number) => number {
  const last = new Map<string, { from: number; at: number }>();
  return (needle, from) => {
    const known = last.get(needle);
    if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
    const at = text.indexOf(needle, from);
    last.set(needle, { from, at });
    return at;
  };
}

/**
 * Drops markup, keeping the words: tags and comments become spaces, style/script/head contents
 * vanish; a "<" that opens nothing stays text. One left-to-right pass in linear time.
 */
export function stripHtml(text: string): string {
  if (!/[<&]/.test(text)) return text;
  return decodeEntities(text.includes('<') ? removeMarkup(text) : text);
}

function removeMarkup(text: string): string {
  // ASCII lower case keeps every index where it was (toLowerCase may not, e.g. for "İ").
  const lower = text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const find = searcher(lower);
  // The end of the first "</name\s*>" at or after `from`, or -1; remembered like `find`.
  const closers = new Map<string, { from: number; at: number; end: number }>();
  const closerEnd = (name: string, from: number): number => {
    const known = closers.get(name);
    if (known && known.from <= from && (known.end === -1 || known.at >= from)) return known.end;
    for (let position = from; ;) {
      const at = find(`</${name}`, position);
      let end = at === -1 ? -1 : at + name.length + 2;
      if (end !== -1) {
        while (end < lower.length && isSpace(lower.charCodeAt(end))) end++;
        if (lower.charCodeAt(end) !== 62 /* > */) {
          position = at + 1;
          continue;
        }
        end += 1;
      }
      closers.set(name, { from, at, end });
      return end;
    }
  };

  const parts: string[] = [];
  let copied = 0;
  for (let open = lower.indexOf('<'); open !== -1;) {
    let end = -1;
    if (lower.startsWith('<!--', open)) {
      const close = find('-->', open + 4);
      if (close !== -1) end = close + 3;
    } else {
      const element = RAW_TEXT_ELEMENTS.find(
        (name) =>
          lower.startsWith(name, open + 1) && !isWordChar(lower.charCodeAt(open + 1 + name.length)),
      );
      if (element) end = closerEnd(element, open + 1 + element.length);
      const nameAt = lower.charCodeAt(open + 1) === 47 /* / */ ? open + 2 : open + 1;
      if (end === -1 && isAsciiLetter(lower.charCodeAt(nameAt))) {
        const close = find('>', nameAt);
        if (close !== -1) end = close + 1;
      }
    }
    if (end !== -1) {
      parts.push(text.slice(copied, open), ' ');
      copied = end;
    }
    open = lower.indexOf('<', end === -1 ? open + 1 : end);
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Lower case without diacritics ("Låst" -> "last", "Überschritten" -> "uberschritten",
 * "Błąd" -> "blad"), apostrophes dropped. Leaves every other character alone, so it can also be
 * applied to the RegExp sources of `suspensionPhrases.ts`, which are written in natural spelling.
 */
export function foldLetters(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđðþıħŧŋ]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/['\u2019\u2018\u02bc`´]/g, '');
}

/**
 * ' Salesforce-organisationens API-grænse  overskredet ' -> ' salesforce organisationens api graense overskredet '.
 * Apostrophes vanish without a space ("organization's" -> "organizations"), so possessives stay one word.
 */
export function normalizeText(text: string): string {
  const plain = foldLetters(stripHtml(text))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return plain === '' ? ' ' : ` ${plain} `;
}
