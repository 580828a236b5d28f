import {
  DEFAULT_REQUIREMENTS,
  HUBSPOT_PERMISSION_SET,
  mergeRequirements,
} from '../src/requirements/defaults.js';
import { HUBSPOT_DEFAULT_FIELD_MAPPINGS } from '../src/requirements/hubspotDefaultMappings.js';

describe('DEFAULT_REQUIREMENTS', () => {
  it('holds the seven objects of the article with least-privilege rights', () => {
    const byName = Object.fromEntries(DEFAULT_REQUIREMENTS.objects.map((o) => [o.name, o.access]));
    expect(Object.keys(byName).sort()).toEqual([
      'Account',
      'Campaign',
      'Contact',
      'Lead',
      'Opportunity',
      'Task',
      'User',
    ]);
    expect(byName.User).toEqual(['read']);
    expect(byName.Task).toEqual(['read', 'create', 'edit']);
    expect(byName.Campaign).toEqual(['read', 'edit']);
    for (const access of Object.values(byName)) {
      expect(access).not.toContain('delete');
      expect(access).not.toContain('modifyAll');
    }
  });

  it('requires API Enabled and the HubSpot permission set', () => {
    expect(DEFAULT_REQUIREMENTS.systemPermissions).toEqual(['PermissionsApiEnabled']);
    expect(DEFAULT_REQUIREMENTS.permissionSets).toEqual([HUBSPOT_PERMISSION_SET]);
  });

  it("holds HubSpot's default contact, company and deal mappings with their HubSpot property", () => {
    const fields = new Map(DEFAULT_REQUIREMENTS.fields.map((f) => [f.name, f]));
    expect(fields.get('Contact.Email')).toEqual({
      name: 'Contact.Email',
      access: ['read', 'edit'],
      hubspotProperty: 'email',
    });
    expect(fields.get('Lead.Email')?.hubspotProperty).toBe('email');
    expect(fields.get('Lead.Company')?.hubspotProperty).toBe('company');
    expect(fields.get('Contact.MailingCity')?.hubspotProperty).toBe('city');
    expect(fields.get('Account.Name')?.hubspotProperty).toBe('name');
    expect(fields.get('Opportunity.StageName')?.hubspotProperty).toBe('dealstage');
    expect(fields.size).toBe(HUBSPOT_DEFAULT_FIELD_MAPPINGS.length);
    for (const f of DEFAULT_REQUIREMENTS.fields)
      expect(f.name).toMatch(/^(Lead|Contact|Account|Opportunity)\.[A-Za-z]+$/);
  });
});

describe('mergeRequirements', () => {
  it('adds extra fields and objects, unions rights case-insensitively, keeps the base untouched', () => {
    const before = JSON.stringify(DEFAULT_REQUIREMENTS);
    const merged = mergeRequirements(DEFAULT_REQUIREMENTS, {
      objects: [
        { name: 'user', access: ['viewAll'] },
        { name: 'Invoice__c', access: ['read'] },
      ],
      fields: [
        { name: 'contact.email', access: ['read'] },
        { name: 'Contact.Score__c', access: ['read'] },
      ],
      permissionSets: ['hubspot integration permissions', 'Extra'],
      systemPermissions: ['PermissionsViewSetup'],
    });
    expect(JSON.stringify(DEFAULT_REQUIREMENTS)).toBe(before);
    expect(merged.objects.find((o) => o.name === 'User')?.access).toEqual(['read', 'viewAll']);
    expect(merged.objects.at(-1)).toEqual({ name: 'Invoice__c', access: ['read'] });
    expect(merged.fields.filter((f) => f.name.toLowerCase() === 'contact.email')).toEqual([
      { name: 'Contact.Email', access: ['read', 'edit'], hubspotProperty: 'email' },
    ]);
    expect(merged.fields.at(-1)).toEqual({ name: 'Contact.Score__c', access: ['read'] });
    expect(merged.permissionSets).toEqual(['HubSpot Integration Permissions', 'Extra']);
    expect(merged.systemPermissions).toEqual(['PermissionsApiEnabled', 'PermissionsViewSetup']);
  });

  it('accepts a partial extra', () => {
    expect(mergeRequirements(DEFAULT_REQUIREMENTS, {})).toEqual(DEFAULT_REQUIREMENTS);
  });
});
