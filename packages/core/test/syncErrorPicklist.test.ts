/**
 * A picklist group of HubSpot's exported sync errors: the value Salesforce refused, the field's
 * values as the snapshot read them now, and what the admin is told.
 */
import fc from 'fast-check';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import type { FieldResult } from '../src/diagnosis/types.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { syncErrorRequirements } from '../src/relayed/syncErrorRequirements.js';
import {
  fieldsInSalesforceMessage,
  refusedPicklistValues,
} from '../src/relayed/salesforceErrorText.js';
import { isApiName } from '../src/relayed/salesforceNames.js';
import { summarizeSyncErrors, type SyncErrorReportLike } from '../src/relayed/syncErrors.js';
import { syncErrorKind, syncErrorKindInfo } from '../src/relayed/syncErrorKinds.js';
import { syncErrorGroupNow, syncErrorNow } from '../src/relayed/syncErrorsNow.js';
import { syncErrorsView } from '../src/relayed/syncErrorsText.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

const AT = '2026-12-01T09:30:00.000Z';
const REFUSED =
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]';

describe('refusedPicklistValues', () => {
  it.each([
    [REFUSED, ['Webinar']],
    // The REST error's message has no field list.
    ['Lead Source: bad value for restricted picklist field: Trade Show', ['Trade Show']],
    // A value with a colon of its own is kept whole.
    ['Region: bad value for restricted picklist field: EMEA: North: [Region__c]', ['EMEA: North']],
    // A multi-select picklist's values as written: the field's describe says whether it is one.
    [
      'Interests: bad value for restricted picklist field: Golf;Tennis: [Interests__c]',
      ['Golf;Tennis'],
    ],
    // Japanese with full-width colons.
    ['Java：制限つき選択リスト項目の値が不適切：実務経験豊富：[Skill__c]', ['実務経験豊富']],
    // Cut short where the value is, by the relay or by HubSpot: nothing to believe.
    ['Lead Source: bad value for restricted picklist field: Partner Refer…', []],
    ['Lead Source: bad value for restricted picklist field: Partner Refer...', []],
    // A Bulk API result names the field after the value.
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Lead Source: bad value for restricted picklist field: Webinar:LeadSource --',
      ['Webinar'],
    ],
    // Salesforce writes it in the integration user's language.
    [
      'Statut de mise à jour: valeur incorrecte pour le champ de liste de sélection restreinte : 5',
      ['5'],
    ],
    [
      'Compañía: valor inapropiado para el campo de lista de selección restringida: PEKING',
      ['PEKING'],
    ],
    ['Branche: ungültiger Wert für eingeschränktes Auswahllistenfeld: Bergbau', ['Bergbau']],
    ['Java: 制限つき選択リスト項目の値が不適切: 実務経験豊富', ['実務経験豊富']],
    ['상태: 제한된 선택 목록 필드의 잘못된 값: 보류', ['보류']],
    // Decomposed accents (as some exports write them) read as composed ones.
    [
      'Statut: valeur incorrecte pour le champ de liste de se\u0301lection restreinte : Actif',
      ['Actif'],
    ],
    // The code alone, or no value at all.
    ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', []],
    ['Status: bad value for restricted picklist field: : [Status]', []],
    [null, []],
  ])('%j refused %j', (text, values) => {
    expect(refusedPicklistValues(text)).toEqual(values);
  });

  it('in any of those languages, and without its code, the group is a picklist one', () => {
    for (const example of [
      'Statut de mise à jour: valeur incorrecte pour le champ de liste de sélection restreinte : 5',
      'Java: 制限つき選択リスト項目の値が不適切: 実務経験豊富',
      'Lead Source: bad value for restricted picklist field: Webinar',
    ])
      expect(syncErrorKind({ reason: null, errorType: 'Erreur', example })).toBe('picklist');
  });

  it('the fields in brackets, or after a Bulk API value, are Salesforce API names', () => {
    expect(
      fieldsInSalesforceMessage(
        'Lead Source: bad value for restricted picklist field: Webinar:LeadSource --',
      ),
    ).toEqual([{ object: null, field: 'LeadSource' }]);
    expect(fieldsInSalesforceMessage(REFUSED)).toEqual([{ object: null, field: 'LeadSource' }]);
    expect(
      fieldsInSalesforceMessage(
        'Stage: bad value for restricted picklist field: Won: [StageName, Stage_Detail__c]',
      ),
    ).toEqual([
      { object: null, field: 'StageName' },
      { object: null, field: 'Stage_Detail__c' },
    ]);
  });

  // The expression used until 6 Dec 2026, quadratic in a long line (it tried the fields from every
  // character): the oracle of what is read, values and fields, on generated lines.
  const REPLACED =
    /bad value for restricted picklist field\s?[:：][ \t]*([^\n]*?)[ \t]*(?:[:：][ \t]*\[([^\]\n]*)\]|:([A-Za-z0-9_]+(?:,[ \t]*[A-Za-z0-9_]+)*)[ \t]+--)?[ \t]*(?:\n|$)/giu;
  it('reads the values and fields the replaced expression read, in any arrangement', () => {
    const piece = fc.constantFrom(
      'bad value for restricted picklist field',
      ...[':', '：', ' ', '\t', '[', ']', '\n', '\r', '--', 'Lead', 'x_1', ',', '…', ';'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const text = pieces.join('');
        const matches = [...text.matchAll(REPLACED)];
        const values = matches
          .map((m) => m[1]!.trim())
          .filter((v) => v !== '' && !/(?:…|\.\.\.)$/.test(v));
        const fields = matches.flatMap((m) =>
          (m[2] ?? m[3] ?? '')
            .split(',')
            .map((n) => n.trim())
            .filter(isApiName),
        );
        expect(refusedPicklistValues(text)).toEqual([...new Set(values)]);
        expect(fieldsInSalesforceMessage(text).map((f) => f.field)).toEqual(fields);
      }),
      { numRuns: 5000 },
    );
  });

  // This thread's CPU time, as in normalizeText's tests: the expression took 29 s for this line.
  it('reads a line of 300 KB at once', () => {
    const text = `Lead Source: bad value for restricted picklist field: ${':[x'.repeat(100_000)}`;
    const started = process.threadCpuUsage();
    expect(refusedPicklistValues(text)).toEqual([text.slice(54)]);
    const { user, system } = process.threadCpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3000);
  });
});

function summary(findings: Partial<SyncErrorReportLike['findings'][number]>[]) {
  return summarizeSyncErrors(
    {
      rows: findings.length,
      findings: findings.map((f) => ({
        reason: null,
        errorType: 'Picklist value',
        object: 'Lead',
        field: 'LeadSource',
        count: 1,
        example: REFUSED,
        ...f,
      })),
    },
    AT,
  );
}

describe('what a picklist group asks to be read', () => {
  it("its fields, only if the org has them, each once and never twice with a permission group's", () => {
    const errors = summary([
      // A HubSpot contact's field: Salesforce names it in brackets, the column holds its label.
      { object: 'contact', field: 'Lead Source' },
      { object: 'Lead', field: 'LeadSource' },
      {
        reason: 'FIELD_PERMISSIONS_MISSING',
        errorType: 'Salesforce field permission',
        object: 'Lead',
        field: 'Rating',
        example: null,
      },
      {
        object: 'Lead',
        field: 'Rating',
        example: 'Rating: bad value for restricted picklist field: Hot',
      },
    ]);
    expect(syncErrorRequirements(errors).fields).toEqual([
      { name: 'Lead.Rating', access: ['read', 'edit'], ifExists: true },
      { name: 'Contact.LeadSource', access: ['read', 'edit'], ifExists: true },
      { name: 'Lead.LeadSource', access: ['read', 'edit'], ifExists: true },
    ]);
  });
});

/** The healthy org with Lead.LeadSource described as a picklist of `values`. */
function withLeadSource(values: string[] | null, restricted = true): Snapshot {
  const s = fixture('healthy');
  const fields = s.fields!;
  fields['Lead.LeadSource'] = {
    ...fields['Lead.LeadSource']!,
    ...(values ? { picklistValues: values, restrictedPicklist: restricted } : {}),
  };
  return s;
}

const SOURCES = [
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Other',
  'Trade Show',
];

describe('the diagnosis keeps what the describe says of a picklist', () => {
  it('values and whether it is restricted, on the field result; nothing for other fields', () => {
    const s = withLeadSource(SOURCES);
    expect(validateSnapshot(s).ok).toBe(true);
    const d = evaluateAccess(s);
    expect(d.fields.find((f) => f.name === 'Lead.LeadSource')!.picklist).toEqual({
      restricted: true,
      values: SOURCES,
    });
    expect(d.fields.find((f) => f.name === 'Lead.Email')!.picklist).toBeUndefined();
  });

  it('a snapshot whose values are not strings is refused', () => {
    const s = withLeadSource(SOURCES) as unknown as { fields: Record<string, unknown> };
    s.fields['Lead.LeadSource'] = {
      ...(s.fields['Lead.LeadSource'] as object),
      picklistValues: [1],
    };
    expect(validateSnapshot(s)).toMatchObject({
      ok: false,
      path: 'fields["Lead.LeadSource"].picklistValues[0]',
    });
  });
});

const field = (over: Partial<FieldResult> = {}): FieldResult => ({
  name: 'Lead.LeadSource',
  required: ['read', 'edit'],
  effective: { read: true, edit: true },
  grantedBy: [],
  exists: true,
  ...over,
});

const picklistLine = (values: string[]) => ({
  kind: 'picklist' as const,
  fields: ['Contact.LeadSource', 'Lead.LeadSource'],
  objects: [],
  values,
});

const judged = (...fields: FieldResult[]) => ({ fields, objects: [], findings: [] });

describe('syncErrorNow of a picklist group', () => {
  const restricted = { restricted: true, values: SOURCES };

  it('a value the picklist still lacks: where to add it, or what HubSpot may send', () => {
    expect(
      syncErrorNow(picklistLine(['Webinar']), judged(field({ picklist: restricted }))),
    ).toEqual({
      ok: false,
      text: "Now: Lead.LeadSource still has no active value 'Webinar': add it (or activate it, if there but inactive) in Setup > Object Manager > Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send one of its 6 active values ('Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other' and 1 more).",
    });
  });

  it('a value added since the export: resync, and the record type is what is left', () => {
    const now = syncErrorNow(picklistLine(['Trade Show']), judged(field({ picklist: restricted })));
    expect(now).toEqual({
      ok: true,
      text: "Now: Lead.LeadSource has 'Trade Show' among its active values. Resync these records; if they fail again, the records' record type does not offer the value (add it there) or the picklist's controlling field does not allow it (its field dependencies).",
    });
  });

  it('a value that differs only in case is not taken as there: HubSpot is asked to send it exactly', () => {
    const now = syncErrorNow(picklistLine(['trade show']), judged(field({ picklist: restricted })));
    expect(now).toEqual({
      ok: false,
      text: "Now: Lead.LeadSource has 'Trade Show', not 'trade show': make HubSpot's property send it spelled exactly so.",
    });
  });

  it("a multi-select picklist's values are each checked; a plain picklist's 'A;B' is one value", () => {
    const multi = syncErrorNow(
      picklistLine(['Web;Other']),
      judged(field({ picklist: { restricted: true, values: SOURCES, multi: true } })),
    );
    expect(multi!.ok).toBe(true);
    expect(multi!.text).toMatch(
      /^Now: Lead\.LeadSource has 'Web' and 'Other' among its active values\./,
    );
    const plain = syncErrorNow(
      picklistLine(['Web;Other']),
      judged(field({ picklist: restricted })),
    );
    expect(plain!.ok).toBe(false);
    expect(plain!.text).toMatch(/^Now: Lead\.LeadSource still has no active value 'Web;Other'/);
  });

  it('Contact and Lead in the same state but with other values are said once, each counted', () => {
    const now = syncErrorNow(
      picklistLine(['Webinar']),
      judged(
        field({
          name: 'Contact.LeadSource',
          picklist: { restricted: true, values: ['Web', 'Other'] },
        }),
        field({ picklist: restricted }),
      ),
    );
    expect(now!.text).toBe(
      "Now: Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar': add it (or activate it, if there but inactive) in Setup > Object Manager > Contact and Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send a value each of them has (Contact.LeadSource: 2 active and Lead.LeadSource: 6 active).",
    );
  });

  it('a picklist of one value, and a state or country code, whose values are set for the whole org', () => {
    expect(
      syncErrorNow(
        picklistLine(['Webinar']),
        judged(field({ picklist: { restricted: true, values: ['Web'] } })),
      )!.text,
    ).toContain("send its only active value ('Web')");
    const country = syncErrorNow(
      { ...picklistLine(['Narnia']), fields: ['Contact.MailingCountryCode'] },
      judged(
        field({
          name: 'Contact.MailingCountryCode',
          picklist: { restricted: true, values: ['DK', 'US'] },
        }),
      ),
    );
    expect(country!.text).toContain('in Setup > State and Country/Territory Picklists,');
  });

  it('a picklist that is not restricted takes any value (the export never said it was)', () => {
    const now = syncErrorNow(
      picklistLine(['Webinar']),
      judged(field({ picklist: { restricted: false, values: SOURCES } })),
    );
    expect(now).toEqual({
      ok: true,
      text: 'Now: Lead.LeadSource is not a restricted picklist, so Salesforce takes any value HubSpot sends. Resync these records.',
    });
  });

  it('no value in the export: the values HubSpot may send', () => {
    const now = syncErrorNow(picklistLine([]), judged(field({ picklist: restricted })));
    expect(now!.ok).toBe(false);
    expect(now!.text).toContain('Sync Doctor could not read which value Salesforce refused');
    expect(now!.text).toContain("one of its 6 active values ('Web',");
  });

  it("a HubSpot contact's field on Contact and Lead alike is said once, and fixed only on both", () => {
    const both = judged(
      field({ name: 'Contact.LeadSource', picklist: restricted }),
      field({ picklist: restricted }),
    );
    expect(syncErrorNow(picklistLine(['Webinar']), both)).toEqual({
      ok: false,
      text: "Now: Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar': add it (or activate it, if there but inactive) in Setup > Object Manager > Contact and Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send one of their 6 active values ('Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other' and 1 more).",
    });
    const onContactOnly = judged(
      field({
        name: 'Contact.LeadSource',
        picklist: { restricted: true, values: [...SOURCES, 'Webinar'] },
      }),
      field({ picklist: restricted }),
    );
    const now = syncErrorNow(picklistLine(['Webinar']), onContactOnly);
    expect(now!.ok).toBe(false);
    expect(now!.text).toMatch(
      /^Now: Contact\.LeadSource has 'Webinar' among its active values; Lead\.LeadSource still has no active value 'Webinar': add it \(or activate it, if there but inactive\) in Setup > Object Manager > Lead > /,
    );
  });

  it('a user that may no longer edit the field is said too, and nothing reads fixed', () => {
    const now = syncErrorNow(
      picklistLine(['Trade Show']),
      judged(field({ picklist: restricted, effective: { read: true, edit: false } })),
    );
    expect(now).toEqual({
      ok: false,
      text: "Now: Lead.LeadSource has 'Trade Show' among its active values; the integration user still lacks edit on Lead.LeadSource.",
    });
  });

  it('values not read (an older snapshot): only the rights speak, or nothing', () => {
    expect(syncErrorNow(picklistLine(['Webinar']), judged(field()))).toBeNull();
    expect(
      syncErrorNow(
        picklistLine(['Webinar']),
        judged(field({ effective: { read: true, edit: false } })),
      ),
    ).toEqual({
      ok: false,
      text: 'Now: the integration user still lacks edit on Lead.LeadSource.',
    });
  });

  it('a field the org no longer has', () => {
    expect(syncErrorNow(picklistLine(['Webinar']), judged(field({ exists: false })))!.text).toBe(
      "Now: Lead.LeadSource is not in this org: restore it or change HubSpot's field mapping; no permission fixes that.",
    );
  });
});

describe('from the export to the admin', () => {
  it('the view and syncErrorGroupNow say what the org reads now', () => {
    const errors = summary([{ object: 'Lead', field: 'LeadSource', count: 3 }]);
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, syncErrorRequirements(errors));
    const before = evaluateAccess(withLeadSource(SOURCES), requirements);
    const view = syncErrorsView({ syncErrors: errors, state: 'suspended' }, { diagnosis: before });
    expect(view!.lines[0]!.kind).toBe('picklist');
    expect(view!.lines[0]!.fields).toEqual(['Lead.LeadSource']);
    expect(view!.lines[0]!.now).toEqual(syncErrorGroupNow(errors.groups[0]!, before));
    expect(view!.lines[0]!.now!.text).toContain(
      "Lead.LeadSource still has no active value 'Webinar'",
    );

    // The field is checked because HubSpot failed to write a value to it, and said so.
    expect(view!.checks).toBe(
      'Sync Doctor checks the field Lead.LeadSource because HubSpot failed to write it.',
    );

    const after = evaluateAccess(withLeadSource([...SOURCES, 'Webinar']), requirements);
    expect(syncErrorGroupNow(errors.groups[0]!, after)!.ok).toBe(true);
  });
});

describe("an address's state or country", () => {
  it.each([
    [
      'FIELD_INTEGRITY_EXCEPTION',
      "FIELD_INTEGRITY_EXCEPTION: There's a problem with this state, even though it may appear correct. Please select a state from the list of valid states.: Billing State/Province: [BillingState]",
      null,
      'value',
    ],
    [
      'Error',
      "The BillingStateCode field contains EP, which isn't an available state.",
      null,
      'value',
    ],
    [
      'Error',
      'Mailing Country Code: bad value for restricted picklist field: Narnia',
      'MailingCountryCode',
      'picklist',
    ],
  ])('%s %j is sent to the state and country picklists', (errorType, example, field, kind) => {
    const info = syncErrorKindInfo({ reason: null, errorType, example, object: 'Account', field });
    if (kind === 'picklist') expect(info.kind).toBe('picklist');
    expect(info.advice).toContain('Setup > State and Country/Territory Picklists');
    expect(info.advice).toContain("HubSpot's sync of state and country picklists");
  });

  it('other value and picklist errors keep their own advice', () => {
    expect(
      syncErrorKindInfo({
        reason: null,
        errorType: 'Error',
        example: 'STRING_TOO_LONG: State: data value too large',
        object: 'Account',
        field: 'Description',
      }).advice,
    ).not.toContain('State and Country');
    expect(
      syncErrorKindInfo({
        reason: null,
        errorType: 'Error',
        example: REFUSED,
        object: 'Lead',
        field: 'LeadSource',
      }).advice,
    ).not.toContain('State and Country');
  });
});
