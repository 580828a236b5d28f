/**
 * What a notification does to a heading before the classifier sees it, generated: mail clients wrap
 * long lines, quote with "> ", turn spaces into non-breaking ones or markup, and put the heading
 * in any case among other words. Every heading of every language must still name its reason, and
 * no text at all may make the classifier throw or answer a reason or language it does not know.
 * The example tests beside this one pin each heading as the article writes it. Seeds are fixed.
 */
import fc from 'fast-check';
import { REASON_CODES, type ReasonCode } from './codes.js';
import { SUSPENSION_TEXT_LANGUAGES, classifySuspensionText } from './classifySuspensionText.js';
import { SUSPENSION_TITLES, TITLE_LANGUAGES, TITLE_VARIANTS } from './titles.js';

interface Heading {
  reason: ReasonCode;
  language: string;
  text: string;
}

const HEADINGS: Heading[] = REASON_CODES.flatMap((reason) =>
  TITLE_LANGUAGES.flatMap((language) =>
    [SUSPENSION_TITLES[reason][language], ...(TITLE_VARIANTS[reason]?.[language] ?? [])]
      .filter((text): text is string => Boolean(text))
      .map((text) => ({ reason, language, text })),
  ),
);

/** What stands between two words of a heading once a mail client has had it. */
const wordBreak = fc
  .array(
    fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '  ', '\n> ', '<br>', '&nbsp;', '</b> <b>'),
    { minLength: 1, maxLength: 3 },
  )
  .map((parts) => parts.join(''));

/** Digits, punctuation and white space around the heading: a date, a list marker, a colon. */
const surroundings = fc.string({
  unit: fc.constantFrom(...'0123456789 .,;:!?-–()[]#*"\n\t'),
  maxLength: 40,
});

const letterCase = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => s.toLowerCase(),
);

describe('classifySuspensionText on generated notifications', () => {
  it('names the reason of every heading, however it is wrapped, cased or surrounded (seed 2201, 1500 runs)', () => {
    expect(HEADINGS.length).toBeGreaterThan(REASON_CODES.length * 2);
    fc.assert(
      fc.property(
        fc.constantFrom(...HEADINGS),
        fc.array(wordBreak, { minLength: 12, maxLength: 12 }),
        letterCase,
        surroundings,
        surroundings,
        (heading, breaks, caseOf, before, after) => {
          const words = caseOf(heading.text).split(' ');
          const wrapped = words.map((word, i) => (i === 0 ? word : `${breaks[i]}${word}`)).join('');
          const text = `${before} ${wrapped} ${after}`;
          expect(classifySuspensionText(text)?.reason).toBe(heading.reason);
        },
      ),
      { seed: 2201, numRuns: 1500 },
    );
  });

  it('answers null or a known reason and language for any text, never throws (seed 2202, 1000 runs)', () => {
    const reasons = new Set<string>(REASON_CODES);
    const languages = new Set(SUSPENSION_TEXT_LANGUAGES);
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      // A heading's words shuffled among random ones: near misses, not headings.
      fc
        .tuple(
          fc.constantFrom(...HEADINGS),
          fc.array(fc.string({ maxLength: 8 }), { maxLength: 8 }),
        )
        .map(([heading, noise]) => [...heading.text.split(' ').reverse(), ...noise].join(' ')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const match = classifySuspensionText(text);
        if (match === null) return;
        expect(reasons.has(match.reason)).toBe(true);
        expect(languages.has(match.language)).toBe(true);
      }),
      { seed: 2202, numRuns: 1000 },
    );
  });
});
