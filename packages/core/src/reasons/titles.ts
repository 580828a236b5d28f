import { REASON_CODES, type ReasonCode } from './codes.js';

/**
 * The headings of HubSpot's help article "Resolve Salesforce integration suspension errors", per
 * language. A suspension e-mail or banner can arrive in any language a HubSpot user has chosen, so
 * `classifySuspensionText` matches all of them (and, beyond the headings, the phrasings of
 * `suspensionPhrases.ts`).
 *
 * Which of these are HubSpot's own words is recorded per language in
 * `TITLE_SOURCES[language].headingsFromArticle`; a title not listed there is NOT HubSpot's wording.
 * Where the article's stored copies were read (search of the public-page corpus, 2026-11-28;
 * searched again 2026-12-01 in every language: the same five pages, nothing more):
 * - Danish: all eleven headings (the stored page, also the seed file of this project).
 * - Norwegian (the AMP page), Swedish, Polish, Finnish: the first four headings only. The corpus
 *   returns each stored page from its beginning, about 2,000 characters of it, and does not index
 *   the rest: a query made of the last Danish paragraph's exact words does not even find the
 *   Danish page. So headings 5 to 11 of these languages could not be read, whatever the query.
 * - English, German, French, Spanish, Portuguese, Dutch, Italian, Japanese, Chinese, Korean: no
 *   stored copy of this article at all (the root URL, the language paths, the `?hs_amp=true`
 *   variants and the proxied mirror of knowledge.hubspot.com were all tried). English titles are
 *   the table of issue 2; the other languages are matched by our own phrasings only.
 * Headings of no/sv/pl/fi beyond the fourth are therefore not here; those reasons are matched in
 * these languages by Sync Doctor's own phrasings (suspensionPhrases.ts), never presented as
 * HubSpot's.
 */
export type TitleLanguage = 'en' | 'da' | 'no' | 'sv' | 'pl' | 'fi';

export const TITLE_LANGUAGES: readonly TitleLanguage[] = ['en', 'da', 'no', 'sv', 'pl', 'fi'];

export interface TitleSource {
  url: string;
  /** The article revision read ("Last updated" on the page), or where the titles come from. */
  revision: string;
  /** The article's own title in this language, as read (absent where the article was not read). */
  articleTitle?: string;
  /**
   * The reasons whose heading in `SUSPENSION_TITLES` was read in HubSpot's article in this
   * language, exactly as HubSpot wrote it. Every other title of this language is not HubSpot's.
   */
  headingsFromArticle: readonly ReasonCode[];
  note?: string;
}

/** The first four reasons: the headings that fit in the stored beginning of each page. */
const FIRST_FOUR: readonly ReasonCode[] = [
  'API_LIMIT_EXCEEDED',
  'API_ACCESS_DISABLED',
  'UNKNOWN_ERROR',
  'OBJECT_PERMISSIONS_MISSING',
];

/** Where each language's headings were read. */
export const TITLE_SOURCES: Record<TitleLanguage, TitleSource> = {
  en: {
    url: 'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: 'issue 2 table',
    headingsFromArticle: [],
    note: 'Not read: no stored copy of the English article was found (root URL, ?hs_amp=true, mirrors). The English titles follow the table of issue 2 ("org"). The article is said to spell "Salesforce Organization" in full, and the Swedish and Norwegian versions keep those English words ("Salesforce Organization API Limit ..."), so that spelling is matched too (TITLE_VARIANTS); neither spelling is confirmed as HubSpot\'s.',
  },
  da: {
    url: 'https://knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    articleTitle: 'Løs fejl ved suspension af Salesforce-integration',
    headingsFromArticle: REASON_CODES,
    note: 'All eleven headings; the whole page is the seed file shared/seeds/000_b256518e3ade0ecf.txt.',
  },
  no: {
    url: 'https://knowledge.hubspot.com/no/salesforce/resolve-salesforce-integration-suspension-errors?hs_amp=true',
    revision: '2025-12-17',
    articleTitle: 'Løs feil i Salesforce-integrasjonen',
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section.',
  },
  sv: {
    url: 'https://knowledge.hubspot.com/sv/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    articleTitle: 'Lösa fel i samband med avstängning av Salesforce-integration',
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section. "Clear Suspension" is "Ta bort avstängning".',
  },
  pl: {
    url: 'https://knowledge.hubspot.com/pl/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    articleTitle: 'Rozwiązywanie błędów zawieszenia integracji z Salesforce',
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section. "Clear Suspension" is "Wyczyść zawieszenie".',
  },
  fi: {
    url: 'https://knowledge.hubspot.com/fi/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    articleTitle: 'Ratkaise Salesforce-integraation keskeytysvirheet',
    headingsFromArticle: FIRST_FOUR,
    note: 'First four headings read; the stored copy is searchable only up to the fourth section.',
  },
};

export type ReasonTitles = { en: string; da: string } & Partial<
  Record<Exclude<TitleLanguage, 'en' | 'da'>, string>
>;

/**
 * The heading per reason and language. English follows the table of issue 2 (not read from
 * HubSpot); every other title here was read in the article (see `headingsFromArticle`).
 */
export const SUSPENSION_TITLES: Record<ReasonCode, ReasonTitles> = {
  API_LIMIT_EXCEEDED: {
    en: 'Salesforce org API limit exceeded',
    da: 'Salesforce-organisationens API-grænse overskredet',
    no: 'Salesforce Organization API-grense overskredet',
    sv: 'Salesforce Organization API Limit överskrids',
    pl: 'Przekroczony limit API organizacji Salesforce',
    fi: 'Salesforce-organisaation API-raja ylittyi',
  },
  API_ACCESS_DISABLED: {
    en: 'Salesforce org API access disabled',
    da: 'Salesforce-organisationens API-adgang er deaktiveret',
    no: 'API-tilgang for Salesforce-organisasjon deaktivert',
    sv: 'API-åtkomst för Salesforce-organisationer inaktiverad',
    pl: 'Wyłączony dostęp API organizacji Salesforce',
    fi: 'Salesforce-organisaation API-yhteys poistettu käytöstä',
  },
  UNKNOWN_ERROR: {
    en: 'Unknown error',
    da: 'Ukendt fejl',
    no: 'Ukjent feil',
    sv: 'Okänt fel',
    pl: 'Nieznany błąd',
    fi: 'Tuntematon virhe',
  },
  OBJECT_PERMISSIONS_MISSING: {
    en: 'Salesforce object permissions missing',
    da: 'Salesforce-objekttilladelser mangler',
    no: 'Salesforce-objekttillatelser mangler',
    sv: 'Salesforce-objektbehörigheter saknas',
    pl: 'Brak uprawnień do obiektów Salesforce',
    fi: 'Salesforce-kohteen käyttöoikeudet puuttuvat',
  },
  FIELD_PERMISSIONS_MISSING: {
    en: 'Salesforce field permissions missing',
    da: 'Manglende tilladelser til Salesforce-felter',
  },
  ORG_LOCKED: {
    en: 'Salesforce org locked',
    da: 'Salesforce-organisation låst',
  },
  STORAGE_LIMIT_EXCEEDED: {
    en: 'Salesforce org storage limits exceeded',
    da: 'Salesforce-organisationens lagringsgrænser er overskredet',
  },
  ORG_UNAVAILABLE: {
    en: 'Salesforce org unavailable',
    da: 'Salesforce-organisation utilgængelig',
  },
  SERVER_ERROR: {
    en: 'Salesforce.com server error',
    da: 'Salesforce.com serverfejl',
  },
  HUBSPOT_API_LIMIT_EXCEEDED: {
    en: 'HubSpot API limit exceeded',
    da: 'HubSpot API-grænse overskredet',
  },
  FIELD_MAPPINGS_MISSING: {
    en: 'Missing field mappings',
    da: 'Manglende felttilknytninger',
  },
};

/**
 * Other spellings of the same headings: "Salesforce Organization" in full, as the English article
 * is said to spell it (and as its Swedish and Norwegian translations keep it), where the issue's
 * table abbreviates "org". Not read from HubSpot's English article (no stored copy).
 */
export const TITLE_VARIANTS: Partial<Record<ReasonCode, Partial<Record<TitleLanguage, string[]>>>> =
  {
    API_LIMIT_EXCEEDED: { en: ['Salesforce Organization API limit exceeded'] },
    API_ACCESS_DISABLED: { en: ['Salesforce Organization API access disabled'] },
    ORG_LOCKED: { en: ['Salesforce Organization locked'] },
    STORAGE_LIMIT_EXCEEDED: { en: ['Salesforce Organization storage limits exceeded'] },
    ORG_UNAVAILABLE: { en: ['Salesforce Organization unavailable'] },
  };

/** The titles of one reason as a plain map, only the languages that have one. */
export function titlesOf(code: ReasonCode): { en: string; da: string; [language: string]: string } {
  const out: { en: string; da: string; [language: string]: string } = {
    en: SUSPENSION_TITLES[code].en,
    da: SUSPENSION_TITLES[code].da,
  };
  for (const language of TITLE_LANGUAGES) {
    const title = SUSPENSION_TITLES[code][language];
    if (title) out[language] = title;
  }
  return out;
}
