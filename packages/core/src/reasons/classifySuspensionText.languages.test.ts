import { classifySuspensionText, SUSPENSION_TEXT_LANGUAGES } from './classifySuspensionText.js';
import { REASON_CODES, type ReasonCode } from './codes.js';

/**
 * One notification-like sentence per reason and language, beyond the article headings (which
 * classifySuspensionText.test.ts checks). Norwegian, Swedish, Polish and Finnish mix the
 * article's headings (first four reasons) with our own phrasings; the others are our own.
 */
const SAMPLES: Record<string, Record<ReasonCode, string>> = {
  no: {
    API_LIMIT_EXCEEDED:
      'Integrasjonen er suspendert: Grensen for API-anrop i Salesforce-organisasjonen din er overskredet.',
    API_ACCESS_DISABLED: 'Årsak: API-tilgang for Salesforce-organisasjon deaktivert',
    UNKNOWN_ERROR: 'Integrasjonen din er suspendert på grunn av en ukjent feil.',
    OBJECT_PERMISSIONS_MISSING: 'Årsak: Salesforce-objekttillatelser mangler.',
    FIELD_PERMISSIONS_MISSING: 'Årsak: manglende tillatelser til Salesforce-felter',
    ORG_LOCKED: 'Salesforce-organisasjonen er låst.',
    STORAGE_LIMIT_EXCEEDED: 'Salesforce-organisasjonens lagringsgrenser er overskredet',
    ORG_UNAVAILABLE: 'Salesforce-organisasjonen er utilgjengelig akkurat nå',
    SERVER_ERROR: 'Salesforce.com serverfeil',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpot API-grense overskredet',
    FIELD_MAPPINGS_MISSING: 'Manglende felttilordninger',
  },
  sv: {
    API_LIMIT_EXCEEDED: 'Gränsen för API-samtal i din Salesforce-organisation har överskridits.',
    API_ACCESS_DISABLED: 'API-åtkomst för Salesforce-organisationer inaktiverad',
    UNKNOWN_ERROR: 'Integrationen avbröts på grund av ett okänt fel.',
    OBJECT_PERMISSIONS_MISSING: 'Orsak: Salesforce-objektbehörigheter saknas',
    FIELD_PERMISSIONS_MISSING: 'Orsak: Salesforce-fältbehörigheter saknas',
    ORG_LOCKED: 'Salesforce-organisationen är låst',
    STORAGE_LIMIT_EXCEEDED: 'Lagringsgränsen för Salesforce-organisationen har överskridits',
    ORG_UNAVAILABLE: 'Salesforce-organisationen är inte tillgänglig',
    SERVER_ERROR: 'Salesforce.com-serverfel',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpot API-gränsen har överskridits',
    FIELD_MAPPINGS_MISSING: 'Fältmappningar saknas',
  },
  pl: {
    API_LIMIT_EXCEEDED: 'Przyczyna: Przekroczony limit API organizacji Salesforce.',
    API_ACCESS_DISABLED: 'Dostęp API organizacji Salesforce został wyłączony',
    UNKNOWN_ERROR: 'Integracja została zawieszona: nieznany błąd',
    OBJECT_PERMISSIONS_MISSING: 'Brak uprawnień do obiektów Salesforce',
    FIELD_PERMISSIONS_MISSING: 'Brak uprawnień do pól Salesforce',
    ORG_LOCKED: 'Organizacja Salesforce jest zablokowana',
    STORAGE_LIMIT_EXCEEDED: 'Przekroczone limity pamięci masowej organizacji Salesforce',
    ORG_UNAVAILABLE: 'Organizacja Salesforce jest niedostępna',
    SERVER_ERROR: 'Błąd serwera Salesforce.com',
    HUBSPOT_API_LIMIT_EXCEEDED: 'Przekroczony limit API HubSpot',
    FIELD_MAPPINGS_MISSING: 'Brak mapowań pól',
  },
  fi: {
    API_LIMIT_EXCEEDED: 'Salesforce-organisaation API-raja ylittyi',
    API_ACCESS_DISABLED: 'Salesforce-organisaation API-yhteys poistettu käytöstä',
    UNKNOWN_ERROR: 'Integraatio keskeytettiin: tuntematon virhe',
    OBJECT_PERMISSIONS_MISSING: 'Salesforce-kohteen käyttöoikeudet puuttuvat',
    FIELD_PERMISSIONS_MISSING: 'Salesforce-kentän käyttöoikeudet puuttuvat',
    ORG_LOCKED: 'Salesforce-organisaatio on lukittu',
    STORAGE_LIMIT_EXCEEDED: 'Salesforce-organisaation tallennusrajat ylittyivät',
    ORG_UNAVAILABLE: 'Salesforce-organisaatio ei ole käytettävissä',
    SERVER_ERROR: 'Salesforce.com-palvelinvirhe',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpotin API-raja ylittyi',
    FIELD_MAPPINGS_MISSING: 'Puuttuvat kenttämääritykset',
  },
  de: {
    API_LIMIT_EXCEEDED:
      'Ihre Integration wurde ausgesetzt: API-Limit der Salesforce-Organisation überschritten',
    API_ACCESS_DISABLED: 'API-Zugriff der Salesforce-Organisation deaktiviert',
    UNKNOWN_ERROR: 'Unbekannter Fehler',
    OBJECT_PERMISSIONS_MISSING: 'Salesforce-Objektberechtigungen fehlen',
    FIELD_PERMISSIONS_MISSING: 'Fehlende Salesforce-Feldberechtigungen',
    ORG_LOCKED: 'Salesforce-Organisation gesperrt',
    STORAGE_LIMIT_EXCEEDED: 'Speicherlimits der Salesforce-Organisation überschritten',
    ORG_UNAVAILABLE: 'Salesforce-Organisation nicht verfügbar',
    SERVER_ERROR: 'Salesforce.com-Serverfehler',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpot-API-Limit überschritten',
    FIELD_MAPPINGS_MISSING: 'Fehlende Feldzuordnungen',
  },
  fr: {
    API_LIMIT_EXCEEDED: "Limite d'API de l'organisation Salesforce dépassée",
    API_ACCESS_DISABLED: "Accès à l'API de l'organisation Salesforce désactivé",
    UNKNOWN_ERROR: 'Erreur inconnue',
    OBJECT_PERMISSIONS_MISSING: "Autorisations d'objet Salesforce manquantes",
    FIELD_PERMISSIONS_MISSING: 'Autorisations de champ Salesforce manquantes',
    ORG_LOCKED: 'Organisation Salesforce verrouillée',
    STORAGE_LIMIT_EXCEEDED: "Limites de stockage de l'organisation Salesforce dépassées",
    ORG_UNAVAILABLE: 'Organisation Salesforce indisponible',
    SERVER_ERROR: 'Erreur du serveur Salesforce.com',
    HUBSPOT_API_LIMIT_EXCEEDED: "Limite d'API HubSpot dépassée",
    FIELD_MAPPINGS_MISSING: 'Mappages de champs manquants',
  },
  es: {
    API_LIMIT_EXCEEDED: 'Se ha superado el límite de API de la organización de Salesforce',
    API_ACCESS_DISABLED: 'Acceso a la API de la organización de Salesforce deshabilitado',
    UNKNOWN_ERROR: 'Error desconocido',
    OBJECT_PERMISSIONS_MISSING: 'Faltan permisos de objeto de Salesforce',
    FIELD_PERMISSIONS_MISSING: 'Faltan permisos de campo de Salesforce',
    ORG_LOCKED: 'Organización de Salesforce bloqueada',
    STORAGE_LIMIT_EXCEEDED: 'Límites de almacenamiento de la organización de Salesforce superados',
    ORG_UNAVAILABLE: 'Organización de Salesforce no disponible',
    SERVER_ERROR: 'Error del servidor de Salesforce.com',
    HUBSPOT_API_LIMIT_EXCEEDED: 'Límite de API de HubSpot superado',
    FIELD_MAPPINGS_MISSING: 'Faltan asignaciones de campos',
  },
  pt: {
    API_LIMIT_EXCEEDED: 'Limite de API da organização do Salesforce excedido',
    API_ACCESS_DISABLED: 'Acesso à API da organização do Salesforce desativado',
    UNKNOWN_ERROR: 'Erro desconhecido',
    OBJECT_PERMISSIONS_MISSING: 'Permissões de objeto do Salesforce ausentes',
    FIELD_PERMISSIONS_MISSING: 'Permissões de campo do Salesforce ausentes',
    ORG_LOCKED: 'Organização do Salesforce bloqueada',
    STORAGE_LIMIT_EXCEEDED: 'Limites de armazenamento da organização do Salesforce excedidos',
    ORG_UNAVAILABLE: 'Organização do Salesforce indisponível',
    SERVER_ERROR: 'Erro de servidor do Salesforce.com',
    HUBSPOT_API_LIMIT_EXCEEDED: 'Limite de API do HubSpot excedido',
    FIELD_MAPPINGS_MISSING: 'Mapeamentos de campos ausentes',
  },
  nl: {
    API_LIMIT_EXCEEDED: 'API-limiet van de Salesforce-organisatie overschreden',
    API_ACCESS_DISABLED: 'API-toegang van de Salesforce-organisatie uitgeschakeld',
    UNKNOWN_ERROR: 'Onbekende fout',
    OBJECT_PERMISSIONS_MISSING: 'Ontbrekende Salesforce-objectrechten',
    FIELD_PERMISSIONS_MISSING: 'Salesforce-veldrechten ontbreken',
    ORG_LOCKED: 'Salesforce-organisatie vergrendeld',
    STORAGE_LIMIT_EXCEEDED: 'Opslaglimieten van de Salesforce-organisatie overschreden',
    ORG_UNAVAILABLE: 'Salesforce-organisatie niet beschikbaar',
    SERVER_ERROR: 'Salesforce.com-serverfout',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpot API-limiet overschreden',
    FIELD_MAPPINGS_MISSING: 'Ontbrekende veldtoewijzingen',
  },
  it: {
    API_LIMIT_EXCEEDED: "Limite API dell'organizzazione Salesforce superato",
    API_ACCESS_DISABLED: "Accesso API dell'organizzazione Salesforce disabilitato",
    UNKNOWN_ERROR: 'Errore sconosciuto',
    OBJECT_PERMISSIONS_MISSING: 'Autorizzazioni degli oggetti Salesforce mancanti',
    FIELD_PERMISSIONS_MISSING: 'Autorizzazioni dei campi Salesforce mancanti',
    ORG_LOCKED: 'Organizzazione Salesforce bloccata',
    STORAGE_LIMIT_EXCEEDED: "Limiti di archiviazione dell'organizzazione Salesforce superati",
    ORG_UNAVAILABLE: 'Organizzazione Salesforce non disponibile',
    SERVER_ERROR: 'Errore del server Salesforce.com',
    HUBSPOT_API_LIMIT_EXCEEDED: 'Limite API di HubSpot superato',
    FIELD_MAPPINGS_MISSING: 'Mappature dei campi mancanti',
  },
  ja: {
    API_LIMIT_EXCEEDED: 'Salesforce組織のAPI制限を超過しました',
    API_ACCESS_DISABLED: 'Salesforce 組織の API アクセスが無効です',
    UNKNOWN_ERROR: '不明なエラーが発生しました',
    OBJECT_PERMISSIONS_MISSING: 'Salesforceオブジェクトの権限がありません',
    FIELD_PERMISSIONS_MISSING: 'Salesforce項目の権限がありません',
    ORG_LOCKED: 'Salesforce組織がロックされています',
    STORAGE_LIMIT_EXCEEDED: 'Salesforce組織のストレージ制限を超過しました',
    ORG_UNAVAILABLE: 'Salesforce組織が利用できません',
    SERVER_ERROR: 'Salesforce.com サーバーエラー',
    HUBSPOT_API_LIMIT_EXCEEDED: 'HubSpotのAPI上限を超えました',
    FIELD_MAPPINGS_MISSING: '項目のマッピングがありません',
  },
};

describe('classifySuspensionText: other languages', () => {
  const cases: [string, ReasonCode, string][] = [];
  for (const [language, samples] of Object.entries(SAMPLES)) {
    for (const code of REASON_CODES) cases.push([language, code, samples[code]]);
  }
  it.each(cases)('[%s] %s: %s', (language, code, text) => {
    expect(classifySuspensionText(text)).toEqual({ reason: code, language });
  });

  it.each([
    ['Erreur de serveur Salesforce.com', 'SERVER_ERROR', 'fr'],
    ['Erreur serveur Salesforce', 'SERVER_ERROR', 'fr'],
  ] as const)('a variant wording: %s', (text, reason, language) => {
    expect(classifySuspensionText(text)).toEqual({ reason, language });
  });

  it('has samples for every language the classifier knows', () => {
    expect([...SUSPENSION_TEXT_LANGUAGES].sort()).toEqual(
      ['da', 'en', ...Object.keys(SAMPLES)].sort(),
    );
  });

  it('covers every reason in every language listed', () => {
    for (const samples of Object.values(SAMPLES))
      expect(Object.keys(samples).sort()).toEqual([...REASON_CODES].sort());
  });

  it('does not mistake ordinary sentences of these languages for a suspension', () => {
    for (const text of [
      'Salesforce-organisasjonen vår er flott', // no
      'Salesforce-organisationen fungerar bra', // sv
      'Organizacja Salesforce działa dobrze', // pl
      'Salesforce-organisaatio on käytettävissä', // fi: "is available"
      'Die Salesforce-Organisation ist verfügbar', // de
      "L'organisation Salesforce fonctionne", // fr
      'La organización de Salesforce está disponible', // es
      'Salesforce組織は正常です', // ja
    ]) {
      expect(classifySuspensionText(text)).toBeNull();
    }
  });
});
