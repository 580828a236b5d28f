// The permission sets grant what the app needs, and nothing it does not: the admin set opens
// the app and its Apex, the relay set only writes the status and publishes the event. The app,
// tab, page and custom permission reference each other by names that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listApexClasses } from './lib/apex.js';
import { DEFAULT_DIR, OBJECTS_DIR } from './lib/paths.js';
import { readXml, type XmlDocument } from './lib/xml.js';

const admin = readXml(
  path.join(DEFAULT_DIR, 'permissionsets', 'Sync_Doctor_Admin.permissionset-meta.xml'),
).PermissionSet;
const relay = readXml(
  path.join(DEFAULT_DIR, 'permissionsets', 'Sync_Doctor_Relay.permissionset-meta.xml'),
).PermissionSet;
const accessWatch = readXml(
  path.join(DEFAULT_DIR, 'permissionsets', 'Sync_Doctor_Relay_Access_Watch.permissionset-meta.xml'),
).PermissionSet;
const objectNames = readdirSync(OBJECTS_DIR);

type Grant = Record<string, string>;
const objectGrant = (set: XmlDocument, object: string): Grant | undefined =>
  (set.objectPermissions as Grant[] | undefined)?.find((grant) => grant.object === object);

/** Custom fields that can carry field-level security (not required, not on events or settings). */
function permissionableFields(objectName: string): string[] {
  const dir = path.join(OBJECTS_DIR, objectName, 'fields');
  return readdirSync(dir)
    .filter((file) => readXml(path.join(dir, file)).CustomField.required !== 'true')
    .map((file) => `${objectName}.${file.replace('.field-meta.xml', '')}`);
}

describe('Sync_Doctor_Admin', () => {
  it('shows the app and its tab and grants the custom permission', () => {
    expect(admin.applicationVisibilities).toEqual([
      { application: 'Sync_Doctor', visible: 'true' },
    ]);
    expect(admin.tabSettings).toEqual([
      { tab: 'Sync_Doctor', visibility: 'Visible' },
      { tab: 'Sync_Doctor_Remediation_Log__c', visibility: 'Visible' },
    ]);
    expect(admin.customPermissions).toEqual([
      { enabled: 'true', name: 'Sync_Doctor_Access' },
      { enabled: 'true', name: 'Sync_Doctor_Apply_Fixes' },
      { enabled: 'true', name: 'Sync_Doctor_Manage_Settings' },
    ]);
    expect(admin.customSettingAccesses).toEqual([
      { enabled: 'true', name: 'Sync_Doctor_Settings__c' },
    ]);
  });

  it('grants no system permission, so neither Manage Users nor Monitor Login History', () => {
    // The Login History section is read only for admins who hold one of them already: granting it
    // here would hand every Sync Doctor user the power to reset passwords and edit users.
    expect(admin.userPermissions).toBeUndefined();
    expect(JSON.stringify(admin)).not.toMatch(/ManageUsers|MonitorLoginHistory/);
  });

  it('grants no Customize Application, which reading connected apps needs', () => {
    // The connectedApps section is read only for admins who hold it already: granting it here
    // would let every Sync Doctor user change the org's setup (page layouts, fields, apps).
    expect(admin.userPermissions).toBeUndefined();
    expect(JSON.stringify(admin)).not.toMatch(/CustomizeApplication|ManageConnectedApps/);
  });

  it('grants every class with @AuraEnabled methods, and only those', () => {
    const entryPoints = listApexClasses()
      .filter((apexClass) => /@AuraEnabled/i.test(apexClass.source))
      .map((apexClass) => apexClass.name);
    expect(entryPoints).toEqual(['SyncDoctorController']);
    expect(admin.classAccesses).toEqual(
      entryPoints.map((apexClass) => ({ apexClass, enabled: 'true' })),
    );
  });

  it('reads every custom object and writes only the settings: the log is written by Sync Doctor alone', () => {
    // The failure event is Sync Doctor's own way into the log: no set may publish or read it.
    const ownOnly = ['Sync_Doctor_Settings__c', 'Sync_Doctor_Remediation_Failure__e'];
    for (const object of objectNames.filter((name) => !ownOnly.includes(name))) {
      expect({ object, read: objectGrant(admin, object)?.allowRead }).toEqual({
        object,
        read: 'true',
      });
    }
    expect(objectGrant(admin, 'HubSpot_Sync_Status__c')).toMatchObject({
      allowCreate: 'false',
      allowEdit: 'false',
    });
    // Nobody may forge an entry (another Performed_By__c, a change that never happened).
    expect(objectGrant(admin, 'Sync_Doctor_Remediation_Log__c')).toMatchObject({
      allowCreate: 'false',
      allowEdit: 'false',
      allowDelete: 'false',
    });
    for (const set of [admin, relay, accessWatch]) {
      expect(objectGrant(set, 'Sync_Doctor_Remediation_Failure__e')).toBeUndefined();
    }
    expect(objectGrant(admin, 'Sync_Doctor_Required_Field__c')).toMatchObject({
      allowCreate: 'true',
      allowDelete: 'true',
    });
    for (const grant of admin.objectPermissions as Grant[]) {
      expect([grant.object, grant.viewAllRecords, grant.modifyAllRecords]).toEqual([
        grant.object,
        'false',
        'false',
      ]);
    }
  });

  it('makes every field of its objects readable', () => {
    const granted = new Map(
      (admin.fieldPermissions as Grant[]).map((grant) => [grant.field, grant]),
    );
    for (const object of [
      'HubSpot_Sync_Status__c',
      'Sync_Doctor_Remediation_Log__c',
      'Sync_Doctor_Required_Field__c',
    ]) {
      for (const name of permissionableFields(object)) {
        expect({ name, readable: granted.get(name)?.readable }).toEqual({ name, readable: 'true' });
      }
    }
    expect(granted.get('HubSpot_Sync_Status__c.State__c')?.editable).toBe('false');
    for (const name of permissionableFields('Sync_Doctor_Remediation_Log__c')) {
      expect({ name, editable: granted.get(name)?.editable }).toEqual({ name, editable: 'false' });
    }
  });
});

describe('Sync_Doctor_Viewer', () => {
  const viewer = readXml(
    path.join(DEFAULT_DIR, 'permissionsets', 'Sync_Doctor_Viewer.permissionset-meta.xml'),
  ).PermissionSet;

  it("is Sync_Doctor_Admin without the settings' permission and without writing anything", () => {
    // The settings are written in system mode: only Sync_Doctor_Manage_Settings lets a user change
    // them, and the viewer's set lacks it (and Create, Edit, Delete on the extra fields).
    expect(viewer.customPermissions).toEqual([{ enabled: 'true', name: 'Sync_Doctor_Access' }]);
    for (const grant of viewer.objectPermissions as Grant[])
      expect(grant).toMatchObject({
        allowCreate: 'false',
        allowEdit: 'false',
        allowDelete: 'false',
        viewAllRecords: 'false',
        modifyAllRecords: 'false',
      });
    for (const grant of viewer.fieldPermissions as Grant[]) expect(grant.editable).toBe('false');
    const { label, description, customPermissions, objectPermissions, fieldPermissions, ...rest } =
      viewer;
    const {
      label: adminLabel,
      description: adminDescription,
      customPermissions: adminPermissions,
      objectPermissions: adminObjects,
      fieldPermissions: adminFields,
      ...adminRest
    } = admin;
    expect(rest).toEqual(adminRest);
    expect([label, adminLabel]).toEqual(['Sync Doctor Viewer', 'Sync Doctor Admin']);
    expect(String(description)).toContain('without changing its settings');
    expect(String(adminDescription)).toContain('Sync_Doctor_Manage_Settings');
    expect(customPermissions).toEqual([(adminPermissions as Grant[])[0]]);
    // The same objects and fields, read only.
    const names = (grants: unknown, key: string): string[] =>
      (grants as Grant[]).map((grant) => grant[key]!);
    expect(names(objectPermissions, 'object')).toEqual(names(adminObjects, 'object'));
    expect(names(fieldPermissions, 'field')).toEqual(names(adminFields, 'field'));
  });
});

describe('Sync_Doctor_Relay', () => {
  it('upserts the status and publishes the event, nothing more', () => {
    expect((relay.objectPermissions as Grant[]).map((grant) => grant.object).sort()).toEqual([
      'HubSpot_Sync_Status__c',
      'Sync_Doctor_Event__e',
    ]);
    // Modify All (with the Delete and View All Salesforce requires beside it): the object is
    // Public Read Only, so without it a relay user could update only the records it created, and
    // after a change of relay user every delivery failed with INSUFFICIENT_ACCESS_OR_READONLY.
    expect(objectGrant(relay, 'HubSpot_Sync_Status__c')).toMatchObject({
      allowRead: 'true',
      allowCreate: 'true',
      allowEdit: 'true',
      allowDelete: 'true',
      viewAllRecords: 'true',
      modifyAllRecords: 'true',
    });
    expect(objectGrant(relay, 'Sync_Doctor_Event__e')).toMatchObject({
      viewAllRecords: 'false',
      modifyAllRecords: 'false',
    });
    expect(objectGrant(relay, 'Sync_Doctor_Event__e')).toMatchObject({ allowCreate: 'true' });
    const editable = (relay.fieldPermissions as Grant[])
      .filter((grant) => grant.editable === 'true')
      .map((grant) => grant.field);
    expect(editable.sort()).toEqual(permissionableFields('HubSpot_Sync_Status__c').sort());
    expect(relay.classAccesses).toBeUndefined();
    expect(relay.customPermissions).toBeUndefined();
  });
});

describe('Sync_Doctor_Relay_Access_Watch', () => {
  it('adds View Setup and Configuration and the saved settings alone: what the relay needs to read permissions, limits and the chosen user', () => {
    // ObjectPermissions, FieldPermissions and /limits answer only a user with View Setup; the
    // relay's own set stays write-only, so the watch is a choice the admin makes on its own.
    expect(accessWatch.userPermissions).toEqual({ enabled: 'true', name: 'ViewSetup' });
    // The admin's saved integration user is in a custom setting, which an org restricting custom
    // settings (the default since Spring '20) hides from a user granted none: the watch would
    // silently check another user.
    expect(accessWatch.customSettingAccesses).toEqual([
      { enabled: 'true', name: 'Sync_Doctor_Settings__c' },
    ]);
    for (const grant of [
      'objectPermissions',
      'fieldPermissions',
      'classAccesses',
      'customPermissions',
      'tabSettings',
      'applicationVisibilities',
    ])
      expect({ grant, value: accessWatch[grant] }).toEqual({ grant, value: undefined });
    expect(relay.userPermissions).toBeUndefined();
  });
});

describe('app, tab, page and component wiring', () => {
  const app = readXml(
    path.join(DEFAULT_DIR, 'applications', 'Sync_Doctor.app-meta.xml'),
  ).CustomApplication;
  const tab = readXml(path.join(DEFAULT_DIR, 'tabs', 'Sync_Doctor.tab-meta.xml')).CustomTab;
  const page = readXml(
    path.join(DEFAULT_DIR, 'flexipages', 'Sync_Doctor.flexipage-meta.xml'),
  ).FlexiPage;

  it('is a Lightning app whose tabs exist, Sync Doctor first', () => {
    expect([app.label, app.uiType, app.navType]).toEqual(['Sync Doctor', 'Lightning', 'Standard']);
    expect(app.tabs[0]).toBe('Sync_Doctor');
    for (const name of app.tabs) {
      expect(existsSync(path.join(DEFAULT_DIR, 'tabs', `${name}.tab-meta.xml`))).toBe(true);
    }
  });

  it('opens the Lightning App Page from its tab', () => {
    expect(tab.flexiPage).toBe('Sync_Doctor');
    expect([page.type, page.template.name]).toEqual([
      'AppPage',
      'flexipage:defaultAppHomeTemplate',
    ]);
  });

  it('hosts c:syncDoctorApp, which exists and may sit on an App Page', () => {
    const components = (page.flexiPageRegions as XmlDocument[]).flatMap((region) =>
      (region.itemInstances as XmlDocument[]).map((item) => item.componentInstance.componentName),
    );
    // A custom component is named with its namespace, 'c' without one (a bare name is refused).
    expect(components).toEqual(['c:syncDoctorApp']);
    const bundle = readXml(
      path.join(DEFAULT_DIR, 'lwc', 'syncDoctorApp', 'syncDoctorApp.js-meta.xml'),
    ).LightningComponentBundle;
    expect(bundle.isExposed).toBe('true');
    expect(bundle.targets[0].target).toContain('lightning__AppPage');
  });

  it('checks the custom permission that exists', () => {
    expect(
      existsSync(
        path.join(DEFAULT_DIR, 'customPermissions', 'Sync_Doctor_Access.customPermission-meta.xml'),
      ),
    ).toBe(true);
    const access = readFileSync(path.join(DEFAULT_DIR, 'classes', 'SyncDoctorAccess.cls'), 'utf8');
    expect(access).toContain("CUSTOM_PERMISSION = 'Sync_Doctor_Access'");
    expect(access).toContain('FeatureManagement.checkPermission(CUSTOM_PERMISSION)');
    expect(
      existsSync(
        path.join(
          DEFAULT_DIR,
          'customPermissions',
          'Sync_Doctor_Manage_Settings.customPermission-meta.xml',
        ),
      ),
    ).toBe(true);
    expect(access).toContain("SETTINGS_PERMISSION = 'Sync_Doctor_Manage_Settings'");
    expect(access).toContain('FeatureManagement.checkPermission(SETTINGS_PERMISSION)');
    expect(
      existsSync(
        path.join(
          DEFAULT_DIR,
          'customPermissions',
          'Sync_Doctor_Apply_Fixes.customPermission-meta.xml',
        ),
      ),
    ).toBe(true);
    expect(access).toContain("APPLY_FIXES_PERMISSION = 'Sync_Doctor_Apply_Fixes'");
    expect(access).toContain('FeatureManagement.checkPermission(APPLY_FIXES_PERMISSION)');
  });
});
