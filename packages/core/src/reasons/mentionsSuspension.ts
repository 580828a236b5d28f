import { normalizeText } from './normalizeText.js';

/**
 * The words HubSpot's notices and article use for "suspended" / "suspension", per language, folded
 * as `normalizeText` folds a text (lower case, no diacritics). From the article's own wording where
 * it was read (Danish "suspenderet", Swedish "avstängning" and "avbruten", Polish "zawieszenie",
 * Finnish "keskeytys..."; titles.ts), otherwise the plain translation. One list for every reader of
 * notices, so the relay's inbound e-mail and the mailbox reader cannot disagree on what a notice is.
 */
export const SUSPENSION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['suspended', 'suspension', 'suspensions'],
  da: ['suspenderet', 'suspenderede', 'suspension', 'suspensionen', 'suspensioner'],
  no: ['suspendert', 'suspensjon', 'suspensjonen', 'suspendering'],
  sv: ['avstangd', 'avstangning', 'avstangningen', 'avbruten', 'avbrytas'],
  pl: ['zawieszona', 'zawieszenie', 'zawieszenia'],
  fi: ['keskeytetty', 'keskeytys', 'keskeytyksen', 'keskeytysvirheet'],
  de: ['ausgesetzt', 'aussetzung', 'suspendiert'],
  fr: ['suspendu', 'suspendue', 'suspension'],
  es: ['suspendido', 'suspendida', 'suspension'],
  pt: ['suspenso', 'suspensa', 'suspensao'],
  nl: ['opgeschort', 'opschorting'],
  it: ['sospeso', 'sospesa', 'sospensione'],
};

/** Languages written without spaces: their words are looked for anywhere in the text. */
const UNSPACED_SUSPENSION_WORDS: readonly string[] = ['一時停止', '停止されました'];

/** A notice names its subject near its start; a stranger's megabytes are not read whole. */
const MAX_CHARS = 1_000_000;

const SPACED = new RegExp(
  ` (?:${[...new Set(Object.values(SUSPENSION_WORDS).flat())].join('|')}) `,
);

/**
 * Whether a text speaks of a suspended Salesforce sync, in any language the core knows, without
 * naming a reason `classifySuspensionText` recognises: it names Salesforce and a word for
 * "suspended". What reads a HubSpot notice uses it to tell a notice of an unknown reason (a
 * suspension all the same) from other mail.
 */
export function mentionsSuspension(text: string): boolean {
  if (typeof text !== 'string' || text === '') return false;
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const normalized = normalizeText(head);
  if (!normalized.includes('salesforce')) return false;
  if (SPACED.test(normalized)) return true;
  return UNSPACED_SUSPENSION_WORDS.some((word) => head.includes(word));
}
