import {
  DEFAULT_REQUIREMENTS,
  RequirementsDocumentError,
  requirementsFromDocument,
} from '../src/index.js';

describe('requirementsFromDocument', () => {
  test('merges a document into the defaults, or replaces them', () => {
    const merged = requirementsFromDocument({
      fields: [{ name: 'Contact.Tier__c', access: ['read'] }],
    });
    expect(merged.fields.map((f) => f.name)).toContain('Contact.Tier__c');
    expect(merged.objects).toEqual(DEFAULT_REQUIREMENTS.objects);
    // Something to check besides objects and fields is something.
    expect(
      requirementsFromDocument({
        replaceDefaults: true,
        systemPermissions: ['PermissionsApiEnabled'],
      }).systemPermissions,
    ).toEqual(['PermissionsApiEnabled']);
    const only = requirementsFromDocument({ replaceDefaults: true, objects: [{ name: 'Lead' }] });
    expect(only).toEqual({
      objects: [{ name: 'Lead', access: ['read', 'edit'] }],
      fields: [],
      permissionSets: [],
      systemPermissions: [],
    });
  });

  test.each([
    [[], 'the document', 'must be a JSON object'],
    [{ feilds: [] }, '"feilds"', 'is not a requirements key'],
    [{ fields: {} }, '"fields"', 'must be an array'],
    [{ fields: [{ name: 'Contact' }] }, 'fields[0].name', 'must be "Object.Field"'],
    [{ objects: [{ name: 'Lead', access: ['write'] }] }, 'objects[0].access', "has 'write'"],
    [{ replaceDefaults: 'yes' }, '"replaceDefaults"', 'must be true or false'],
    // Replacing the defaults with nothing checks nothing, and a check of nothing finds an org healthy.
    [{ replaceDefaults: true }, 'the document', 'requires nothing'],
    [{ replaceDefaults: true, objects: [], fields: [] }, 'the document', 'requires nothing'],
  ])('%j is refused at %s', (document, path, problem) => {
    let error: unknown;
    try {
      requirementsFromDocument(document);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequirementsDocumentError);
    expect((error as RequirementsDocumentError).path).toBe(path);
    expect((error as RequirementsDocumentError).problem).toContain(problem);
  });
});
