// Contract between SyncDoctorRecordTypePicklistReader.cls and the core: the Apex writes the record
// types in the shape the Node collector reads them in (packages/salesforce, readRecordTypePicklists),
// which the core's recordTypePicklistFacts turns into facts. A key the core reads and the Apex does
// not write would leave the app's sync errors box (c/syncErrorsBox) with its caveat in an org, and
// no test here would notice.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  recordTypeNotAnswered,
  recordTypePicklistFacts,
  recordTypesTooMany,
} from '../../../packages/core/src/relayed/recordTypePicklists.js';
import { MAX_RECORD_TYPES } from '../../../packages/salesforce/src/collect/recordTypePicklists.js';
import { mapLiteralKeys, soqlQueries } from './lib/apex.js';
import { CLASSES_DIR, DEFAULT_DIR } from './lib/paths.js';

const reader = readFileSync(
  path.join(CLASSES_DIR, 'SyncDoctorRecordTypePicklistReader.cls'),
  'utf8',
);
const box = readFileSync(
  path.join(DEFAULT_DIR, 'lwc', 'syncErrorsBox', 'syncErrorsBox.js'),
  'utf8',
);

/** One object's record types in the Apex's shape, with only the keys given. */
function written(keys: ReadonlySet<string>): unknown {
  const pick = (entry: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entry).filter(([key]) => keys.has(key)));
  return [
    pick({
      apiName: 'Lead',
      recordTypes: [
        pick({
          name: 'Partner Lead',
          developerName: 'Partner_Lead',
          picklistFieldValues: {
            LeadSource: pick({ values: [pick({ value: 'Web', label: 'Web' })] }),
          },
        }),
      ],
    }),
  ];
}

describe('SyncDoctorRecordTypePicklistReader', () => {
  const keys = new Set(mapLiteralKeys(reader));

  it('writes every key the core reads, so its answer becomes facts', () => {
    expect([...keys].sort()).toEqual([
      'apiName',
      'developerName',
      'label',
      'name',
      'notRead',
      'objects',
      'picklistFieldValues',
      'recordTypes',
      'value',
      'values',
    ]);
    expect(recordTypePicklistFacts(written(keys))).toEqual([
      { object: 'Lead', recordTypes: [{ name: 'Partner Lead', values: { leadsource: ['Web'] } }] },
    ]);
  });

  it('would notice a key the core reads left out of the Apex (the check can fail)', () => {
    const read = (facts: unknown) => JSON.stringify(recordTypePicklistFacts(facts));
    const whole = read(written(keys));
    for (const key of [
      'apiName',
      'recordTypes',
      'name',
      'picklistFieldValues',
      'values',
      'value',
    ]) {
      const without = new Set([...keys].filter((k) => k !== key));
      expect({ key, same: read(written(without)) === whole }).toEqual({ key, same: false });
    }
  });

  it("reads the active record types, as many as the collector's MAX_RECORD_TYPES and one more to tell", () => {
    const [query] = soqlQueries(reader).filter((q) => q.from === 'RecordType');
    expect(query?.fields).toEqual(['Id', 'Name', 'DeveloperName', 'SobjectType']);
    expect(reader).toMatch(
      /WHERE IsActive = TRUE AND SobjectType IN :objectNames\s+WITH USER_MODE/,
    );
    expect(reader).toMatch(/LIMIT :RECORD_TYPE_ROWS/);
    expect(reader).toContain(`MAX_RECORD_TYPES = ${MAX_RECORD_TYPES};`);
    expect(reader).toContain('RECORD_TYPE_ROWS = MAX_RECORD_TYPES + 1;');
  });

  it('leaves an object out when one of its record types went unread, never listing part of them, and says why', () => {
    expect(reader).toMatch(
      /if \(values == null\) \{[^}]*readByObject\.remove\(key\);\s+notRead\.add\(/,
    );
    expect(reader).toMatch(/catch \(Exception notAnswered\) \{\s+return null;/);
    // The answer the sync errors box reads: the objects for the core, the reasons for its not-read line.
    expect(reader).toContain("'objects' => objects, 'notRead' => notRead");
    expect(box).toMatch(/recordTypePicklistFacts\(answer && answer\.objects\)/);
    expect(box).toMatch(/answer && answer\.notRead/);
    expect(box).toMatch(/recordTypesNotReadLine\(/);
    // Each reason in the core's words (recordTypeNotAnswered, recordTypesTooMany), which the CLI
    // and the preview write: the Apex's concatenation, its expressions given example values.
    const apexWords = (start: string, values: Record<string, string>): string => {
      const [, built = ''] =
        new RegExp(`notRead\\.add\\(\\s*('${start}' \\+[^;]*)\\);`).exec(reader) ?? [];
      let quoted = built.replace(/\s+/g, ' ');
      for (const [expression, value] of Object.entries(values))
        quoted = quoted.replace(expression, `'${value}'`);
      return quoted
        .split(' + ')
        .map((part) => part.trim().slice(1, -1).replace(/\\'/g, "'"))
        .join('');
    };
    expect(
      apexWords('Salesforce did not answer for ', {
        'String.valueOf(recordType.SobjectType)': 'Lead',
        'recordType.Name': 'Partner Lead',
      }),
    ).toBe(recordTypeNotAnswered('Lead', 'Partner Lead'));
    expect(
      apexWords('more than ', {
        MAX_RECORD_TYPES: String(MAX_RECORD_TYPES),
        "String.join(objectNames, ' and ')": 'Lead and Contact',
      }),
    ).toBe(recordTypesTooMany(['Lead', 'Contact'], MAX_RECORD_TYPES));
  });
});
