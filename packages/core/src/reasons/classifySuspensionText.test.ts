import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifySuspensionText } from './classifySuspensionText.js';
import { requiredWord } from './requiredWord.js';
import { REASON_CODES, type ReasonCode } from './codes.js';
import { SUSPENSION_TITLES, TITLE_LANGUAGES, TITLE_VARIANTS } from './titles.js';

// A copy of HubSpot's Danish article (knowledge.hubspot.com/da/salesforce/resolve-salesforce-integration-suspension-errors,
// the project's seed), kept in the repo so the test runs from any clone.
const DANISH_ARTICLE = join(__dirname, '../../test/data/hubspot-suspension-article.da.txt');

describe('classifySuspensionText: every heading of every language', () => {
  const cases: [string, ReasonCode, string][] = [];
  for (const code of REASON_CODES) {
    for (const language of TITLE_LANGUAGES) {
      const title = SUSPENSION_TITLES[code][language];
      if (title) cases.push([language, code, title]);
      for (const variant of TITLE_VARIANTS[code]?.[language] ?? [])
        cases.push([language, code, variant]);
    }
  }
  it.each(cases)('[%s] %s: %s', (language, code, heading) => {
    expect(classifySuspensionText(heading)).toEqual({ reason: code, language });
    // The same heading inside an e-mail sentence, in upper case, with markup around it.
    expect(
      classifySuspensionText(`<p>Reason:<br><b>${heading.toUpperCase()}</b></p>`)?.reason,
    ).toBe(code);
  });
});

describe('classifySuspensionText: the Danish article', () => {
  const danishHeadings: [string, ReasonCode][] = [
    ['Salesforce-organisationens API-grænse overskredet', 'API_LIMIT_EXCEEDED'],
    ['Salesforce-organisationens API-adgang er deaktiveret', 'API_ACCESS_DISABLED'],
    ['Ukendt fejl', 'UNKNOWN_ERROR'],
    ['Salesforce-objekttilladelser mangler', 'OBJECT_PERMISSIONS_MISSING'],
    ['Manglende tilladelser til Salesforce-felter', 'FIELD_PERMISSIONS_MISSING'],
    ['Salesforce-organisation låst', 'ORG_LOCKED'],
    ['Salesforce-organisationens lagringsgrænser er overskredet', 'STORAGE_LIMIT_EXCEEDED'],
    ['Salesforce-organisation utilgængelig', 'ORG_UNAVAILABLE'],
    ['Salesforce.com serverfejl', 'SERVER_ERROR'],
    ['HubSpot API-grænse overskredet', 'HUBSPOT_API_LIMIT_EXCEEDED'],
    ['Manglende felttilknytninger', 'FIELD_MAPPINGS_MISSING'],
  ];

  it.each(danishHeadings)('%s -> %s', (heading, code) => {
    expect(classifySuspensionText(heading)).toEqual({ reason: code, language: 'da' });
  });

  it('finds each heading of the seed article in the article text itself, in order', () => {
    expect(existsSync(DANISH_ARTICLE)).toBe(true);
    const lines = readFileSync(DANISH_ARTICLE, 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const [heading, code] of danishHeadings) {
      expect(lines).toContain(heading);
      // The heading followed by its paragraph, as an e-mail would quote it.
      const at = lines.indexOf(heading);
      const paragraph = lines.slice(at, at + 3).join('\n');
      expect(classifySuspensionText(paragraph)?.reason).toBe(code);
    }
  });

  it('matches Danish without diacritics and in other word orders', () => {
    expect(classifySuspensionText('Salesforce-organisation last')?.reason).toBe('ORG_LOCKED');
    expect(
      classifySuspensionText('Din integration er suspenderet: HubSpot API-graense overskredet.'),
    ).toEqual({ reason: 'HUBSPOT_API_LIMIT_EXCEEDED', language: 'da' });
    expect(
      classifySuspensionText('API-opkaldsgrænsen i din Salesforce-organisation er overskredet.'),
    ).toEqual({ reason: 'API_LIMIT_EXCEEDED', language: 'da' });
    expect(
      classifySuspensionText('Lagringsgrænsen i din Salesforce-organisation er overskredet')
        ?.reason,
    ).toBe('STORAGE_LIMIT_EXCEEDED');
  });
});

describe('classifySuspensionText: English in context', () => {
  const sentences: [string, ReasonCode][] = [
    [
      "Your HubSpot-Salesforce integration has been suspended because your Salesforce organization's API limit has been exceeded.",
      'API_LIMIT_EXCEEDED',
    ],
    ['Suspension reason: Salesforce Org API Limit Exceeded', 'API_LIMIT_EXCEEDED'],
    [
      'Your Salesforce integration is suspended. HubSpot API limit exceeded. It will resume when more calls are available.',
      'HUBSPOT_API_LIMIT_EXCEEDED',
    ],
    ['The API call allocation set in HubSpot has been exceeded.', 'HUBSPOT_API_LIMIT_EXCEEDED'],
    // HubSpot's allocation in its own words, with and without HubSpot named.
    ["HubSpot's API allocation exceeded", 'HUBSPOT_API_LIMIT_EXCEEDED'],
    ['HubSpot API allocation exceeded', 'HUBSPOT_API_LIMIT_EXCEEDED'],
    ['API call allocation exceeded', 'HUBSPOT_API_LIMIT_EXCEEDED'],
    [
      'Salesforce organization API access is disabled for the integration user',
      'API_ACCESS_DISABLED',
    ],
    ['We hit an unknown error while syncing', 'UNKNOWN_ERROR'],
    [
      'The sync stopped: Salesforce object permissions are missing on Lead',
      'OBJECT_PERMISSIONS_MISSING',
    ],
    [
      'Integration suspended (Salesforce field permissions missing) - see settings',
      'FIELD_PERMISSIONS_MISSING',
    ],
    [
      'Integration suspended: missing field mappings between HubSpot and Salesforce field permissions page',
      'FIELD_MAPPINGS_MISSING',
    ],
    ['Your Salesforce org is locked.', 'ORG_LOCKED'],
    ['Salesforce Organization storage limits were exceeded', 'STORAGE_LIMIT_EXCEEDED'],
    ['The Salesforce organisation is unavailable right now', 'ORG_UNAVAILABLE'],
    ['salesforce.com SERVER ERROR', 'SERVER_ERROR'],
    ['HubSpot has suspended your integration: Missing Field Mappings.', 'FIELD_MAPPINGS_MISSING'],
  ];
  it.each(sentences)('%s', (text, code) => {
    expect(classifySuspensionText(text)).toEqual({ reason: code, language: 'en' });
  });

  it('tells the HubSpot allocation from the org limit whichever comes first', () => {
    expect(
      classifySuspensionText('Not the Salesforce limit. HubSpot API limit exceeded')?.reason,
    ).toBe('HUBSPOT_API_LIMIT_EXCEEDED');
    expect(classifySuspensionText('HubSpot: Salesforce org API limit exceeded')?.reason).toBe(
      'API_LIMIT_EXCEEDED',
    );
    expect(
      classifySuspensionText(
        'HubSpot-Salesforce integration suspended: API limit exceeded in Salesforce organization',
      )?.reason,
    ).not.toBe('HUBSPOT_API_LIMIT_EXCEEDED');
  });

  it('tells field permissions from field mappings and object permissions', () => {
    expect(classifySuspensionText('Reason: Salesforce field permissions missing')?.reason).toBe(
      'FIELD_PERMISSIONS_MISSING',
    );
    expect(classifySuspensionText('Reason: missing field mappings')?.reason).toBe(
      'FIELD_MAPPINGS_MISSING',
    );
    expect(classifySuspensionText('Reason: Salesforce object permissions missing')?.reason).toBe(
      'OBJECT_PERMISSIONS_MISSING',
    );
  });

  it('survives HTML e-mails, entities and line breaks', () => {
    const html = `<html><head><style>.x{color:red}</style></head><body><table><tr><td>
      Your integration was suspended:<br/>
      <strong>Salesforce&nbsp;org\r\nstorage   limits exceeded</strong></td></tr></table></body></html>`;
    expect(classifySuspensionText(html)).toEqual({
      reason: 'STORAGE_LIMIT_EXCEEDED',
      language: 'en',
    });
    expect(classifySuspensionText('Salesforce-organisation ut&aring;lgængelig')).toBeNull();
    expect(classifySuspensionText('Salesforce-organisation utilg&aelig;ngelig')?.reason).toBe(
      'ORG_UNAVAILABLE',
    );
  });

  it('returns null for ordinary text', () => {
    for (const text of [
      'Our Salesforce org is great',
      'Salesforce organisation last updated yesterday',
      'The Salesforce organization locked out the user after five attempts',
      'We raised the HubSpot limit on contacts',
      'The field mapping looks fine and permissions are set',
      'Salesforce.com server',
      '',
      '   ',
      '<p></p>',
    ]) {
      expect(classifySuspensionText(text)).toBeNull();
    }
  });

  it('ignores non-string input', () => {
    expect(classifySuspensionText(undefined as unknown as string)).toBeNull();
    expect(classifySuspensionText(42 as unknown as string)).toBeNull();
  });
});

describe('classifySuspensionText: long texts', () => {
  it('finds the reason deep inside a long HTML e-mail', () => {
    const filler =
      '<p>News about Salesforce orgs and HubSpot portals, nothing suspended here.</p>\n'.repeat(
        1500,
      );
    expect(
      classifySuspensionText(`${filler}<h2>Salesforce field permissions missing</h2>${filler}`),
    ).toEqual({ reason: 'FIELD_PERMISSIONS_MISSING', language: 'en' });
    expect(classifySuspensionText(filler)).toBeNull();
  });
});

describe('requiredWord (the pre-filter of each pattern)', () => {
  it('picks the longest word every match must contain', () => {
    expect(
      requiredWord('salesforce (?:org|organization)s? api (?:call )?limits? (?:exceeded|reached)'),
    ).toBe('salesforce');
    expect(requiredWord('missing (?:salesforce )?field permissions?')).toBe('permission');
    expect(requiredWord('hubspot api graense overskredet')).toBe('overskredet');
  });
  it('never takes a word from an optional part', () => {
    expect(requiredWord('(?:unknown )?error')).toBe('error');
    expect(requiredWord('limits? exceeded(?! out)')).toBe('exceeded');
    expect(requiredWord('permissions? ab')).toBe('permission');
  });
  it('gives up on a top-level alternative', () => {
    expect(requiredWord('missing field mappings|mappings missing')).toBeNull();
  });
});
