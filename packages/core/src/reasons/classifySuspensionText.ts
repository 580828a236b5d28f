import { REASON_CODES, type ReasonCode } from './codes.js';
import { foldLetters, normalizeText } from './normalizeText.js';
import { requiredWord } from './requiredWord.js';
import {
  HEADING_GUARDS,
  LANGUAGE_HINTS,
  SUSPENSION_PHRASES,
  UNSPACED_LANGUAGES,
} from './suspensionPhrases.js';
import { SUSPENSION_TITLES, TITLE_LANGUAGES, TITLE_VARIANTS } from './titles.js';

export interface SuspensionTextMatch {
  reason: ReasonCode;
  /** The language of the heading or phrase that matched ('en', 'da', ...). */
  language: string;
}

/** An exact heading of the article outranks a looser phrasing of the same length. */
const HEADING_WEIGHT = 1.25;
/** Only the start of a very long text is searched (a pasted mailbox, say): HubSpot puts the reason near the top. */
const MAX_NORMALIZED_CHARS = 256_000;
/** Raw text read (markup included) before normalising: four times what is matched. */
const MAX_RAW_CHARS = 4 * MAX_NORMALIZED_CHARS;

interface CompiledPattern {
  reason: ReasonCode;
  language: string;
  regex: RegExp;
  weight: number;
  /** Index of the capture group holding the phrase itself (1 when a boundary prefix is consumed). */
  group: number;
  /** A word every match contains: texts without it skip the RegExp (most texts lack most words). */
  anchor: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(
  reason: ReasonCode,
  language: string,
  source: string,
  weight: number,
): CompiledPattern {
  const anchor = requiredWord(source);
  if (UNSPACED_LANGUAGES.has(language)) {
    return { reason, language, regex: new RegExp(`(${source})`, 'g'), weight, group: 1, anchor };
  }
  // Whole words only: the normalised text has a space at each end and between words.
  return {
    reason,
    language,
    regex: new RegExp(` (${source})(?= )`, 'g'),
    weight,
    group: 1,
    anchor,
  };
}

/** A heading as a pattern: its normalised words; in unspaced scripts the spaces become optional. */
function headingPattern(heading: string, language: string): string {
  const words = normalizeText(heading).trim().split(' ').map(escapeRegExp);
  return words.join(UNSPACED_LANGUAGES.has(language) ? ' ?' : ' ');
}

function buildPatterns(): CompiledPattern[] {
  const out: CompiledPattern[] = [];
  for (const code of REASON_CODES) {
    for (const language of TITLE_LANGUAGES) {
      const headings = [
        SUSPENSION_TITLES[code][language],
        ...(TITLE_VARIANTS[code]?.[language] ?? []),
      ];
      for (const heading of headings) {
        const guard = HEADING_GUARDS[language]?.[code] ?? '';
        if (heading)
          out.push(
            compile(code, language, headingPattern(heading, language) + guard, HEADING_WEIGHT),
          );
      }
    }
  }
  for (const [language, phrases] of Object.entries(SUSPENSION_PHRASES)) {
    // Phrases are written in natural spelling; fold them as the text is folded.
    for (const phrase of phrases)
      out.push(compile(phrase.reason, language, foldLetters(phrase.pattern), phrase.weight ?? 1));
  }
  return out;
}

let compiled: CompiledPattern[] | undefined;

/** Every language `classifySuspensionText` can recognise (headings and phrasings), e.g. for the relay's docs. */
export const SUSPENSION_TEXT_LANGUAGES: readonly string[] = [
  ...new Set([...TITLE_LANGUAGES, ...Object.keys(SUSPENSION_PHRASES)]),
];

interface Hit {
  reason: ReasonCode;
  language: string;
  score: number;
  index: number;
}

function languageEvidence(text: string, language: string): number {
  const hints = LANGUAGE_HINTS[language];
  if (!hints) return 0;
  let count = 0;
  for (const word of hints) if (text.includes(` ${word} `)) count += 1;
  return count;
}

/**
 * Finds which suspension reason a HubSpot notification (e-mail, banner, title) is about, in any
 * language of `titles.ts`. Scores every heading and phrasing that occurs by its matched length
 * (times its weight) and keeps the best, so "HubSpot API limit exceeded" is never mistaken for the
 * Salesforce org limit, nor "missing field mappings" for missing field permissions, wherever in the
 * text they stand. `null` when no reason is named.
 */
export function classifySuspensionText(text: string): SuspensionTextMatch | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  // A notification names its reason near its start; a stranger's megabytes are not read whole.
  let normalized = normalizeText(text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) : text);
  if (normalized.length > MAX_NORMALIZED_CHARS)
    normalized = `${normalized.slice(0, MAX_NORMALIZED_CHARS)} `;
  if (normalized.trim() === '') return null;

  compiled ??= buildPatterns();
  const hits: Hit[] = [];
  for (const pattern of compiled) {
    if (pattern.anchor && !normalized.includes(pattern.anchor)) continue;
    pattern.regex.lastIndex = 0;
    let best: Hit | undefined;
    for (const match of normalized.matchAll(pattern.regex)) {
      const phrase = match[pattern.group] ?? '';
      const score = phrase.replace(/ /g, '').length * pattern.weight;
      if (!best || score > best.score)
        best = {
          reason: pattern.reason,
          language: pattern.language,
          score,
          index: match.index ?? 0,
        };
    }
    if (best) hits.push(best);
  }
  if (hits.length === 0) return null;

  // Highest score wins; on a tie, the earliest in the text.
  hits.sort((a, b) => b.score - a.score || a.index - b.index);
  const top = hits[0]!;
  // The same words can be a heading in two languages: let the rest of the text decide which.
  const sameWords = hits.filter(
    (h) => h.reason === top.reason && Math.abs(h.score - top.score) < 1e-9 && h.index === top.index,
  );
  let language = top.language;
  if (sameWords.length > 1) {
    let bestEvidence = -1;
    for (const hit of sameWords) {
      const evidence = languageEvidence(normalized, hit.language);
      if (evidence > bestEvidence) {
        bestEvidence = evidence;
        language = hit.language;
      }
    }
  }
  return { reason: top.reason, language };
}
