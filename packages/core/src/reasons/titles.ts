import type { ReasonCode } from './codes.js';

/**
 * The eleven headings of HubSpot's help article "Resolve Salesforce integration suspension errors",
 * per language, exactly as each language version of the article spells them. A suspension e-mail
 * or banner can arrive in any language a HubSpot user has chosen, so `classifySuspensionText`
 * matches all of them.
 *
 * Sources (knowledge.hubspot.com/<lang>/salesforce/resolve-salesforce-integration-suspension-errors):
 * see `TITLE_SOURCES`. Machine translations change between revisions of the article (HubSpot
 * re-translates), so where two revisions differ both spellings are kept in `TITLE_VARIANTS`.
 */
export type TitleLanguage = 'en' | 'da';

export const TITLE_LANGUAGES: readonly TitleLanguage[] = ['en', 'da'];

/** Where each language's headings were read. */
export const TITLE_SOURCES: Record<TitleLanguage, string> = {
  en: 'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors',
  da: 'https://knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors',
};

/** The canonical heading per reason and language. English follows the table of issue 2. */
export const SUSPENSION_TITLES: Record<ReasonCode, Record<TitleLanguage, string>> = {
  API_LIMIT_EXCEEDED: {
    en: 'Salesforce org API limit exceeded',
    da: 'Salesforce-organisationens API-grænse overskredet',
  },
  API_ACCESS_DISABLED: {
    en: 'Salesforce org API access disabled',
    da: 'Salesforce-organisationens API-adgang er deaktiveret',
  },
  UNKNOWN_ERROR: {
    en: 'Unknown error',
    da: 'Ukendt fejl',
  },
  OBJECT_PERMISSIONS_MISSING: {
    en: 'Salesforce object permissions missing',
    da: 'Salesforce-objekttilladelser mangler',
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
 * Other spellings of the same headings seen in the article's revisions (English spells
 * "Salesforce Organization" in full in the article itself; the table abbreviates "org").
 */
export const TITLE_VARIANTS: Partial<Record<ReasonCode, Partial<Record<TitleLanguage, string[]>>>> = {
  API_LIMIT_EXCEEDED: { en: ['Salesforce Organization API limit exceeded'] },
  API_ACCESS_DISABLED: { en: ['Salesforce Organization API access disabled'] },
  ORG_LOCKED: { en: ['Salesforce Organization locked'] },
  STORAGE_LIMIT_EXCEEDED: { en: ['Salesforce Organization storage limits exceeded'] },
  ORG_UNAVAILABLE: { en: ['Salesforce Organization unavailable'] },
};
