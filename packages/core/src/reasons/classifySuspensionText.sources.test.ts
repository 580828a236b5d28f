import { classifySuspensionText } from './classifySuspensionText.js';
import { REASON_CODES, type ReasonCode } from './codes.js';
import { SUSPENSION_TITLES, TITLE_LANGUAGES, TITLE_SOURCES, type TitleLanguage } from './titles.js';

/**
 * Where the headings come from, and HubSpot's own headings in the sentences a notification puts
 * them in. The sentence frames and the other sentences below are written here by hand (not taken
 * from the titles table), so a heading that stops matching inside real text fails here.
 */

describe('TITLE_SOURCES tells HubSpot headings from ours', () => {
  it.each(TITLE_LANGUAGES.filter((l) => l !== 'en'))(
    '[%s] lists exactly the headings it has',
    (language) => {
      const withTitle = REASON_CODES.filter(
        (code) => SUSPENSION_TITLES[code][language] !== undefined,
      );
      expect([...TITLE_SOURCES[language].headingsFromArticle].sort()).toEqual(
        [...withTitle].sort(),
      );
      expect(TITLE_SOURCES[language].url).toBe(
        `https://knowledge.hubspot.com/${language}/salesforce/resolve-salesforce-integration-suspension-errors${language === 'no' ? '?hs_amp=true' : ''}`,
      );
      expect(TITLE_SOURCES[language].revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(TITLE_SOURCES[language].articleTitle).toBeTruthy();
    },
  );

  it("does not claim the English titles as HubSpot's (no copy of the English article was read)", () => {
    expect(TITLE_SOURCES.en.headingsFromArticle).toEqual([]);
    expect(TITLE_SOURCES.en.note).toMatch(/Not read/);
  });

  it('has all eleven Danish headings and the first four of no, sv, pl, fi', () => {
    expect(TITLE_SOURCES.da.headingsFromArticle).toEqual(REASON_CODES);
    for (const language of ['no', 'sv', 'pl', 'fi'] as const) {
      expect(TITLE_SOURCES[language].headingsFromArticle).toEqual(REASON_CODES.slice(0, 4));
    }
  });
});

/** A notification sentence around a heading, per language: "Your integration was suspended. Reason: ... ." */
const FRAMES: Record<TitleLanguage, (heading: string) => string> = {
  en: (h) =>
    `Your HubSpot-Salesforce integration has been suspended. Reason: ${h}. Click Clear Suspension once it is fixed.`,
  da: (h) =>
    `Din HubSpot-Salesforce-integration er suspenderet. Årsag: ${h}. Klik på Clear Suspension, når fejlen er rettet.`,
  no: (h) =>
    `HubSpot-Salesforce-integrasjonen din er suspendert. Årsak: ${h}. Klikk på Clear Suspension når feilen er rettet.`,
  sv: (h) =>
    `Din HubSpot-Salesforce-integration är avbruten. Orsak: ${h}. Klicka på Ta bort avstängning när felet är åtgärdat.`,
  pl: (h) =>
    `Integracja HubSpot-Salesforce została zawieszona. Powód: ${h}. Kliknij Wyczyść zawieszenie po usunięciu błędu.`,
  fi: (h) =>
    `HubSpot-Salesforce-integraatio on keskeytetty. Syy: ${h}. Napsauta Clear Suspension, kun virhe on korjattu.`,
};

describe('HubSpot headings inside notification sentences', () => {
  const cases: [TitleLanguage, ReasonCode, string][] = [];
  for (const language of TITLE_LANGUAGES) {
    for (const code of TITLE_SOURCES[language].headingsFromArticle)
      cases.push([language, code, SUSPENSION_TITLES[code][language]!]);
  }

  it.each(cases)('[%s] %s: %s', (language, code, heading) => {
    const sentence = FRAMES[language](heading);
    expect(classifySuspensionText(sentence)).toEqual({ reason: code, language });
    // As an HTML e-mail: the heading in its own cell, entities for the accented letters.
    const html = `<table><tr><td>${FRAMES[language]('')}</td></tr><tr><th style="x">${heading.replace(/å/g, '&aring;').replace(/ø/g, '&oslash;')}</th></tr></table>`;
    expect(classifySuspensionText(html)?.reason).toBe(code);
  });

  it('finds no reason in the frames alone', () => {
    for (const language of TITLE_LANGUAGES)
      expect(classifySuspensionText(FRAMES[language](''))).toBeNull();
  });
});

/**
 * Sentences of each article's body (HubSpot's words, from the stored pages) and sentences of our
 * own, none of them a heading of titles.ts.
 */
const SENTENCES: [string, ReasonCode, string][] = [
  ['da', 'API_LIMIT_EXCEEDED', 'API-opkaldsgrænsen i din Salesforce-organisation er overskredet.'],
  ['da', 'UNKNOWN_ERROR', 'Fejlen, der sendes fra Salesforce, er ikke klar eller kendt.'],
  [
    'da',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Den API-opkaldsallokering, der er indstillet i HubSpot, er overskredet.',
  ],
  [
    'da',
    'FIELD_MAPPINGS_MISSING',
    'Der er ingen mappings mellem HubSpot-egenskaber og Salesforce-felter.',
  ],
  ['da', 'STORAGE_LIMIT_EXCEEDED', 'Lagringsgrænsen i din Salesforce-organisation er overskredet.'],
  [
    'no',
    'API_LIMIT_EXCEEDED',
    'Grensen for API-anrop i Salesforce-organisasjonen din er overskredet.',
  ],
  ['no', 'UNKNOWN_ERROR', 'Feilen som sendes fra Salesforce er ikke klar eller kjent.'],
  ['no', 'ORG_LOCKED', 'Integrasjonen stoppet fordi Salesforce-organisasjonen er låst.'],
  [
    'no',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Synkroniseringen venter: HubSpot API-grensen er overskredet.',
  ],
  [
    'sv',
    'API_LIMIT_EXCEEDED',
    'Gränsen för API-samtal i din Salesforce-organisation har överskridits.',
  ],
  ['sv', 'UNKNOWN_ERROR', 'Felet som skickas från Salesforce är inte tydligt eller känt.'],
  [
    'sv',
    'ORG_UNAVAILABLE',
    'Synkroniseringen stoppades eftersom Salesforce-organisationen är otillgänglig.',
  ],
  [
    'sv',
    'FIELD_PERMISSIONS_MISSING',
    'Integrationen avbröts: saknade fältbehörigheter i Salesforce-objektet Lead.',
  ],
  ['pl', 'API_LIMIT_EXCEEDED', 'Limit wywołań API w organizacji Salesforce został przekroczony.'],
  ['pl', 'UNKNOWN_ERROR', 'Błąd wysłany z Salesforce nie jest jasny lub znany.'],
  [
    'pl',
    'ORG_LOCKED',
    'Synchronizacja wstrzymana, ponieważ organizacja Salesforce została zablokowana.',
  ],
  [
    'pl',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Synchronizacja wstrzymana: limit API HubSpot został przekroczony.',
  ],
  ['fi', 'API_LIMIT_EXCEEDED', 'Salesforce-organisaatiosi API-kutsurajoitus on ylitetty.'],
  ['fi', 'UNKNOWN_ERROR', 'Salesforcen lähettämä virhe ei ole selkeä tai tiedossa.'],
  ['fi', 'ORG_LOCKED', 'Synkronointi pysähtyi, koska Salesforce-organisaatio on lukittu.'],
  ['fi', 'SERVER_ERROR', 'Synkronointi epäonnistui: Salesforce.com-palvelinvirhe.'],
  ['en', 'UNKNOWN_ERROR', "The error sent from Salesforce isn't clear or known."],
  [
    'en',
    'API_ACCESS_DISABLED',
    'HubSpot paused the sync: API access to your Salesforce org has been disabled.',
  ],
  [
    'en',
    'STORAGE_LIMIT_EXCEEDED',
    'Records cannot be written because the data storage limit of your Salesforce organization has been reached.',
  ],
];

describe('sentences that are not headings', () => {
  it.each(SENTENCES)('[%s] %s: %s', (language, code, text) => {
    expect(classifySuspensionText(text)).toEqual({ reason: code, language });
  });
});

/** The two pairs most easily confused, per language: the heading words of one never read as the other. */
const DISTINCTIONS: Record<
  string,
  { hubspotLimit: string; orgLimit: string; fieldPermissions: string; fieldMappings: string }
> = {
  en: {
    hubspotLimit:
      'Suspended: the HubSpot API limit has been exceeded for your Salesforce connector.',
    orgLimit: 'Suspended by HubSpot: the Salesforce org API limit has been exceeded.',
    fieldPermissions:
      'HubSpot field mappings are fine, but Salesforce field permissions are missing.',
    fieldMappings:
      'Salesforce field permissions are in place for the integration user; the sync stopped on missing field mappings.',
  },
  da: {
    hubspotLimit: 'Salesforce-synkroniseringen er stoppet: HubSpot API-grænse overskredet.',
    orgLimit:
      'HubSpot har stoppet synkroniseringen: Salesforce-organisationens API-grænse overskredet.',
    fieldPermissions:
      'Felttilknytninger er i orden, men der er manglende tilladelser til Salesforce-felter.',
    fieldMappings:
      'Tilladelser til Salesforce-felter er i orden; årsagen er manglende felttilknytninger.',
  },
  no: {
    hubspotLimit: 'Salesforce-synkroniseringen er stoppet: HubSpot API-grense overskredet.',
    orgLimit:
      'HubSpot har stoppet synkroniseringen: Salesforce Organization API-grense overskredet.',
    fieldPermissions: 'Felttilordningene er i orden, men Salesforce-felttillatelser mangler.',
    fieldMappings:
      'Felttillatelsene i Salesforce er i orden; årsaken er manglende felttilordninger.',
  },
  sv: {
    hubspotLimit: 'Salesforce-synkroniseringen stoppades: HubSpot API-gränsen har överskridits.',
    orgLimit: 'HubSpot stoppade synkroniseringen: Salesforce Organization API Limit överskrids.',
    fieldPermissions: 'Fältmappningarna är korrekta, men Salesforce-fältbehörigheter saknas.',
    fieldMappings:
      'Fältbehörigheterna i Salesforce är korrekta; orsaken är saknade fältmappningar.',
  },
  pl: {
    hubspotLimit: 'Synchronizacja z Salesforce wstrzymana: przekroczony limit API HubSpot.',
    orgLimit: 'HubSpot wstrzymał synchronizację: przekroczony limit API organizacji Salesforce.',
    fieldPermissions: 'Mapowania pól są poprawne, ale brak uprawnień do pól Salesforce.',
    fieldMappings: 'Uprawnienia do pól Salesforce są poprawne; przyczyną jest brak mapowań pól.',
  },
  fi: {
    hubspotLimit: 'Salesforce-synkronointi pysäytetty: HubSpotin API-raja ylittyi.',
    orgLimit: 'HubSpot pysäytti synkronoinnin: Salesforce-organisaation API-raja ylittyi.',
    fieldPermissions:
      'Kenttämääritykset ovat kunnossa, mutta Salesforce-kentän käyttöoikeudet puuttuvat.',
    fieldMappings:
      'Salesforce-kenttien oikeudet ovat kunnossa; syynä ovat puuttuvat kenttämääritykset.',
  },
};

describe('HubSpot API limit vs Salesforce org API limit, field permissions vs field mappings', () => {
  it.each(Object.entries(DISTINCTIONS))('[%s]', (language, d) => {
    expect(classifySuspensionText(d.hubspotLimit)).toEqual({
      reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
      language,
    });
    expect(classifySuspensionText(d.orgLimit)).toEqual({ reason: 'API_LIMIT_EXCEEDED', language });
    expect(classifySuspensionText(d.fieldPermissions)).toEqual({
      reason: 'FIELD_PERMISSIONS_MISSING',
      language,
    });
    expect(classifySuspensionText(d.fieldMappings)).toEqual({
      reason: 'FIELD_MAPPINGS_MISSING',
      language,
    });
  });

  it('[en] does not read "permissions; missing field mappings" as missing permissions (punctuation is dropped)', () => {
    for (const text of [
      'The integration user has its Salesforce field permissions; missing field mappings stopped the sync.',
      'Checked: Salesforce object permissions. Missing field mappings are the reason.',
      'Field permissions - missing field mappings',
    ]) {
      expect(classifySuspensionText(text)).toEqual({
        reason: 'FIELD_MAPPINGS_MISSING',
        language: 'en',
      });
    }
    // The permissions heading itself still stands, also when other words follow "missing".
    expect(
      classifySuspensionText('Salesforce field permissions missing field Lead.Email')?.reason,
    ).toBe('FIELD_PERMISSIONS_MISSING');
    expect(classifySuspensionText('Salesforce object permissions missing: Campaign')?.reason).toBe(
      'OBJECT_PERMISSIONS_MISSING',
    );
  });
});

/**
 * The one-line descriptions under the headings, exactly as the stored pages give them (search of
 * the public-page corpus, 2026-12-01), where a notification quotes them without the heading:
 * - da: https://knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors (all eleven)
 * - no: https://knowledge.hubspot.com/no/salesforce/resolve-salesforce-integration-suspension-errors?hs_amp=true
 * - sv, pl, fi: https://knowledge.hubspot.com/{sv,pl,fi}/salesforce/resolve-salesforce-integration-suspension-errors
 *   (no, sv, pl, fi: the first four sections only; the corpus stores no more of them).
 * Each of these read as no reason, or (da SERVER_ERROR) as UNKNOWN_ERROR, before.
 */
const ARTICLE_DESCRIPTIONS: [string, ReasonCode, string][] = [
  [
    'da',
    'API_ACCESS_DISABLED',
    'Sørg for, at integrationsbrugeren har den administrative tilladelseAPI Enabled for brugerprofilen, og indtast derefter Salesforce-brugeroplysningerne igen for at slette suspensionsmeddelelsen.',
  ],
  [
    'da',
    'OBJECT_PERMISSIONS_MISSING',
    'De to mest almindelige årsager til denne fejl er, at integrationsbrugeren ikke har HubSpot Integration Permission-sættet (i afsnittet Available Permission Sets skal du vælge HubSpot Integration Permissions) i Salesforce, eller at et af de objekter, der forsøges synkroniseret, ikke har de korrekte tilladelser i Salesforce.',
  ],
  [
    'da',
    'FIELD_PERMISSIONS_MISSING',
    'Integrationsbrugeren har ikke læse- og redigeringstilladelser til et felt på synkroniseringsobjektet eller et felt på et objekt, der er relateret via opslag.',
  ],
  [
    'da',
    'ORG_LOCKED',
    'En midlertidig fejl, der opstår, når der udføres en handling, som skal afsluttes, før en anden opdatering kan finde sted.',
  ],
  ['da', 'ORG_UNAVAILABLE', 'Salesforce oplever i øjeblikket udfald.'],
  ['da', 'SERVER_ERROR', 'Salesforce returnerede en ukendt fejl.'],
  [
    'no',
    'API_ACCESS_DISABLED',
    'Forsikre deg om at integrasjonsbrukeren har den administrative tillatelsenAPI Enabled for brukerprofilen, og skriv deretter inn Salesforce-brukerlegitimasjonen på nytt for å fjerne meldingen om suspensjon.',
  ],
  [
    'no',
    'OBJECT_PERMISSIONS_MISSING',
    'Et av objektene som prøver å synkronisere, har ikke de riktige tillatelsene i Salesforce.',
  ],
  [
    'sv',
    'API_ACCESS_DISABLED',
    'Se till att integrationsanvändaren har den administrativa behörighetenAPI Enabled för användarprofilen och ange sedan Salesforce-användarlegitimationerna på nytt för att ta bort meddelandet om avstängning.',
  ],
  [
    'pl',
    'API_ACCESS_DISABLED',
    'Upewnij się, że użytkownik integracji ma uprawnienia administracyjne profilu użytkownikaAPI Enabled, a następnie ponownie wprowadź dane uwierzytelniające użytkownika Salesforce, aby usunąć komunikat o zawieszeniu.',
  ],
  [
    'fi',
    'API_ACCESS_DISABLED',
    'Varmista, että integraatiokäyttäjällä on API Enabled-käyttäjäprofiilin hallinnointioikeus, ja anna sitten Salesforce-käyttäjän tunnistetiedot uudelleen keskeytysviestin poistamiseksi.',
  ],
];

describe("the article's descriptions under its headings, quoted without the heading", () => {
  it.each(ARTICLE_DESCRIPTIONS)('[%s] %s: %s', (language, code, text) => {
    expect(classifySuspensionText(text)).toEqual({ reason: code, language });
  });

  it('[da] "Salesforce returned an unknown error" is the server error, though it contains "ukendt fejl"', () => {
    expect(classifySuspensionText('Ukendt fejl')?.reason).toBe('UNKNOWN_ERROR');
    expect(
      classifySuspensionText(
        'Din HubSpot-Salesforce-integration er suspenderet. Salesforce returnerede en ukendt fejl.',
      )?.reason,
    ).toBe('SERVER_ERROR');
  });

  it('[en] the same body in English is the server error too, and "Unknown error" stays unknown', () => {
    // The English body under "Salesforce.com server error", as the Danish copy translates it; an
    // incident drill got UNKNOWN_ERROR for it, whose advice (contact HubSpot) is the wrong one.
    expect(
      classifySuspensionText(
        'Salesforce returned an unknown error. If the error persists after clicking Clear Suspension, check Salesforce Status or contact Salesforce support.',
      ),
    ).toEqual({ reason: 'SERVER_ERROR', language: 'en' });
    expect(classifySuspensionText('Unknown error')?.reason).toBe('UNKNOWN_ERROR');
    expect(
      classifySuspensionText(
        'The error sent from Salesforce is not clear or known. These types of suspensions are rare and often resolve themselves.',
      )?.reason,
    ).toBe('UNKNOWN_ERROR');
  });
});

/**
 * Notification sentences of our own (not HubSpot's wording: no e-mail of HubSpot's is in the
 * corpus) that put the reason into a clause the way the article's languages inflect it: Danish
 * "er blevet overskredet", the genitive "HubSpots", Polish "przekroczono" and "z powodu braku",
 * "serverfejl hos Salesforce.com". Each read as no reason before.
 */
const INFLECTED_SENTENCES: [string, ReasonCode, string][] = [
  [
    'da',
    'API_LIMIT_EXCEEDED',
    'Din Salesforce-integration er blevet suspenderet, fordi API-grænsen for din Salesforce-organisation er blevet overskredet.',
  ],
  [
    'da',
    'API_ACCESS_DISABLED',
    'Din Salesforce-integration er blevet suspenderet, fordi API-adgangen til din Salesforce-organisation er blevet deaktiveret.',
  ],
  [
    'da',
    'OBJECT_PERMISSIONS_MISSING',
    'Din Salesforce-integration er blevet suspenderet, fordi der mangler objekttilladelser i Salesforce.',
  ],
  [
    'da',
    'FIELD_PERMISSIONS_MISSING',
    'Din Salesforce-integration er blevet suspenderet, fordi der mangler felttilladelser i Salesforce.',
  ],
  [
    'da',
    'STORAGE_LIMIT_EXCEEDED',
    'Din Salesforce-integration er blevet suspenderet, fordi lagringsgrænsen for din Salesforce-organisation er blevet overskredet.',
  ],
  [
    'da',
    'ORG_UNAVAILABLE',
    'Din Salesforce-integration er blevet suspenderet, fordi din Salesforce-organisation ikke er tilgængelig.',
  ],
  [
    'da',
    'SERVER_ERROR',
    'Din Salesforce-integration er blevet suspenderet på grund af en serverfejl hos Salesforce.com.',
  ],
  [
    'da',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Din Salesforce-integration er blevet suspenderet, fordi HubSpots API-grænse er blevet overskredet.',
  ],
  [
    'no',
    'API_LIMIT_EXCEEDED',
    'Salesforce-integrasjonen din er suspendert fordi API-grensen for Salesforce-organisasjonen din er overskredet.',
  ],
  [
    'no',
    'OBJECT_PERMISSIONS_MISSING',
    'Salesforce-integrasjonen din er suspendert fordi det mangler objekttillatelser i Salesforce.',
  ],
  [
    'no',
    'STORAGE_LIMIT_EXCEEDED',
    'Salesforce-integrasjonen din er suspendert fordi lagringsgrensen for Salesforce-organisasjonen din er overskredet.',
  ],
  [
    'no',
    'SERVER_ERROR',
    'Salesforce-integrasjonen din er suspendert på grunn av en serverfeil hos Salesforce.com.',
  ],
  [
    'no',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Salesforce-integrasjonen din er suspendert fordi HubSpots API-grense er overskredet.',
  ],
  [
    'no',
    'FIELD_MAPPINGS_MISSING',
    'Salesforce-integrasjonen din er suspendert fordi det mangler felttilordninger.',
  ],
  [
    'sv',
    'API_ACCESS_DISABLED',
    'Din Salesforce-integration har avbrutits eftersom API-åtkomsten för Salesforce-organisationen har inaktiverats.',
  ],
  [
    'sv',
    'SERVER_ERROR',
    'Din Salesforce-integration har avbrutits på grund av ett serverfel hos Salesforce.com.',
  ],
  [
    'sv',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Din Salesforce-integration har avbrutits eftersom HubSpots API-gräns har överskridits.',
  ],
  [
    'pl',
    'API_LIMIT_EXCEEDED',
    'Integracja z Salesforce została zawieszona, ponieważ przekroczono limit API organizacji Salesforce.',
  ],
  [
    'pl',
    'OBJECT_PERMISSIONS_MISSING',
    'Integracja z Salesforce została zawieszona z powodu braku uprawnień do obiektów Salesforce.',
  ],
  [
    'pl',
    'FIELD_PERMISSIONS_MISSING',
    'Integracja z Salesforce została zawieszona z powodu braku uprawnień do pól Salesforce.',
  ],
  [
    'pl',
    'SERVER_ERROR',
    'Integracja z Salesforce została zawieszona z powodu błędu serwera Salesforce.com.',
  ],
  [
    'pl',
    'HUBSPOT_API_LIMIT_EXCEEDED',
    'Integracja z Salesforce została zawieszona, ponieważ przekroczono limit API HubSpot.',
  ],
  [
    'pl',
    'FIELD_MAPPINGS_MISSING',
    'Integracja z Salesforce została zawieszona z powodu braku mapowań pól.',
  ],
  [
    'fi',
    'SERVER_ERROR',
    'Salesforce-integraatio on keskeytetty Salesforce.com-palvelinvirheen vuoksi.',
  ],
];

describe('notification sentences in the inflections of the languages the article was read in', () => {
  it.each(INFLECTED_SENTENCES)('[%s] %s: %s', (language, code, text) => {
    expect(classifySuspensionText(text)).toEqual({ reason: code, language });
  });
});
