import { classifySyncErrorText } from './classifySyncErrorText.js';
import type { ReasonCode } from './codes.js';
import { SUSPENSION_TITLES } from './titles.js';

describe('classifySyncErrorText', () => {
  it('reads a Salesforce error code in the text first', () => {
    expect(
      classifySyncErrorText(
        'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry. Please check the security settings of this field.',
      ),
    ).toEqual({
      reason: 'FIELD_PERMISSIONS_MISSING',
      matchedBy: 'salesforce-error',
      language: null,
    });
    expect(
      classifySyncErrorText(
        'Other\nINSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: insufficient access rights on cross-reference id',
      )?.reason,
    ).toBe('OBJECT_PERMISSIONS_MISSING');
    expect(classifySyncErrorText('REQUEST_LIMIT_EXCEEDED')?.reason).toBe('API_LIMIT_EXCEEDED');
    expect(
      classifySyncErrorText('UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record')
        ?.reason,
    ).toBe('ORG_LOCKED');
  });

  it("reads the article's suspension headings", () => {
    const title = SUSPENSION_TITLES.STORAGE_LIMIT_EXCEEDED.en!;
    expect(classifySyncErrorText(`${title}\nThe integration stopped syncing`)).toMatchObject({
      reason: 'STORAGE_LIMIT_EXCEEDED',
      matchedBy: 'suspension-heading',
      language: 'en',
    });
  });

  const phrases: [string, ReasonCode, string][] = [
    [
      'Salesforce field permission error\nUnable to update Industry',
      'FIELD_PERMISSIONS_MISSING',
      'en',
    ],
    ['Field permissions missing on Contact.Industry', 'FIELD_PERMISSIONS_MISSING', 'en'],
    ['Blocked by field-level security', 'FIELD_PERMISSIONS_MISSING', 'en'],
    ['Insufficient access or missing Salesforce record', 'OBJECT_PERMISSIONS_MISSING', 'en'],
    ['Object permissions: Campaign', 'OBJECT_PERMISSIONS_MISSING', 'en'],
    ['Fejl i felttilladelse', 'FIELD_PERMISSIONS_MISSING', 'da'],
    ['FELTTILLADELSER mangler', 'FIELD_PERMISSIONS_MISSING', 'da'],
    ['Ingen tilladelse til Salesforce-feltet Branche', 'FIELD_PERMISSIONS_MISSING', 'da'],
    ['Utilstrækkelig adgang eller manglende Salesforce-post', 'OBJECT_PERMISSIONS_MISSING', 'da'],
    ['Manglende objekttilladelse', 'OBJECT_PERMISSIONS_MISSING', 'da'],
  ];
  it.each(phrases)("reads HubSpot's Sync Health wording: %s", (text, reason, language) => {
    // Whichever step places it (some of these are also phrasings the suspension classifier
    // knows), the reason is the permission HubSpot names; the wording fallback says its language.
    const match = classifySyncErrorText(text);
    expect(match?.reason).toBe(reason);
    if (match?.matchedBy === 'sync-health-phrase') expect(match.language).toBe(language);
  });

  it('reaches the Sync Health wording when nothing else places the text', () => {
    expect(classifySyncErrorText('Utilstrækkelig adgang')).toEqual({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      matchedBy: 'sync-health-phrase',
      language: 'da',
    });
    expect(classifySyncErrorText('Salesforce field permission error')).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
    });
  });

  it('matches a phrase only at the start of a word', () => {
    expect(classifySyncErrorText('subfield permissionless thing')).toBeNull();
  });

  it('leaves errors that do not suspend the integration unplaced', () => {
    expect(
      classifySyncErrorText(
        'Picklist value not found\nbad value for restricted picklist field: Rating',
      ),
    ).toBeNull();
    expect(
      classifySyncErrorText('Duplicate record\nA contact with this e-mail address already exists'),
    ).toBeNull();
    // A record's inactive owner: no suspension, though the code alone means API access disabled.
    expect(
      classifySyncErrorText(
        'INACTIVE_OWNER_OR_USER: operation performed with inactive user [0055g00000AbCdE] as owner of [lead]',
      ),
    ).toBeNull();
    expect(classifySyncErrorText('')).toBeNull();
    expect(classifySyncErrorText('   \n ')).toBeNull();
    expect(classifySyncErrorText(undefined as unknown as string)).toBeNull();
  });

  it('reads only the start of a huge text and never throws', () => {
    expect(classifySyncErrorText('Field permission error ' + 'x '.repeat(200_000))?.reason).toBe(
      'FIELD_PERMISSIONS_MISSING',
    );
    expect(classifySyncErrorText('x '.repeat(200_000) + 'Field permission error')).toBeNull();
  });
});
