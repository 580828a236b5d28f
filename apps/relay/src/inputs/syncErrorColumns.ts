/**
 * The columns of HubSpot's sync-errors export, found by their headings in any of HubSpot's UI
 * languages.
 */
// HubSpot's Sync Health tab (Settings > Integrations > Connected Apps > Salesforce > Sync Health)
// has an "Export errors" button (https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-sync-errors).
// HubSpot does not document the export's columns. The UI lists errors by "Error type" with
// "Affected records"; exports of this kind carry the object, the record, the field and the message.
// So columns are matched by name, case- and accent-insensitively, with English and Danish aliases,
// and the report says which columns it used. Assumption documented in docs/inputs.md. HubSpot's UI
// comes in more languages than these, and a user who exports in German or French gets German or
// French headings, so their translations are aliases too (de, fr, es, pt, nl, it, sv, no, fi, pl,
// ja): without them such an export was a 422 naming headers the relay did not know.
// Matching is exact after normalizeHeader, on both sides (accents folded, "ł" as "l").

// Aliases are tried in order, so a more specific or more useful name comes first: the field's
// Salesforce API name before a HubSpot property or a label, a Salesforce id before HubSpot's.
const COLUMN_ALIASES: Record<
  'errorType' | 'object' | 'field' | 'message' | 'recordId' | 'records',
  string[]
> = {
  errorType: [
    'error type',
    'error category',
    'category',
    'error',
    'type',
    'error reason',
    'reason',
    'fejltype',
    'fejlkategori',
    'error code',
    // de, fr, es, pt, nl, it, sv/no, fi, pl, ja
    'fehlertyp',
    'fehlerart',
    'fehlerkategorie',
    "type d'erreur",
    "catégorie d'erreur",
    'tipo de error',
    'tipo de erro',
    'fouttype',
    'type fout',
    'tipo di errore',
    'feltyp',
    'feiltype',
    'virhetyyppi',
    'typ błędu',
    'エラーの種類',
    'エラータイプ',
  ],
  object: [
    'object',
    'object type',
    'record type',
    'salesforce object',
    'hubspot object',
    'object name',
    'hubspot object type',
    'objekt',
    'objekttype',
    'sobject',
    'objekttyp',
    'objet',
    "type d'objet",
    'objeto',
    'tipo de objeto',
    'oggetto',
    'tipo di oggetto',
    'objekti',
    'obiekt',
    'typ obiektu',
    'オブジェクト',
  ],
  field: [
    'salesforce field api name',
    'salesforce field name',
    'field',
    'salesforce field',
    'field name',
    'property',
    'hubspot property',
    'property name',
    // A label names no field by its API name; taken only when nothing better is there.
    'field label',
    'property label',
    'felt',
    'egenskab',
    'feld',
    'eigenschaft',
    'champ',
    'propriété',
    'campo',
    'propiedad',
    'propriedade',
    'veld',
    'eigenschap',
    'proprietà',
    'fält',
    'egenskap',
    'kenttä',
    'ominaisuus',
    'pole',
    'właściwość',
    'フィールド',
    'プロパティ',
  ],
  message: [
    'error message',
    'message',
    'details',
    'error details',
    'error description',
    'description',
    'fejlmeddelelse',
    'besked',
    'beskrivelse',
    'fehlermeldung',
    'meldung',
    'nachricht',
    "message d'erreur",
    'mensaje de error',
    'mensaje',
    'mensagem de erro',
    'mensagem',
    'foutmelding',
    'bericht',
    'messaggio di errore',
    'messaggio',
    'felmeddelande',
    'feilmelding',
    'virheilmoitus',
    'komunikat błędu',
    'エラーメッセージ',
  ],
  recordId: [
    'record id',
    'salesforce id',
    'salesforce record id',
    'hubspot id',
    'hubspot record id',
    'object id',
    'id',
    'record',
    'datensatz-id',
    "id de l'enregistrement",
    'id del registro',
    'id do registro',
    'record-id',
    'id del record',
    'post-id',
    'tietueen id',
    'id rekordu',
    'レコードID',
  ],
  // How many records a row stands for, when an export gives one row per error (HubSpot's UI
  // lists errors with "Affected records"); without it, each row is one record.
  records: [
    'affected records',
    'records affected',
    'number of records',
    'count',
    'berørte poster',
    'berørte records',
    'antal berørte poster',
  ],
};

export type Column = keyof typeof COLUMN_ALIASES;

const normalizeHeader = (header: string): string =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // What NFKD does not take apart (Polish "ł"), and the typographic apostrophe ("d’erreur").
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();

/** The aliases as normalizeHeader gives them, so each may be written as the language spells it. */
const NORMALIZED_ALIASES = Object.fromEntries(
  Object.entries(COLUMN_ALIASES).map(([column, aliases]) => [column, aliases.map(normalizeHeader)]),
) as Record<Column, string[]>;

/**
 * Which column of the header row holds what: the first alias of each that a header matches, each
 * header used once. A column the export lacks is absent.
 */
export function pickColumns(headers: string[]): Partial<Record<Column, number>> {
  const normalized = headers.map(normalizeHeader);
  const picked: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(NORMALIZED_ALIASES) as Column[]) {
    for (const alias of NORMALIZED_ALIASES[column]) {
      const index = normalized.indexOf(alias);
      if (index >= 0 && !Object.values(picked).includes(index)) {
        picked[column] = index;
        break;
      }
    }
  }
  return picked;
}
