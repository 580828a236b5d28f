#!/usr/bin/env node
// The Sync Doctor package's own objects (force-app/main/default/objects) in the simulator's schema
// format, so the simulated org has the package installed exactly as the metadata defines it: field
// types, lengths, external ids, restricted picklist values. Run `node scripts/packageObjects.cjs`
// after changing the metadata; test/packageObjects.test.ts fails while the JSON is out of date.
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const FORCE_APP_OBJECTS = join(
  __dirname,
  '..',
  '..',
  '..',
  'force-app',
  'main',
  'default',
  'objects',
);
const FORCE_APP_PERMISSION_SETS = join(FORCE_APP_OBJECTS, '..', 'permissionsets');
const OUTPUT = join(__dirname, '..', 'src', 'fixtures', 'data', 'package-objects.json');

const tag = (xml, name) => {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? match[1].trim() : undefined;
};

const TYPES = {
  Text: 'string',
  LongTextArea: 'textarea',
  TextArea: 'textarea',
  DateTime: 'datetime',
  Date: 'date',
  Checkbox: 'boolean',
  Number: 'double',
  Picklist: 'picklist',
  Lookup: 'reference',
  Email: 'email',
  Url: 'url',
};

function fieldSpec(xml, file) {
  const type = tag(xml, 'type');
  const simulated = TYPES[type];
  if (!simulated) throw new Error(`${file}: field type ${type} has no simulator mapping`);
  let spec = simulated === 'reference' ? `reference:${tag(xml, 'referenceTo')}` : simulated;
  if (tag(xml, 'externalId') === 'true') spec += ' external';
  if (tag(xml, 'unique') === 'true') spec += ' unique';
  if (tag(xml, 'caseSensitive') === 'true') spec += ' casesensitive';
  if (tag(xml, 'required') === 'true') spec += ' required';
  const length = tag(xml, 'length');
  if (length && (simulated === 'string' || simulated === 'textarea')) spec += ` length=${length}`;
  if (simulated !== 'picklist') return spec;
  const values = [...xml.matchAll(/<value>\s*<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]);
  return { spec, values, restricted: tag(xml, 'restricted') === 'true' };
}

const decodeXml = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const blocks = (xml, name) =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);

/**
 * The package's permission sets in the fixtures' access format, so every simulated org has them
 * installed as force-app defines them and the simulator grants their holders exactly these rights:
 * object rights (read, create, edit, delete, viewAll, modifyAll, viewAllFields), field access ('edit' or 'read'
 * per 'Object.Field'; a field left out is hidden) and system permissions ('PermissionsViewSetup').
 */
function readPackagePermissionSets(dir = FORCE_APP_PERMISSION_SETS) {
  const RIGHTS = [
    ['allowRead', 'read'],
    ['allowCreate', 'create'],
    ['allowEdit', 'edit'],
    ['allowDelete', 'delete'],
    ['viewAllRecords', 'viewAll'],
    ['modifyAllRecords', 'modifyAll'],
    ['viewAllFields', 'viewAllFields'],
  ];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.permissionset-meta.xml'))
    .sort()
    .map((file) => {
      const xml = readFileSync(join(dir, file), 'utf8');
      const objectAccess = {};
      for (const block of blocks(xml, 'objectPermissions')) {
        const rights = RIGHTS.filter(([column]) => tag(block, column) === 'true').map(
          ([, right]) => right,
        );
        if (rights.length) objectAccess[tag(block, 'object')] = rights;
      }
      const fieldAccess = {};
      for (const block of blocks(xml, 'fieldPermissions')) {
        const level =
          tag(block, 'editable') === 'true'
            ? 'edit'
            : tag(block, 'readable') === 'true'
              ? 'read'
              : undefined;
        if (level) fieldAccess[tag(block, 'field')] = level;
      }
      const systemPermissions = blocks(xml, 'userPermissions')
        .filter((block) => tag(block, 'enabled') === 'true')
        .map((block) => `Permissions${tag(block, 'name')}`);
      // Custom Setting Definitions access: what lets a user without Customize Application read a
      // custom setting through the API.
      const customSettings = blocks(xml, 'customSettingAccesses')
        .filter((block) => tag(block, 'enabled') === 'true')
        .map((block) => tag(block, 'name'));
      return {
        name: file.replace(/\.permissionset-meta\.xml$/, ''),
        label: tag(xml, 'label'),
        description: tag(xml, 'description') ?? null,
        hasActivationRequired: tag(xml, 'hasActivationRequired') === 'true',
        systemPermissions,
        objectAccess,
        fieldAccess,
        ...(customSettings.length ? { customSettings } : {}),
      };
    });
}

function readPackageObjects(dir = FORCE_APP_OBJECTS) {
  const objects = {};
  const names = readdirSync(dir).sort();
  let dataPrefix = 0;
  let eventPrefix = 0;
  for (const name of names) {
    const objectXml = readFileSync(join(dir, name, `${name}.object-meta.xml`), 'utf8');
    const isEvent = name.endsWith('__e');
    const isSetting = tag(objectXml, 'customSettingsType') !== undefined;
    const fields = {};
    if (isSetting) {
      fields.Name = 'string';
      fields.SetupOwnerId = 'reference:Organization,Profile,User';
    } else if (!isEvent) {
      const nameType = tag(tag(objectXml, 'nameField') ?? '', 'type');
      fields.Name = nameType === 'AutoNumber' ? 'string autonumber' : 'string required length=80';
      fields.OwnerId = 'reference:Group,User required';
    }
    const fieldDir = join(dir, name, 'fields');
    for (const file of existsSync(fieldDir) ? readdirSync(fieldDir).sort() : []) {
      const xml = readFileSync(join(fieldDir, file), 'utf8');
      fields[tag(xml, 'fullName')] = fieldSpec(xml, file);
    }
    if (isEvent) {
      fields.ReplayId = 'string readonly';
      fields.EventUuid = 'string readonly';
    }
    const ruleDir = join(dir, name, 'validationRules');
    const validationRules = (existsSync(ruleDir) ? readdirSync(ruleDir).sort() : [])
      .map((file) => readFileSync(join(ruleDir, file), 'utf8'))
      .filter((xml) => tag(xml, 'active') === 'true')
      .map((xml) => ({
        name: tag(xml, 'fullName'),
        formula: decodeXml(tag(xml, 'errorConditionFormula')),
        message: decodeXml(tag(xml, 'errorMessage')),
        ...(tag(xml, 'errorDisplayField') ? { field: tag(xml, 'errorDisplayField') } : {}),
      }));
    objects[name] = {
      kind: isEvent ? 'event' : isSetting ? 'setup' : 'data',
      keyPrefix: isEvent ? `e0${eventPrefix++}` : `a0${(dataPrefix++).toString(36)}`,
      label: tag(objectXml, 'label') ?? name,
      ...(!isEvent && !isSetting && tag(objectXml, 'sharingModel')
        ? { sharingModel: tag(objectXml, 'sharingModel') }
        : {}),
      custom: true,
      fields,
      ...(validationRules.length ? { validationRules } : {}),
    };
  }
  return {
    $comment:
      'Generated by scripts/packageObjects.cjs from force-app/main/default/objects and permissionsets: do not edit by hand.',
    objects,
    permissionSets: readPackagePermissionSets(join(dir, '..', 'permissionsets')),
  };
}

module.exports = { readPackageObjects, readPackagePermissionSets, OUTPUT, FORCE_APP_OBJECTS };

if (require.main === module) {
  // The build runs this so the simulator follows the metadata; outside the monorepo (no force-app)
  // the committed JSON stays as it is.
  if (!existsSync(FORCE_APP_OBJECTS)) {
    process.stdout.write(`no ${FORCE_APP_OBJECTS}: keeping ${OUTPUT}\n`);
    process.exit(0);
  }
  const text = `${JSON.stringify(readPackageObjects(), null, 2)}\n`;
  const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
  if (text !== current) {
    writeFileSync(OUTPUT, text);
    process.stdout.write(`updated ${OUTPUT} from force-app metadata\n`);
  }
}
