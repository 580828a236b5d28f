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

/**
 * After an English "... missing": the "missing" that opens the next clause ("Salesforce field
 * permissions; missing field mappings") once punctuation is gone belongs to what follows.
 */
const MISSING_STARTS_NEXT =
  '(?! (?:hubspot |salesforce )?(?:field|object) (?:level )?(?:mappings?|permissions?|security))';

const EN: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce (?:com )?${ORG} api (?:call |request )?limits? ${BE}(?:exceeded|reached)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `(?:exceeded|reached|hit) (?:the |your |its )?salesforce (?:com )?${ORG} api (?:call |request )?limits?`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api (?:call |request )?limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce api (?:call |request )?limits? ${BE}(?:exceeded|reached)`,
    weight: 0.9,
  },
  { reason: 'API_LIMIT_EXCEEDED', pattern: `totalrequests limit exceeded` },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api (?:call |request )?limits? ${BE}exceeded`,
    weight: 0.6,
  },

  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    // "HubSpot's" loses its apostrophe to normalizeText: 'hubspots' or 'hubspot s'.
    pattern: `hubspot(?: ?s)? (?:salesforce )?api (?:call )?(?:limits?|allocation) ${BE}(?:exceeded|reached)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `(?:exceeded|reached|hit) (?:the |your )?hubspot api (?:call )?(?:limits?|allocation)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `api call allocation (?:set |configured )?in hubspot ${BE}(?:exceeded|reached|used up)`,
  },
  // "API call allocation" is HubSpot's word for its share ("Allocated to HubSpot"); Salesforce's
  // own is a limit, so the allocation exceeded is HubSpot's even when HubSpot is not named.
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `api call allocation ${BE}(?:exceeded|reached|used up)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `(?:allocated to hubspot|hubspot s? ?(?:api )?(?:call )?allocation) ${BE}(?:exceeded|reached|used up)`,
  },

  { reason: 'API_ACCESS_DISABLED', pattern: `salesforce (?:com )?${ORG} api access ${BE}disabled` },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api access (?:(?:to|for) (?:the |your )?salesforce (?:${ORG} )?)?${BE}(?:disabled|turned off|not enabled)`,
    weight: 0.8,
  },
  { reason: 'API_ACCESS_DISABLED', pattern: `api (?:is )?not enabled for this organi[sz]ation` },

  { reason: 'UNKNOWN_ERROR', pattern: `unknown (?:salesforce )?error`, weight: 0.8 },
  // Our English rendering of the article's body sentence (the English article was not read).
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `(?:the )?error (?:sent|returned) (?:from|by) salesforce (?:is not|isnt|was not|wasnt) clear or known`,
    weight: 0.5,
  },

  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `salesforce object (?:level )?permissions? ${BE}missing${MISSING_STARTS_NEXT}`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `missing (?:salesforce )?object (?:level )?permissions?`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `object permissions? ${BE}missing${MISSING_STARTS_NEXT}`,
    weight: 0.9,
  },

  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `salesforce field (?:level )?(?:permissions?|security) ${BE}missing${MISSING_STARTS_NEXT}`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `missing (?:salesforce )?field (?:level )?(?:permissions?|security)`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `field (?:level )?permissions? ${BE}missing${MISSING_STARTS_NEXT}`,
    weight: 0.9,
  },

  { reason: 'ORG_LOCKED', pattern: `salesforce (?:com )?${ORG} ${BE}locked(?! out)` },
  {
    reason: 'ORG_LOCKED',
    pattern: `unable to obtain exclusive access to this record`,
    weight: 0.8,
  },

  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce (?:com )?${ORG} (?:data |file )?storage limits? ${BE}(?:exceeded|reached)`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `(?:data |file )?storage limits? (?:in|of|for) (?:the |your )?salesforce ${ORG} ${BE}(?:exceeded|reached)`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `(?:data |file )?storage limits? ${BE}exceeded`,
    weight: 0.8,
  },

  {
    reason: 'ORG_UNAVAILABLE',
    pattern: `salesforce (?:com )?(?:${ORG} )?${BE}(?:unavailable|not available|down for maintenance)`,
  },

  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?(?:internal )?server error` },
  {
    reason: 'SERVER_ERROR',
    pattern: `server error (?:from|at|in) salesforce(?: com)?`,
    weight: 0.9,
  },
  // Article body under "Salesforce.com server error", as the Danish copy words it ("Salesforce
  // returnerede en ukendt fejl"; no English copy is stored): longer than the "unknown error" it contains.
  { reason: 'SERVER_ERROR', pattern: `salesforce returned an unknown error` },

  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `missing (?:hubspot |salesforce )?field mappings?` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:hubspot |salesforce )?field mappings? ${BE}missing`,
  },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `no (?:field )?mappings? between hubspot properties and salesforce fields`,
  },
];

/** After Danish "låst" (normalised "last"): not the English "last updated", "last week", ... */
const NOT_ENGLISH_LAST =
  '(?! (?:updated|modified|week|month|year|time|night|day|login|sync|synced|run|saved|checked))';

// Danish (normalised: æ -> ae, ø -> o, å -> a).
const DA_ORG = 'salesforce organisation(?:en|ens|er)?';
/** "er", "er blevet", "blev", "har været": how a Danish notification puts the verb ("... er blevet overskredet"). */
const DA_BE = '(?:(?:er|blev) )?(?:blevet )?';
/** "HubSpot", "HubSpots", "HubSpot's" (apostrophes are dropped: "hubspots"), "HubSpot s". */
const HUBSPOT_GENITIVE = 'hubspot(?:s| s)?';
const DA: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `${DA_ORG} api (?:opkalds)?graense(?:n)? ${DA_BE}overskre(?:det|dt|des)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api (?:opkalds)?graensen (?:i|for) (?:din )?${DA_ORG} ${DA_BE}overskre(?:det|dt)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce api (?:opkalds)?graense(?:n)? (?:er )?overskre(?:det|dt)`,
    weight: 0.9,
  },

  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `${HUBSPOT_GENITIVE} api (?:opkalds)?(?:graense(?:n)?|allokering(?:en)?) ${DA_BE}overskre(?:det|dt)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `api opkaldsallokering(?:en)? der er indstillet i hubspot (?:er )?overskredet`,
  },

  { reason: 'API_ACCESS_DISABLED', pattern: `${DA_ORG} api adgang (?:er )?deaktiveret` },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api adgang(?:en)? (?:til|for) (?:din )?${DA_ORG} ${DA_BE}deaktiveret`,
  },
  // The article's body under this heading (the page glues "tilladelse" and "API Enabled").
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `(?:den )?administrative tilladelse(?:n)? ?api enabled`,
    weight: 0.8,
  },

  { reason: 'UNKNOWN_ERROR', pattern: `ukendt fejl`, weight: 0.8 },
  // The article's body sentence under "Ukendt fejl" (HubSpot's words).
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `fejlen der sendes fra salesforce er ikke klar eller kendt`,
    weight: 0.5,
  },

  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `salesforce objekttilladelser (?:mangler|manglende)`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `(?:manglende|mangler) (?:salesforce )?objekttilladelser`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `manglende tilladelser til salesforce objekter`,
  },
  // Article body: "... et af de objekter, der forsøges synkroniseret, ikke har de korrekte tilladelser i Salesforce."
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `objekter der forsøges synkroniseret ikke har de korrekte tilladelser i salesforce`,
    weight: 0.5,
  },

  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `(?:manglende|mangler) (?:salesforce )?felttilladelser`,
  },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce felttilladelser mangler` },
  // Article body: "Integrationsbrugeren har ikke læse- og redigeringstilladelser til et felt ..."
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `integrationsbrugeren har ikke læse og redigeringstilladelser til et felt`,
    weight: 0.6,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `manglende tilladelser til (?:salesforce )?felter`,
  },

  // "låst" normalises to "last": keep English "last updated/week/..." out.
  { reason: 'ORG_LOCKED', pattern: `${DA_ORG} (?:er )?last${NOT_ENGLISH_LAST}` },
  // Article body: "En midlertidig fejl, der opstår, når der udføres en handling, som skal afsluttes, før en anden opdatering kan finde sted."
  {
    reason: 'ORG_LOCKED',
    pattern: `handling som skal afsluttes før en anden opdatering kan finde sted`,
    weight: 0.5,
  },

  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `${DA_ORG} lagringsgraense(?:r|n|rne)? ${DA_BE}overskre(?:det|dt)`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `lagringsgraensen (?:i|for) (?:din )?${DA_ORG} ${DA_BE}overskre(?:det|dt)`,
  },

  {
    reason: 'ORG_UNAVAILABLE',
    pattern: `${DA_ORG} (?:er )?(?:utilgaengelig|ikke (?:er )?tilgaengelig)`,
  },
  // Article body: "Salesforce oplever i øjeblikket udfald."
  { reason: 'ORG_UNAVAILABLE', pattern: `salesforce oplever (?:i øjeblikket )?(?:et )?udfald` },

  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfejl` },
  { reason: 'SERVER_ERROR', pattern: `serverfejl (?:hos|i|fra) salesforce(?: com)?`, weight: 0.9 },
  // Article body under "Salesforce.com serverfejl": longer than the "Ukendt fejl" heading it contains.
  { reason: 'SERVER_ERROR', pattern: `salesforce returnerede en ukendt fejl` },

  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `manglende felttilknytninger` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `(?:ingen|mangler) felttilknytninger` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:der er )?ingen mappings mellem hubspot egenskaber og salesforce felter`,
  },
];

// Norwegian, Swedish, Polish, Finnish: HubSpot's own words are only the first four headings (matched
// from titles.ts) and the body sentences of those four sections, marked "article body" below (the
// stored copies of these pages end there, see titles.ts). Every other phrasing of these languages,
// and every phrasing of German, French, Spanish, Portuguese, Dutch, Italian and Japanese (no copy of
// the article found in those languages), is Sync Doctor's OWN wording, not HubSpot's: written in
// the vocabulary of the article's body where it was available and kept specific (a Salesforce org or
// HubSpot subject and a verb) to avoid false positives.

const NO: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce (?:organization|organisasjon(?:en|ens)?) api (?:anrops)?grense(?:n)? (?:er )?overskredet`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `grensen for api anrop i (?:din )?salesforce organisasjon(?:en)?(?: din)? er overskredet`,
  }, // article body
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api (?:anrops)?grense(?:n)? (?:for|i) (?:din )?salesforce organisasjon(?:en)?(?: din)? (?:er )?(?:blitt )?overskredet`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `${HUBSPOT_GENITIVE} api (?:anrops)?grense(?:n)? (?:er )?(?:blitt )?overskredet`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `api anropsallokering(?:en)? (?:som er )?(?:angitt|satt) i hubspot (?:er )?overskredet`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api tilgang(?:en)? for salesforce organisasjon(?:en)? (?:er )?deaktivert`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `(?:den )?administrative tillatelse(?:n)? ?api enabled`,
    weight: 0.8,
  }, // article body
  { reason: 'UNKNOWN_ERROR', pattern: `ukjent feil`, weight: 0.8 },
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `feilen som sendes fra salesforce er ikke klar eller kjent`,
    weight: 0.5,
  }, // article body
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `(?:manglende|mangler) (?:salesforce )?objekttillatelser`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `objektene som prøver å synkronisere har ikke de riktige tillatelsene i salesforce`,
    weight: 0.5,
  }, // article body
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce felttillatelser mangler` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `manglende (?:salesforce )?felttillatelser` },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `manglende tillatelser (?:til|for) salesforce felt(?:er|ene)?`,
  },
  {
    reason: 'ORG_LOCKED',
    pattern: `salesforce organisasjon(?:en)? (?:er )?låst${NOT_ENGLISH_LAST}`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce organisasjon(?:ens|en)? lagringsgrense(?:r|n|ne)? (?:er )?overskredet`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `lagringsgrense(?:n|ne)? (?:for|i) (?:din )?salesforce organisasjon(?:en)?(?: din)? (?:er )?(?:blitt )?overskredet`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `salesforce organisasjon(?:en)? (?:er )?utilgjengelig` },
  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfeil` },
  { reason: 'SERVER_ERROR', pattern: `serverfeil (?:hos|i|fra) salesforce(?: com)?`, weight: 0.9 },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:manglende|mangler) (?:felttilordninger|feltkoblinger|felttilknytninger)`,
  },
];

const SV: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api gräns(?:en)? för salesforce organisation(?:en|er)? (?:har )?överskri(?:dits|ds)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `gränsen för api samtal i (?:din )?salesforce organisation(?:en)? har överskridits`,
  }, // article body
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `${HUBSPOT_GENITIVE} api (?:gräns(?:en)?|limit) (?:har )?överskri(?:dits|ds)`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api åtkomst(?:en)? för salesforce organisation(?:er|en)? (?:är |har )?inaktiver(?:ad|ats)`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `(?:den )?administrativa behörighet(?:en)? ?api enabled`,
    weight: 0.8,
  }, // article body
  { reason: 'UNKNOWN_ERROR', pattern: `okänt fel`, weight: 0.8 },
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `felet som skickas från salesforce är inte tydligt eller känt`,
    weight: 0.5,
  }, // article body
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `saknade (?:salesforce )?objektbehörigheter` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce fältbehörigheter saknas` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `saknade (?:salesforce )?fältbehörigheter` },
  {
    reason: 'ORG_LOCKED',
    pattern: `salesforce organisation(?:en)? (?:är )?låst${NOT_ENGLISH_LAST}`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `lagringsgräns(?:en|erna)? (?:för|i) (?:din )?salesforce organisation(?:en|er)? (?:har )?överskri(?:dits|ds)`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce organisation(?:ens|ers)? lagringsgräns(?:er|en)? (?:har )?överskri(?:dits|ds)`,
  },
  {
    reason: 'ORG_UNAVAILABLE',
    pattern: `salesforce organisation(?:en)? (?:är )?(?:inte tillgänglig|otillgänglig)`,
  },
  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfel` },
  { reason: 'SERVER_ERROR', pattern: `serverfel (?:hos|i|från) salesforce(?: com)?`, weight: 0.9 },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `saknade fältmappningar` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `fältmappningar saknas` },
];

const PL: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `limit (?:wywołań )?api (?:w )?organizacji salesforce (?:został )?przekroczony`,
  }, // article body
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `przekroczono limit (?:wywołań )?api (?:w )?organizacji salesforce`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `przekroczon(?:y|o) limit (?:wywołań )?api (?:w )?hubspot`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `limit (?:wywołań )?api (?:w )?hubspot (?:został )?przekroczony`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `dostęp api organizacji salesforce (?:został |jest )?wyłączony`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `uprawnienia administracyjne profilu użytkownika ?api enabled`,
    weight: 0.8,
  }, // article body
  { reason: 'UNKNOWN_ERROR', pattern: `nieznany błąd`, weight: 0.8 },
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `błąd wysłany z salesforce nie jest jasny lub znany`,
    weight: 0.5,
  }, // article body
  // "Brak" (heading) and "z powodu braku" (genitive, in a sentence).
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `braku uprawnień do obiektów salesforce` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `braku? uprawnień do pól salesforce` },
  { reason: 'ORG_LOCKED', pattern: `organizacja salesforce (?:jest |została )?zablokowana` },
  { reason: 'ORG_LOCKED', pattern: `zablokowana organizacja salesforce` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `przekroczon[eyo] limity? (?:pamięci|miejsca|przechowywania)(?: masowej| danych)? (?:w )?organizacji salesforce`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `limity? (?:pamięci|miejsca|przechowywania)(?: masowej| danych)? (?:w )?organizacji salesforce (?:został[oy]? )?przekroczon[eyo]`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `organizacja salesforce (?:jest )?niedostępna` },
  { reason: 'ORG_UNAVAILABLE', pattern: `niedostępna organizacja salesforce` },
  { reason: 'SERVER_ERROR', pattern: `(?:błąd|błędu|błędem) serwera salesforce(?: com)?` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:braku?|brakujące|brakujących) mapowa(?:ń|nia) pól`,
  },
];

const FI: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce organisaatio(?:n|si) api (?:kutsu)?raj(?:a|oitus) (?:on )?(?:ylittyi|ylitetty)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `hubspot(?:in)? api (?:kutsu)?raj(?:a|oitus) (?:on )?(?:ylittyi|ylitetty)`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `salesforce organisaation api yhteys (?:on )?poistettu käytöstä`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api enabled käyttäjäprofiilin hallinnointioikeus`,
    weight: 0.8,
  }, // article body
  { reason: 'UNKNOWN_ERROR', pattern: `tuntematon virhe`, weight: 0.8 },
  {
    reason: 'UNKNOWN_ERROR',
    pattern: `salesforcen lähettämä virhe ei ole selkeä tai tiedossa`,
    weight: 0.5,
  }, // article body
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `salesforce (?:kentän|kenttien) käyttöoikeudet puuttuvat`,
  },
  { reason: 'ORG_LOCKED', pattern: `salesforce organisaatio (?:on )?lukittu` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce organisaation tallennus(?:tila)?raj(?:a|at) (?:on )?(?:ylittyi|ylittyivät|ylitetty)`,
  },
  {
    reason: 'ORG_UNAVAILABLE',
    pattern: `salesforce organisaatio ei (?:ole )?(?:käytettävissä|saatavilla)`,
  },
  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?palvelinvirhe(?:en|ttä)?` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:puuttuvat kenttämääritykset|kenttämääritykset puuttuvat|puuttuvat kenttien yhdistämiset)`,
  },
];

const DE: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api (?:aufruf)?limit der salesforce organisation (?:wurde )?überschritten`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce organisation api (?:aufruf)?limit (?:wurde )?überschritten`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `hubspot api (?:aufruf)?limit (?:wurde )?überschritten`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `api (?:aufruf)?limit von hubspot (?:wurde )?überschritten`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api zugriff (?:der|für die) salesforce organisation (?:ist |wurde )?deaktiviert`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `salesforce organisation api zugriff (?:ist |wurde )?deaktiviert`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `unbekannter fehler`, weight: 0.8 },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `salesforce objektberechtigungen fehlen` },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `fehlende (?:salesforce )?objektberechtigungen`,
  },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce feldberechtigungen fehlen` },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `fehlende (?:salesforce )?feldberechtigungen` },
  { reason: 'ORG_LOCKED', pattern: `salesforce organisation (?:ist |wurde )?gesperrt` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `speicher(?:platz)?limits? der salesforce organisation (?:wurden? )?überschritten`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce organisation speicher(?:platz)?limits? (?:wurden? )?überschritten`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `salesforce organisation (?:ist )?nicht verfügbar` },
  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfehler` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `fehlende feldzuordnungen` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `feldzuordnungen fehlen` },
];

const FR: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `limite (?:d'appels )?d'API de l'organisation Salesforce (?:a été |est )?(?:dépassée|atteinte)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `limite (?:d'appels )?d'API (?:de )?HubSpot (?:a été |est )?(?:dépassée|atteinte)`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `accès (?:à l'API|API) de l'organisation Salesforce (?:a été |est )?désactivé`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `erreur inconnue`, weight: 0.8 },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `(?:autorisations|permissions) (?:d'objets?|des objets) Salesforce manquantes`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `(?:autorisations|permissions) (?:de champs?|des champs) Salesforce manquantes`,
  },
  { reason: 'ORG_LOCKED', pattern: `organisation Salesforce (?:est )?verrouillée` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `limites? de stockage de l'organisation Salesforce (?:ont été |a été )?(?:dépassées?|atteintes?)`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `organisation Salesforce (?:est )?indisponible` },
  { reason: 'SERVER_ERROR', pattern: `erreur (?:du |de )?serveur (?:de )?Salesforce(?: com)?` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:mappages|mappings|correspondances) de champs? manquant(?:e)?s`,
  },
];

const ES: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `límite (?:de llamadas )?(?:de|a la) API de la organización de Salesforce (?:superado|excedido)`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `(?:se ha )?(?:superado|excedido) (?:el )?límite (?:de llamadas )?(?:de|a la) API de la organización de Salesforce`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `límite (?:de llamadas )?(?:de|a la) API de HubSpot (?:superado|excedido)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `(?:se ha )?(?:superado|excedido) (?:el )?límite (?:de llamadas )?(?:de|a la) API de HubSpot`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `acceso (?:a la )?API de la organización de Salesforce (?:está )?(?:deshabilitado|desactivado)`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `error desconocido`, weight: 0.8 },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `faltan (?:los )?permisos de objetos? (?:de )?Salesforce`,
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `permisos de objetos? de Salesforce (?:faltantes|ausentes)`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `faltan (?:los )?permisos de campos? (?:de )?Salesforce`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `permisos de campos? de Salesforce (?:faltantes|ausentes)`,
  },
  { reason: 'ORG_LOCKED', pattern: `organización de Salesforce (?:está )?bloqueada` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `límites? de almacenamiento de la organización de Salesforce (?:superados?|excedidos?)`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `(?:se han )?(?:superado|excedido) (?:los )?límites? de almacenamiento de la organización de Salesforce`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `organización de Salesforce no (?:está )?disponible` },
  { reason: 'SERVER_ERROR', pattern: `error (?:del )?servidor (?:de )?Salesforce(?: com)?` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `faltan (?:las )?asignaciones de campos?` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `asignaciones de campos? (?:faltantes|ausentes)` },
];

const PT: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `limite (?:de chamadas )?(?:de|da) API da organização (?:do )?Salesforce (?:foi )?(?:excedido|ultrapassado)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `limite (?:de chamadas )?(?:de|da) API (?:do )?HubSpot (?:foi )?(?:excedido|ultrapassado)`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `acesso (?:à )?API da organização (?:do )?Salesforce (?:foi )?desativado`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `erro desconhecido`, weight: 0.8 },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `permissões de objetos? (?:do )?Salesforce (?:ausentes|em falta)`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `permissões de campos? (?:do )?Salesforce (?:ausentes|em falta)`,
  },
  { reason: 'ORG_LOCKED', pattern: `organização (?:do )?Salesforce (?:está )?bloqueada` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `limites? de armazenamento da organização (?:do )?Salesforce (?:foram |foi )?(?:excedidos?|ultrapassados?)`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `organização (?:do )?Salesforce (?:está )?indisponível` },
  { reason: 'SERVER_ERROR', pattern: `erro (?:de|do) servidor (?:do )?Salesforce(?: com)?` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `mapeamentos de campos? (?:ausentes|em falta)` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `faltam mapeamentos de campos?` },
];

const NL: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `api limiet (?:van de |voor de )?salesforce organisatie (?:is )?overschreden`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce organisatie api limiet (?:is )?overschreden`,
  },
  { reason: 'HUBSPOT_API_LIMIT_EXCEEDED', pattern: `hubspot api limiet (?:is )?overschreden` },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `api toegang (?:van de |voor de )?salesforce organisatie (?:is )?uitgeschakeld`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `onbekende fout`, weight: 0.8 },
  { reason: 'OBJECT_PERMISSIONS_MISSING', pattern: `salesforce objectrechten ontbreken` },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `ontbrekende (?:salesforce )?object(?:rechten|machtigingen)`,
  },
  { reason: 'FIELD_PERMISSIONS_MISSING', pattern: `salesforce veldrechten ontbreken` },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `ontbrekende (?:salesforce )?veld(?:rechten|machtigingen)`,
  },
  { reason: 'ORG_LOCKED', pattern: `salesforce organisatie (?:is )?vergrendeld` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `opslaglimieten? (?:van de )?salesforce organisatie (?:zijn |is )?overschreden`,
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce organisatie opslaglimieten? (?:zijn |is )?overschreden`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `salesforce organisatie (?:is )?niet beschikbaar` },
  { reason: 'SERVER_ERROR', pattern: `salesforce (?:com )?serverfout` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `ontbrekende veldtoewijzingen` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `veldtoewijzingen ontbreken` },
];

const IT: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `limite (?:di chiamate )?(?:di )?API dell'organizzazione Salesforce superato`,
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `superato (?:il )?limite (?:di chiamate )?(?:di )?API dell'organizzazione Salesforce`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `limite (?:di chiamate )?(?:di )?API (?:di )?HubSpot superato`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `superato (?:il )?limite (?:di chiamate )?(?:di )?API (?:di )?HubSpot`,
  },
  {
    reason: 'API_ACCESS_DISABLED',
    pattern: `accesso API dell'organizzazione Salesforce (?:è )?disabilitato`,
  },
  { reason: 'UNKNOWN_ERROR', pattern: `errore sconosciuto`, weight: 0.8 },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `autorizzazioni (?:per gli |degli )?oggetti (?:di )?Salesforce mancanti`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `autorizzazioni (?:per i |dei )?campi (?:di )?Salesforce mancanti`,
  },
  { reason: 'ORG_LOCKED', pattern: `organizzazione Salesforce (?:è )?bloccata` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `limiti? di (?:archiviazione|spazio) dell'organizzazione Salesforce superat[io]`,
  },
  { reason: 'ORG_UNAVAILABLE', pattern: `organizzazione Salesforce (?:non è|non) disponibile` },
  { reason: 'SERVER_ERROR', pattern: `errore (?:del )?server (?:di )?Salesforce(?: com)?` },
  { reason: 'FIELD_MAPPINGS_MISSING', pattern: `mappature (?:dei|di) campi? mancanti` },
];

// Japanese is written without spaces: " ?" lets a space stand between Latin and Japanese words.
const JA: SuspensionPhrase[] = [
  {
    reason: 'API_LIMIT_EXCEEDED',
    pattern: `salesforce ?組織の ?api ?(?:コール)?(?:制限|上限)を?超(?:過|えました|えています)`,
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    pattern: `hubspot ?の? ?api ?(?:コール)?(?:制限|上限)を?超(?:過|えました|えています)`,
  },
  { reason: 'API_ACCESS_DISABLED', pattern: `salesforce ?組織の ?api ?アクセスが?無効` },
  { reason: 'UNKNOWN_ERROR', pattern: `不明なエラー`, weight: 0.8 },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    pattern: `salesforce ?オブジェクトの?(?:権限|アクセス権)が?(?:ありません|不足)`,
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    pattern: `salesforce ?(?:項目|フィールド)の?(?:権限|アクセス権)が?(?:ありません|不足)`,
  },
  { reason: 'ORG_LOCKED', pattern: `salesforce ?組織が?ロック` },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    pattern: `salesforce ?組織の ?(?:データ)?ストレージ ?(?:制限|上限)を?超(?:過|えました|えています)`,
  },
  {
    reason: 'ORG_UNAVAILABLE',
    pattern: `salesforce ?組織(?:が|を)?(?:利用|使用)(?:不可|できません)`,
  },
  { reason: 'SERVER_ERROR', pattern: `salesforce ?(?:com ?)?サーバー ?エラー` },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    pattern: `(?:項目|フィールド)の?マッピングが?(?:ありません|不足)`,
  },
];

/** Phrasings per language code (HubSpot's knowledge-base codes). */
export const SUSPENSION_PHRASES: Record<string, SuspensionPhrase[]> = {
  en: EN,
  da: DA,
  no: NO,
  sv: SV,
  pl: PL,
  fi: FI,
  de: DE,
  fr: FR,
  es: ES,
  pt: PT,
  nl: NL,
  it: IT,
  ja: JA,
};

/** Languages written without spaces between words. */
export const UNSPACED_LANGUAGES: ReadonlySet<string> = new Set(['ja', 'zh', 'ko']);

/**
 * Common words per language, used only to break ties when the same words read as a heading in
 * two languages (several translations keep "Salesforce Organization API" verbatim).
 */
export const LANGUAGE_HINTS: Record<string, string[]> = {
  en: ['the', 'your', 'has', 'been', 'integration', 'suspended', 'and', 'to', 'is', 'of'],
  da: ['din', 'er', 'og', 'til', 'har', 'integrationen', 'suspenderet', 'af', 'ikke', 'blevet'],
  no: ['din', 'er', 'og', 'til', 'har', 'integrasjonen', 'suspendert', 'av', 'ikke', 'blitt'],
  sv: ['din', 'är', 'och', 'till', 'har', 'integrationen', 'avbruten', 'av', 'inte', 'att'],
  pl: ['jest', 'i', 'w', 'do', 'integracja', 'została', 'zawieszona', 'nie', 'się', 'z'],
  fi: ['on', 'ja', 'integraatio', 'keskeytetty', 'ei', 'sinun', 'että', 'kun'],
  de: ['die', 'der', 'ist', 'und', 'wurde', 'integration', 'ausgesetzt', 'nicht', 'ihre', 'zu'],
  fr: ['le', 'la', 'les', 'est', 'et', 'votre', 'intégration', 'suspendue', 'de', 'a'],
  es: ['el', 'la', 'los', 'es', 'y', 'su', 'integración', 'suspendida', 'de', 'se'],
  pt: ['o', 'a', 'os', 'é', 'e', 'sua', 'integração', 'suspensa', 'de', 'foi'],
  nl: ['de', 'het', 'is', 'en', 'uw', 'integratie', 'opgeschort', 'van', 'niet', 'een'],
  it: ['il', 'la', 'è', 'e', 'tua', 'integrazione', 'sospesa', 'di', 'non', 'stata'],
};

/**
 * Negative look-aheads appended to an exact heading where dropping diacritics makes it collide
 * with ordinary words of another language.
 */
export const HEADING_GUARDS: Partial<Record<string, Partial<Record<ReasonCode, string>>>> = {
  en: {
    ORG_LOCKED: '(?! out)', // "Salesforce org locked out the user" is a login lockout
    OBJECT_PERMISSIONS_MISSING: MISSING_STARTS_NEXT,
    FIELD_PERMISSIONS_MISSING: MISSING_STARTS_NEXT,
  },
  da: { ORG_LOCKED: NOT_ENGLISH_LAST },
};
