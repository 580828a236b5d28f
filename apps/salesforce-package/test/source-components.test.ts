// source-deploy-retrieve (the library inside `sf project deploy`) resolves every component of
// force-app, the package.xml it would deploy lists the expected types, and .forceignore keeps
// tests and node tooling out.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  ComponentSet,
  ForceIgnore,
  type SourceComponent,
} from '@salesforce/source-deploy-retrieve';
import { DEFAULT_DIR, FORCE_APP, REPO_ROOT, listFiles } from './lib/paths.js';
import { parseXmlText, type XmlDocument } from './lib/xml.js';

const EXPECTED_TYPES = [
  'ApexClass',
  'ApexTrigger',
  'CustomApplication',
  'CustomField',
  'CustomObject',
  'CustomPermission',
  'CustomTab',
  'FlexiPage',
  'LightningComponentBundle',
  'PermissionSet',
];

let components: SourceComponent[];
let packageXml: XmlDocument;

beforeAll(async () => {
  const set = ComponentSet.fromSource(FORCE_APP);
  components = set.getSourceComponents().toArray();
  packageXml = parseXmlText(await set.getPackageXml());
});

function members(type: string): string[] {
  const entry = (packageXml.Package.types as { name: string; members: string[] }[]).find(
    (candidate) => candidate.name === type,
  );
  return entry ? entry.members.map(String) : [];
}

describe('force-app as source-deploy-retrieve sees it', () => {
  it('lists every expected metadata type in package.xml', () => {
    const types = (packageXml.Package.types as { name: string }[]).map((entry) => entry.name);
    expect(types).toEqual(expect.arrayContaining(EXPECTED_TYPES));
    expect(String(packageXml.Package.version)).toBe('64.0');
  });

  it('resolves every Apex class, object, field and LWC bundle on disk', () => {
    const classes = listFiles(path.join(DEFAULT_DIR, 'classes'), (file) =>
      file.endsWith('.cls'),
    ).map((file) => path.basename(file, '.cls'));
    expect(members('ApexClass').sort()).toEqual(classes.sort());

    const triggers = listFiles(path.join(DEFAULT_DIR, 'triggers'), (file) =>
      file.endsWith('.trigger'),
    ).map((file) => path.basename(file, '.trigger'));
    expect(members('ApexTrigger').sort()).toEqual(triggers.sort());

    const objects = readdirSync(path.join(DEFAULT_DIR, 'objects')).sort();
    expect(members('CustomObject').sort()).toEqual(objects);

    const fields = listFiles(path.join(DEFAULT_DIR, 'objects'), (file) =>
      file.endsWith('.field-meta.xml'),
    ).map(
      (file) =>
        `${path.basename(path.dirname(path.dirname(file)))}.${path.basename(file, '.field-meta.xml')}`,
    );
    expect(members('CustomField').sort()).toEqual(fields.sort());

    const bundles = readdirSync(path.join(DEFAULT_DIR, 'lwc')).filter(
      (name) => !name.startsWith('.') && !name.startsWith('__'),
    );
    expect(members('LightningComponentBundle').sort()).toEqual(bundles.sort());
  });

  it('lists the app, its tab, page, permission sets and custom permission by name', () => {
    expect(members('CustomApplication')).toEqual(['Sync_Doctor']);
    expect(members('CustomTab').sort()).toEqual(['Sync_Doctor', 'Sync_Doctor_Remediation_Log__c']);
    expect(members('ListView')).toEqual(['Sync_Doctor_Remediation_Log__c.All']);
    expect(members('FlexiPage')).toEqual(['Sync_Doctor']);
    expect(members('CustomPermission').sort()).toEqual([
      'Sync_Doctor_Access',
      'Sync_Doctor_Apply_Fixes',
      'Sync_Doctor_Manage_Settings',
    ]);
    expect(members('PermissionSet').sort()).toEqual([
      'Sync_Doctor_Admin',
      'Sync_Doctor_Relay',
      'Sync_Doctor_Relay_Access_Watch',
      'Sync_Doctor_Viewer',
    ]);
  });

  it('deploys no test, jest, TypeScript or node file', () => {
    const deployed = components.flatMap((component) => [
      ...(component.xml ? [component.xml] : []),
      ...component.walkContent(),
    ]);
    expect(deployed.length).toBeGreaterThan(40);
    const leaked = deployed.filter((file) =>
      /(__tests__|__mocks__|jest-mocks|jest-utils|jest\.config|node_modules|tsconfig|package\.json|\.ts$)/.test(
        file,
      ),
    );
    expect(leaked).toEqual([]);
  });

  it('has a .forceignore that denies tests and tooling but not metadata', () => {
    const ignore = ForceIgnore.findAndCreate(FORCE_APP);
    const lwc = path.join(DEFAULT_DIR, 'lwc', 'syncDoctorApp');
    for (const denied of [
      path.join(lwc, '__tests__', 'syncDoctorApp.test.js'),
      path.join(lwc, '__tests__', 'data', 'snapshot.json'),
      path.join(DEFAULT_DIR, 'lwc', 'jest.config.js'),
      path.join(DEFAULT_DIR, 'lwc', 'jsconfig.json'),
      path.join(FORCE_APP, 'package.json'),
      path.join(DEFAULT_DIR, 'lwc', 'types.ts'),
      // The LWC tests' shared helpers ('test-utils') and mocks.
      path.join(FORCE_APP, 'test', 'jest-utils', 'index.js'),
      path.join(FORCE_APP, 'test', 'jest-mocks', 'lightning', 'empApi.js'),
    ]) {
      expect({ file: path.relative(REPO_ROOT, denied), denied: ignore.denies(denied) }).toEqual({
        file: path.relative(REPO_ROOT, denied),
        denied: true,
      });
    }
    for (const accepted of [
      path.join(lwc, 'syncDoctorApp.js'),
      path.join(lwc, 'syncDoctorApp.js-meta.xml'),
      path.join(DEFAULT_DIR, 'classes', 'SyncDoctorController.cls'),
    ]) {
      expect(ignore.accepts(accepted)).toBe(true);
    }
  });
});
