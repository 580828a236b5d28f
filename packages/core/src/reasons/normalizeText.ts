/**
 * Text normalisation for matching suspension headings in whatever HubSpot sent: an HTML e-mail,
 * a pasted banner, a plain title. The result holds only lower-case letters and digits without
 * diacritics, separated by single spaces, with a space at each end, so phrases can be matched
 * as whole words with plain string or RegExp operations. Pure: no DOM, no Node APIs (LWC-safe).
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", rsquo: "'", lsquo: "'", ndash: '-', mdash: '-',
  shy: '', zwnj: '', zwj: '', hellip: ' ', laquo: ' ', raquo: ' ', bdquo: ' ', ldquo: ' ', rdquo: ' ',
  aelig: 'ae', AElig: 'AE', oslash: 'o', Oslash: 'O', szlig: 'ss', oelig: 'oe', OElig: 'OE', eth: 'd', thorn: 'th',
};

/** Letters NFKD does not decompose into a base letter + mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,10});?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    const named = NAMED_ENTITIES[body];
    if (named !== undefined) return named;
    // &aring; &auml; &eacute; &ccedil; ... : the base letter is enough once diacritics are dropped.
    const accented = /^([a-z])(acute|grave|uml|circ|tilde|ring|cedil|caron|slash|ogon|dot)$/i.exec(body);
    if (accented) return accented[1]!;
    return whole.endsWith(';') ? ' ' : whole;
  });
}

/** Drops markup, keeping the words: tags become spaces, style/script/head contents vanish. */
export function stripHtml(text: string): string {
  if (!/[<&]/.test(text)) return text;
  return decodeEntities(
    text
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?[a-z][^>]*>/gi, ' '),
  );
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
