// Every metadata file in force-app is well-formed XML, in the Metadata API namespace, with the
// root element its file suffix promises (`sf project convert source` checks none of this).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expectedApiVersion } from './lib/apiVersions.js';
import { DEFAULT_DIR, FORCE_APP, REPO_ROOT, listFiles, relativeToRepo } from './lib/paths.js';
import { METADATA_NAMESPACE, readXml, rootName } from './lib/xml.js';

const ROOT_BY_SUFFIX: Record<string, string> = {
  '.app-meta.xml': 'CustomApplication',
  '.cls-meta.xml': 'ApexClass',
  '.customPermission-meta.xml': 'CustomPermission',
  '.field-meta.xml': 'CustomField',
  '.validationRule-meta.xml': 'ValidationRule',
  '.flexipage-meta.xml': 'FlexiPage',
  '.js-meta.xml': 'LightningComponentBundle',
  '.layout-meta.xml': 'Layout',
  '.listView-meta.xml': 'ListView',
  '.md-meta.xml': 'CustomMetadata',
  '.object-meta.xml': 'CustomObject',
  '.permissionset-meta.xml': 'PermissionSet',
  '.tab-meta.xml': 'CustomTab',
  '.trigger-meta.xml': 'ApexTrigger',
};

const isInTests = (file: string): boolean => file.split(path.sep).includes('__tests__');
const metadataFiles = listFiles(FORCE_APP, (file) => file.endsWith('.xml') && !isInTests(file));
const { sourceApiVersion } = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8'),
);

function expectedRoot(file: string): string | undefined {
  const suffix = Object.keys(ROOT_BY_SUFFIX).find((candidate) => file.endsWith(candidate));
  return suffix ? ROOT_BY_SUFFIX[suffix] : undefined;
}

describe('force-app metadata files', () => {
  it('finds the metadata this package is made of', () => {
    expect(metadataFiles.length).toBeGreaterThan(40);
    expect(metadataFiles.some((file) => file.endsWith('.js-meta.xml'))).toBe(true);
  });

  it.each(metadataFiles.map((file) => [relativeToRepo(file), file]))(
    '%s is well-formed, in the metadata namespace, with the right root',
    (_name, file) => {
      const root = expectedRoot(file);
      expect(root).toBeDefined(); // an unknown kind of metadata file: add its suffix above
      expect(readFileSync(file, 'utf8').startsWith('<?xml version="1.0" encoding="UTF-8"')).toBe(
        true,
      );
      const doc = readXml(file);
      expect(rootName(doc)).toBe(root);
      expect(doc[root!]['@_xmlns']).toBe(METADATA_NAMESPACE);
    },
  );

  it('rejects a file that is not well-formed (the check can fail)', () => {
    const broken = path.join(__dirname, 'fixtures', 'broken.permissionset-meta.xml');
    expect(() => readXml(broken)).toThrow(/broken\.permissionset-meta\.xml/);
  });

  it('compiles every Apex class at the project source API version, but for the named exceptions', () => {
    const classMetas = listFiles(path.join(DEFAULT_DIR, 'classes'), (file) =>
      file.endsWith('.cls-meta.xml'),
    );
    expect(classMetas.length).toBeGreaterThan(10);
    for (const file of classMetas) {
      const { ApexClass } = readXml(file);
      expect({
        file: relativeToRepo(file),
        apiVersion: String(ApexClass.apiVersion),
        status: ApexClass.status,
      }).toEqual({
        file: relativeToRepo(file),
        apiVersion: expectedApiVersion(relativeToRepo(file), sourceApiVersion),
        status: 'Active',
      });
    }
  });

  it('names each custom field file after its fullName', () => {
    const fields = listFiles(path.join(DEFAULT_DIR, 'objects'), (file) =>
      file.endsWith('.field-meta.xml'),
    );
    for (const file of fields) {
      expect(readXml(file).CustomField.fullName).toBe(path.basename(file, '.field-meta.xml'));
    }
  });
});
