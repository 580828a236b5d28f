import type { ReasonCode } from './codes.js';

/**
 * Hand-written phrasings of each suspension reason, beyond the article's exact headings (which
 * `classifySuspensionText` matches from `titles.ts` by itself). They are RegExp sources over
 * *normalised* text (see normalizeText.ts: lower case, no diacritics, "æ" -> "ae", "ø" -> "o",
 * "ß" -> "ss", apostrophes dropped, every other non-letter a single space), written to catch the
 * way HubSpot's e-mails and banners put the reason into a sentence ("... because your Salesforce
 * organization's API limit has been exceeded") and the way the article's own body words it.
 *
 * `weight` scales the score (matched length): below 1 for loose, generic phrasings, so that a
 * more specific phrase elsewhere in the text wins.
 */
export interface SuspensionPhrase {
  reason: ReasonCode;
  pattern: string;
  weight?: number;
}

/** "org", "organization", "organisation", their plurals and possessives ("orgs", "organizations"). */
const ORG = '(?:org|organi[sz]ation)s?';
const BE = '(?:(?:has|have) been |was |were |is |are |got |being |currently )?';

const EN: SuspensionPhrase[] = [
  { reason: 'API_LIMIT_EXCEEDED', pattern: `salesforce (?:com )?${ORG} api (?:call |request )?limits? ${BE}(?:exceeded|reached)` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `(?:exceeded|reached|hit) (?:the |your |its )?salesforce (?:com )?${ORG} api (?:call |request )?limits?` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `api (?:call |request )?limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `salesforce api (?:call |request )?limits? ${BE}(?:exceeded|reached)`, weight: 0.9 },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `totalrequests limit exceeded` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `api (?:call |request )?limits? ${BE}exceeded`, weight: 0.6 },

  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `hubspot (?:s )?(?:salesforce )?api (?:call )?(?:limits?|allocation) ${BE}(?:exceeded|reached)` },
  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `(?:exceeded|reached|hit) (?:the |your )?hubspot api (?:call )?(?:limits?|allocation)` },
  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `api call allocation (?:set |configured )?in hubspot ${BE}(?:exceeded|reached|used up)` },
  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `(?:allocated to hubspot|hubspot s? ?(?:api )?(?:call )?allocation) ${BE}(?:exceeded|reached|used up)` },

  { reason: 'API_ACCESS_DISABLED', pattern: `salesforce (?:com )?${ORG} api access ${BE}disabled` },
  { reason: 'API_ACCESS_DISABLED', pattern: `api access (?:(?:to|for) (?:the |your )?salesforce (?:${ORG} )?)?${BE}(?:disabled|turned off|not enabled)`, weight: 0.8 },
  { reason: 'API_ACCESS_DISABLED', pattern: `api (?:is )?not enabled for this organi[sz]ation` },

  { reason: 'UNKNOWN_ERROR', pattern: `unknown (?:salesforce )?error`, weight: 0.8 },

  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `salesforce object (?:level )?permissions? ${BE}missing` },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `missing (?:salesforce )?object (?:level )?permissions?` },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `object permissions? ${BE}missing`, weight: 0.9 },

  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce field (?:level )?(?:permissions?|security) ${BE}missing` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `missing (?:salesforce )?field (?:level )?(?:permissions?|security)` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `field (?:level )?permissions? ${BE}missing`, weight: 0.9 },

  { reason: 'ORG_LOCKED', pattern: `salesforce (?:com )?${ORG} ${BE}locked` },
  { reason: 'ORG_LOCKED', pattern: `unable to obtain exclusive access to this record`, weight: 0.8 },

  { reason: 'STORAGE_LIMIT_EXCEEDED', pattern: `salesforce (?:com )?${ORG} (?:data |file )?storage limits? ${BE}(?:exceeded|reached)` },
  { reason: 'STORAGE_LIMIT_EXCEEDED', pattern: `(?:data |file )?storage limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)` },
  { reason: 'STORAGE_LIMIT_EXCEEDED', pattern: `(?:data |file )?storage limits? ${BE}exceeded`, weight: 0.8 },

  { reason: 'ORG_UNAVAILABLE', pattern: `salesforce (?:com )?(?:${ORG} )?${BE}(?:unavailable|not available|down for maintenance)` },

  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?(?:internal )?server error` },
  { reason: 'SERVER_ERROR', pattern: `server error (?:from|at|in) salesforce(?: com)?`, weight: 0.9 },

  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `missing (?:hubspot |salesforce )?field mappings?` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `(?:hubspot |salesforce )?field mappings? ${BE}missing` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `no (?:field )?mappings? between hubspot properties and salesforce fields` },
];

/** After Danish "låst" (normalised "last"): not the English "last updated", "last week", ... */
const NOT_ENGLISH_LAST = '(?! (?:updated|modified|week|month|year|time|night|day|login|sync|synced|run|saved|checked))';

// Danish (normalised: æ -> ae, ø -> o, å -> a).
const DA_ORG = 'salesforce organisation(?:en|ens|er)?';
const DA: SuspensionPhrase[] = [
  { reason: 'API_LIMIT_EXCEEDED', pattern: `${DA_ORG} api (?:opkalds)?graense(?:n)? (?:er )?overskre(?:det|dt|des)` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `api (?:opkalds)?graensen (?:i|for) (?:din )?${DA_ORG} (?:er )?overskre(?:det|dt)` },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `salesforce api (?:opkalds)?graense(?:n)? (?:er )?overskre(?:det|dt)`, weight: 0.9 },

  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `hubspot (?:s )?api (?:opkalds)?(?:graense(?:n)?|allokering(?:en)?) (?:er )?overskre(?:det|dt)` },
  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `api opkaldsallokering(?:en)? der er indstillet i hubspot (?:er )?overskredet` },

  { reason: 'API_ACCESS_DISABLED', pattern: `${DA_ORG} api adgang (?:er )?deaktiveret` },
  { reason: 'API_ACCESS_DISABLED', pattern: `api adgang(?:en)? (?:til|for) (?:din )?${DA_ORG} (?:er )?deaktiveret` },

  { reason: 'UNKNOWN_ERROR', pattern: `ukendt fejl`, weight: 0.8 },

  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `salesforce objekttilladelser (?:mangler|manglende)` },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `manglende (?:salesforce )?objekttilladelser` },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `manglende tilladelser til salesforce objekter` },

  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `manglende (?:salesforce )?felttilladelser` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce felttilladelser mangler` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `manglende tilladelser til (?:salesforce )?felter` },

  // "låst" normalises to "last": keep English "last updated/week/..." out.
  { reason: 'ORG_LOCKED', pattern: `${DA_ORG} (?:er )?last${NOT_ENGLISH_LAST}` },

  { reason: 'STORAGE_LIMIT_EXCEEDED', pattern: `${DA_ORG} lagringsgraense(?:r|n|rne)? (?:er )?overskre(?:det|dt)` },
  { reason: 'STORAGE_LIMIT_EXCEEDED', pattern: `lagringsgraensen (?:i|for) (?:din )?${DA_ORG} (?:er )?overskre(?:det|dt)` },

  { reason: 'ORG_UNAVAILABLE', pattern: `${DA_ORG} (?:er )?utilgaengelig` },

  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfejl` },

  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `manglende felttilknytninger` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `(?:ingen|mangler) felttilknytninger` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `(?:der er )?ingen mappings mellem hubspot egenskaber og salesforce felter` },
];

export const SUSPENSION_PHRASES: Record<string, SuspensionPhrase[]> = { en: EN, da: DA };

/**
 * Common words per language, used only to break ties when the same heading reads identically in
 * two languages (several translations keep "HubSpot API" or "Salesforce.com" verbatim).
 */
export const LANGUAGE_HINTS: Record<string, string[]> = {
  en: ['the', 'your', 'has', 'been', 'integration', 'suspended', 'and', 'to', 'is', 'of'],
  da: ['din', 'er', 'og', 'til', 'har', 'integrationen', 'suspenderet', 'af', 'ikke', 'blevet'],
};

/**
 * Negative look-aheads appended to an exact heading where dropping diacritics makes it collide
 * with ordinary words of another language.
 */
export const HEADING_GUARDS: Partial<Record<string, Partial<Record<ReasonCode, string>>>> = {
  da: { ORG_LOCKED: NOT_ENGLISH_LAST },
};
