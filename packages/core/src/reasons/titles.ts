import type { ReasonCode } from './codes.js';

/**
 * The headings of HubSpot's help article "Resolve Salesforce integration suspension errors", per
 * language, exactly as each language version of the article spells them. A suspension e-mail or
 * banner can arrive in any language a HubSpot user has chosen, so `classifySuspensionText` matches
 * all of them (and, beyond the headings, the phrasings of `suspensionPhrases.ts`).
 *
 * Only headings read in the article are here. For Norwegian, Swedish, Polish and Finnish only the
 * first four headings of the article could be read (the stored copies stop there); the other
 * reasons are matched in those languages by Sync Doctor's own phrasings, see suspensionPhrases.ts.
 */
export type TitleLanguage = 'en' | 'da' | 'no' | 'sv' | 'pl' | 'fi';

export const TITLE_LANGUAGES: readonly TitleLanguage[] = ['en', 'da', 'no', 'sv', 'pl', 'fi'];

export interface TitleSource {
  url: string;
  /** The article revision read ("Last updated" on the page). */
  revision: string;
  note?: string;
}

/** Where each language's headings were read. */
export const TITLE_SOURCES: Record<TitleLanguage, TitleSource> = {
  en: {
    url: 'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: 'issue 2 table',
    note:
      'The English titles follow the table of issue 2 ("org"). The article spells "Salesforce Organization" in full, as the Swedish and Norwegian versions, which kept the English words, show; both spellings are matched (TITLE_VARIANTS).',
  },
  da: {
    url: 'https://knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    note: 'All eleven headings; also the seed file shared/seeds/000_b256518e3ade0ecf.txt.',
  },
  no: {
    url: 'https://knowledge.hubspot.com/no/salesforce/resolve-salesforce-integration-suspension-errors?hs_amp=true',
    revision: '2025-12-17',
    note: 'First four headings read.',
  },
  sv: {
    url: 'https://knowledge.hubspot.com/sv/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    note: 'First four headings read.',
  },
  pl: {
    url: 'https://knowledge.hubspot.com/pl/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    note: 'First four headings read.',
  },
  fi: {
    url: 'https://knowledge.hubspot.com/fi/salesforce/resolve-salesforce-integration-suspension-errors',
    revision: '2023-06-28',
    note: 'First four headings read.',
  },
};

export type ReasonTitles = { en: string; da: string } & Partial<Record<Exclude<TitleLanguage, 'en' | 'da'>, string>>;

/** The heading per reason and language. English follows the table of issue 2. */
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
 * Other spellings of the same headings: English spells "Salesforce Organization" in full in the
 * article itself, where the table abbreviates "org".
 */
export const TITLE_VARIANTS: Partial<Record<ReasonCode, Partial<Record<TitleLanguage, string[]>>>> = {
  API_LIMIT_EXCEEDED: { en: ['Salesforce Organization API limit exceeded'] },
  API_ACCESS_DISABLED: { en: ['Salesforce Organization API access disabled'] },
  ORG_LOCKED: { en: ['Salesforce Organization locked'] },
  STORAGE_LIMIT_EXCEEDED: { en: ['Salesforce Organization storage limits exceeded'] },
  ORG_UNAVAILABLE: { en: ['Salesforce Organization unavailable'] },
};

/** The titles of one reason as a plain map, only the languages that have one. */
export function titlesOf(code: ReasonCode): { en: string; da: string; [language: string]: string } {
  const out: { en: string; da: string; [language: string]: string } = { en: SUSPENSION_TITLES[code].en, da: SUSPENSION_TITLES[code].da };
  for (const language of TITLE_LANGUAGES) {
    const title = SUSPENSION_TITLES[code][language];
    if (title) out[language] = title;
  }
  return out;
}
