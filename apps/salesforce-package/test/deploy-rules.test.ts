// Rules Salesforce enforces at deploy or test time that `sf project convert source` does not check,
// written down from the Metadata API Developer Guide and the Object Reference so a mistake fails
// here instead of in the first real deploy. Each rule is tested against a broken sample too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isTestClass, listApexClasses } from './lib/apex.js';
import { API_VERSION_EXCEPTIONS, expectedApiVersion } from './lib/apiVersions.js';
import {
  CLASSES_DIR,
  DEFAULT_DIR,
  FORCE_APP,
  OBJECTS_DIR,
  REPO_ROOT,
  listFiles,
  relativeToRepo,
} from './lib/paths.js';
import { parseXmlText, readXml, type XmlDocument } from './lib/xml.js';

const { sourceApiVersion } = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8'),
) as { sourceApiVersion: string };

type Problem = string;
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

// ---------------------------------------------------------------------------------------------
// FlexiPage: a custom component is referenced as namespace:name ('c:' without a namespace); it
// must exist, be exposed (isExposed) and list the target of the page type.
const TARGET_BY_PAGE_TYPE: Record<string, string> = {
  AppPage: 'lightning__AppPage',
  HomePage: 'lightning__HomePage',
  RecordPage: 'lightning__RecordPage',
  UtilityBar: 'lightning__UtilityBar',
};

function flexiPageProblems(page: XmlDocument, lwcDir: string): Problem[] {
  const problems: Problem[] = [];
  const target = TARGET_BY_PAGE_TYPE[page.type as string];
  if (!target) problems.push(`page type ${String(page.type)} has no known LWC target`);
  for (const region of asList<XmlDocument>(page.flexiPageRegions)) {
    for (const item of asList<XmlDocument>(region.itemInstances)) {
      const name = item.componentInstance?.componentName as string | undefined;
      if (name === undefined) continue;
      const [namespace, bundle] = name.includes(':') ? name.split(':') : [undefined, name];
      if (!namespace) {
        problems.push(`${name}: a component needs its namespace (c:${name})`);
        continue;
      }
      if (namespace !== 'c') continue; // a standard component (flexipage:, force:, …)
      const meta = path.join(lwcDir, bundle!, `${bundle}.js-meta.xml`);
      if (!existsSync(meta)) {
        problems.push(`${name}: no LWC bundle ${bundle}`);
        continue;
      }
      const lwc = readXml(meta).LightningComponentBundle;
      if (lwc.isExposed !== 'true') problems.push(`${name}: isExposed is not true`);
      const targets = asList<XmlDocument>(lwc.targets).flatMap((entry) => asList(entry.target));
      if (target && !targets.includes(target)) problems.push(`${name}: no ${target} target`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Custom objects, platform events, custom settings and their fields.
const FIELD_TYPES_ON_EVENTS = new Set([
  'Checkbox',
  'Date',
  'DateTime',
  'Number',
  'Text',
  'LongTextArea',
]);

function objectProblems(name: string, object: XmlDocument): Problem[] {
  const problems: Problem[] = [];
  const need = (element: string): void => {
    if (object[element] === undefined || object[element] === '')
      problems.push(`${name}: no <${element}>`);
  };
  need('label');
  if (object.customSettingsType !== undefined) {
    need('visibility');
    return problems;
  }
  need('pluralLabel');
  need('deploymentStatus');
  if (name.endsWith('__e')) {
    if (!['HighVolume', 'StandardVolume'].includes(object.eventType)) {
      problems.push(`${name}: <eventType> must be HighVolume or StandardVolume`);
    }
    if (!['PublishAfterCommit', 'PublishImmediately'].includes(object.publishBehavior)) {
      problems.push(`${name}: <publishBehavior> must be PublishAfterCommit or PublishImmediately`);
    }
    return problems;
  }
  need('sharingModel');
  need('nameField');
  const nameField = object.nameField as XmlDocument | undefined;
  if (nameField) {
    if (!nameField.label) problems.push(`${name}: the name field has no <label>`);
    if (!['Text', 'AutoNumber'].includes(nameField.type)) {
      problems.push(`${name}: the name field is Text or AutoNumber`);
    }
    if (nameField.type === 'AutoNumber' && !nameField.displayFormat) {
      problems.push(`${name}: an AutoNumber name needs <displayFormat>`);
    }
  }
  // Enterprise Application object: Allow Sharing, Bulk API and Streaming API go together.
  const flags = ['enableSharing', 'enableBulkApi', 'enableStreamingApi'].map(
    (flag) => object[flag] ?? 'false',
  );
  if (new Set(flags).size > 1) {
    problems.push(
      `${name}: enableSharing, enableBulkApi and enableStreamingApi differ (${flags.join(', ')})`,
    );
  }
  return problems;
}

function fieldProblems(objectName: string, object: XmlDocument, field: XmlDocument): Problem[] {
  const problems: Problem[] = [];
  const name = `${objectName}.${String(field.fullName)}`;
  if (!field.label) problems.push(`${name}: no <label>`);
  const length = Number(field.length);
  switch (field.type) {
    case 'Text':
      if (!(length >= 1 && length <= 255))
        problems.push(`${name}: Text needs a <length> of 1 to 255`);
      break;
    case 'LongTextArea':
      if (!(length >= 256 && length <= 131072)) {
        problems.push(`${name}: LongTextArea needs a <length> of 256 to 131072`);
      }
      if (!field.visibleLines) problems.push(`${name}: LongTextArea needs <visibleLines>`);
      break;
    case 'Lookup':
    case 'MasterDetail':
      if (!field.referenceTo || !field.relationshipName) {
        problems.push(`${name}: a relationship needs <referenceTo> and <relationshipName>`);
      }
      break;
    case 'Picklist':
      if (!field.valueSet) problems.push(`${name}: a picklist needs <valueSet>`);
      break;
    case undefined:
      problems.push(`${name}: no <type>`);
      break;
    default:
      break;
  }
  // A tracked field on an object without history tracking is refused on deploy.
  if (field.trackHistory === 'true' && object.enableHistory !== 'true') {
    problems.push(
      `${name}: <trackHistory> needs <enableHistory>true</enableHistory> on the object`,
    );
  }
  if (objectName.endsWith('__e') && !FIELD_TYPES_ON_EVENTS.has(field.type)) {
    problems.push(`${name}: a platform event cannot have a ${String(field.type)} field`);
  }
  if (
    object.customSettingsType !== undefined &&
    ['Lookup', 'MasterDetail', 'Picklist', 'LongTextArea'].includes(field.type)
  ) {
    problems.push(`${name}: a custom setting cannot have a ${String(field.type)} field`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Permission sets: every name exists, and no field-level security on a field that has none
// (required and master-detail fields; Salesforce refuses the deploy), nor object permissions
// on a custom setting, nor more than Read and Create on a platform event.
interface PackageInventory {
  objects: Map<string, XmlDocument>;
  fields: Map<string, XmlDocument>;
  classes: Set<string>;
  tabs: Set<string>;
  applications: Set<string>;
  customPermissions: Set<string>;
}

/** Each object right's metadata element with those it depends on (OBJECT_RIGHT_DEPENDENCIES). */
const OBJECT_RIGHT_NEEDS: [string, string[]][] = [
  ['allowCreate', ['allowRead']],
  ['allowEdit', ['allowRead']],
  ['allowDelete', ['allowRead', 'allowEdit']],
  ['viewAllRecords', ['allowRead']],
  ['modifyAllRecords', ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords']],
];

function permissionSetProblems(set: XmlDocument, inventory: PackageInventory): Problem[] {
  const problems: Problem[] = [];
  const isCustom = (name: string): boolean => /__(c|e)$/.test(name);
  for (const grant of asList<XmlDocument>(set.fieldPermissions)) {
    const objectName = String(grant.field).split('.')[0]!;
    const field = inventory.fields.get(grant.field);
    if (!field) {
      if (isCustom(objectName) || /__c$/.test(grant.field)) {
        problems.push(`fieldPermissions: ${grant.field} does not exist`);
      }
      continue;
    }
    if (field.required === 'true') problems.push(`fieldPermissions: ${grant.field} is required`);
    if (field.type === 'MasterDetail')
      problems.push(`fieldPermissions: ${grant.field} is master-detail`);
    if (grant.editable === 'true' && grant.readable !== 'true') {
      problems.push(`fieldPermissions: ${grant.field} is editable but not readable`);
    }
  }
  for (const grant of asList<XmlDocument>(set.objectPermissions)) {
    const object = inventory.objects.get(grant.object);
    if (!object) {
      if (isCustom(grant.object))
        problems.push(`objectPermissions: ${grant.object} does not exist`);
      continue;
    }
    if (object.customSettingsType !== undefined) {
      problems.push(
        `objectPermissions: ${grant.object} is a custom setting (use customSettingAccesses)`,
      );
    }
    // "Permission Modify All Records depends on permission(s): Delete" and the like: Salesforce
    // refuses a row holding a right without the rights it depends on.
    for (const [right, needs] of OBJECT_RIGHT_NEEDS) {
      if (grant[right] !== 'true') continue;
      for (const need of needs.filter((needed) => grant[needed] !== 'true'))
        problems.push(`objectPermissions: ${grant.object} has ${right} without ${need}`);
    }
    if (String(grant.object).endsWith('__e')) {
      for (const right of ['allowEdit', 'allowDelete', 'viewAllRecords', 'modifyAllRecords']) {
        if (grant[right] === 'true')
          problems.push(`objectPermissions: ${grant.object} cannot have ${right}`);
      }
    }
  }
  for (const entry of asList<XmlDocument>(set.customSettingAccesses)) {
    if (inventory.objects.get(entry.name)?.customSettingsType === undefined) {
      problems.push(`customSettingAccesses: ${entry.name} is no custom setting of the package`);
    }
  }
  const check = (list: XmlDocument[], key: string, known: Set<string>, what: string): void => {
    for (const entry of list) {
      if (!known.has(entry[key])) problems.push(`${what}: ${entry[key]} does not exist`);
    }
  };
  check(asList(set.classAccesses), 'apexClass', inventory.classes, 'classAccesses');
  check(asList(set.tabSettings), 'tab', inventory.tabs, 'tabSettings');
  check(
    asList(set.applicationVisibilities),
    'application',
    inventory.applications,
    'applicationVisibilities',
  );
  check(asList(set.customPermissions), 'name', inventory.customPermissions, 'customPermissions');
  return problems;
}

function packageInventory(): PackageInventory {
  const objects = new Map<string, XmlDocument>();
  const fields = new Map<string, XmlDocument>();
  for (const objectName of readdirSync(OBJECTS_DIR)) {
    objects.set(
      objectName,
      readXml(path.join(OBJECTS_DIR, objectName, `${objectName}.object-meta.xml`)).CustomObject,
    );
    const dir = path.join(OBJECTS_DIR, objectName, 'fields');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      fields.set(
        `${objectName}.${file.replace('.field-meta.xml', '')}`,
        readXml(path.join(dir, file)).CustomField,
      );
    }
  }
  const names = (dir: string, suffix: string): Set<string> =>
    new Set(
      existsSync(path.join(DEFAULT_DIR, dir))
        ? readdirSync(path.join(DEFAULT_DIR, dir))
            .filter((file) => file.endsWith(suffix))
            .map((file) => file.slice(0, -suffix.length))
        : [],
    );
  return {
    objects,
    fields,
    classes: names('classes', '.cls'),
    tabs: names('tabs', '.tab-meta.xml'),
    applications: names('applications', '.app-meta.xml'),
    customPermissions: names('customPermissions', '.customPermission-meta.xml'),
  };
}

// ---------------------------------------------------------------------------------------------
// Tabs: one content kind, that exists, and a motif from Salesforce's fixed list of tab styles
// (number and name must match: 'Custom19: Wrench').
const MOTIFS: Record<number, string> = Object.fromEntries(
  (
    '1 Heart|2 Fan|3 Sun|4 Hexagon|5 Leaf|6 Triangle|7 Square|8 Diamond|9 Lightning|10 Moon|' +
    '11 Star|12 Circle|13 Box|14 Hands|15 People|16 Bank|17 Sack|18 Form|19 Wrench|20 Airplane|' +
    '21 Computer|22 Telephone|23 Envelope|24 Building|25 Alarm clock|26 Flag|27 Laptop|' +
    '28 Cell phone|29 PDA|30 Radar dish|31 Car|32 Factory|33 Desk|34 Insect|35 Microphone|' +
    '36 Train|37 Bridge|38 Camera|39 Telescope|40 Credit card|41 Cash|42 Treasure chest|43 Jewel|' +
    '44 Hammer|45 Ticket|46 Stamp|47 Knight|48 Trophy|49 CD/DVD|50 Big top|51 Apple|52 Balls|' +
    '53 Bell|54 Boat|55 Books|56 Bottle|57 Building Block|58 Caduceus|59 Can|60 Umbrella|' +
    '61 Castle|62 Chalkboard|63 Chip|64 Compass|65 Cup|66 Dice|67 Gears|68 Globe|69 Guitar|' +
    '70 Handsaw|71 Headset|72 Helicopter|73 Highway Sign|74 Hot Air Balloon|75 IP Phone|76 Keys|' +
    '77 Locked|78 Map|79 Measuring Tape|80 Motorcycle|81 Musical Note|82 Whistle|83 Pencil|' +
    '84 Presenter|85 Real Estate Sign|86 Red Cross|87 Safe|88 Sailboat|89 Saxophone|90 Scales|' +
    '91 Shield|92 Ship|93 Shopping Cart|94 Stethoscope|95 Stopwatch|96 Street Sign|' +
    '97 Thermometer|98 Truck|99 TV CRT|100 TV Widescreen'
  )
    .split('|')
    .map((entry) => [Number(entry.split(' ')[0]), entry.slice(entry.indexOf(' ') + 1)]),
);
const TAB_CONTENT = [
  'auraComponent',
  'customObject',
  'flexiPage',
  'lwcComponent',
  'page',
  'scontrol',
  'url',
];

function tabProblems(
  name: string,
  tab: XmlDocument,
  inventory: PackageInventory,
  pages: Set<string>,
): Problem[] {
  const problems: Problem[] = [];
  const kinds = TAB_CONTENT.filter((kind) => tab[kind] !== undefined && tab[kind] !== 'false');
  if (kinds.length !== 1) problems.push(`${name}: needs exactly one of ${TAB_CONTENT.join(', ')}`);
  if (tab.customObject === 'true' && !inventory.objects.has(name)) {
    problems.push(`${name}: no custom object ${name}`);
  }
  if (tab.flexiPage !== undefined && !pages.has(tab.flexiPage)) {
    problems.push(`${name}: no FlexiPage ${String(tab.flexiPage)}`);
  }
  if (tab.customObject !== 'true' && !tab.label) problems.push(`${name}: no <label>`);
  const motif = /^Custom(\d+): (.+)$/.exec(String(tab.motif ?? ''));
  if (!motif || MOTIFS[Number(motif[1])] !== motif[2]) {
    const expected = motif
      ? `Custom${motif[1]}: ${MOTIFS[Number(motif[1])] ?? '?'}`
      : 'CustomN: Name';
    problems.push(`${name}: motif '${String(tab.motif)}' is no tab style (${expected})`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Apex tests that only pass where no org data interferes, or that need a user the org lacks.

/** [start, end) of every System.runAs(...) { ... } block body. */
function runAsBlocks(source: string): [number, number][] {
  const blocks: [number, number][] = [];
  const pattern = /System\.runAs\s*\(/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const open = source.indexOf('{', match.index);
    let depth = 0;
    for (let index = open; index < source.length; index++) {
      if (source[index] === '{') depth++;
      else if (source[index] === '}' && --depth === 0) {
        blocks.push([open, index]);
        break;
      }
    }
  }
  return blocks;
}

/**
 * A test writing the remediation log (record, recordFailure) runs it as a named user (System.runAs):
 * the entry records the running user as Performed_By__c, which the test asserts. And no test inserts an object
 * Salesforce does not let Apex create (OauthToken, Organization, UserLogin).
 */
function apexTestProblems(name: string, source: string): Problem[] {
  const problems: Problem[] = [];
  const blocks = runAsBlocks(source);
  const pattern = /SyncDoctorRemediationLog\.record(?:Failure)?\s*\(/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const at = match.index;
    if (!blocks.some(([start, end]) => at > start && at < end)) {
      const line = source.slice(0, at).split('\n').length;
      problems.push(`${name}:${line}: ${match[0].replace(/\s*\($/, '')} outside System.runAs`);
    }
  }
  const forbidden = /new\s+(OauthToken|Organization|UserLogin)\s*\(/g;
  for (let match = forbidden.exec(source); match; match = forbidden.exec(source)) {
    problems.push(`${name}: creates ${match[1]}, which Apex cannot insert`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('FlexiPages reference exposed components by namespace:name', () => {
  const pages = listFiles(path.join(DEFAULT_DIR, 'flexipages'), (file) =>
    file.endsWith('.flexipage-meta.xml'),
  );

  it.each(pages.map((file) => [relativeToRepo(file), file]))('%s', (_name, file) => {
    expect(flexiPageProblems(readXml(file).FlexiPage, path.join(DEFAULT_DIR, 'lwc'))).toEqual([]);
  });

  it('catches a bare, missing, hidden or mistargeted component', () => {
    const page = (name: string, type = 'AppPage'): XmlDocument =>
      parseXmlText(
        `<FlexiPage><flexiPageRegions><itemInstances><componentInstance><componentName>${name}</componentName></componentInstance></itemInstances></flexiPageRegions><type>${type}</type></FlexiPage>`,
      ).FlexiPage;
    const lwc = path.join(DEFAULT_DIR, 'lwc');
    expect(flexiPageProblems(page('syncDoctorApp'), lwc)).toEqual([
      'syncDoctorApp: a component needs its namespace (c:syncDoctorApp)',
    ]);
    expect(flexiPageProblems(page('c:noSuchBundle'), lwc)).toEqual([
      'c:noSuchBundle: no LWC bundle noSuchBundle',
    ]);
    expect(flexiPageProblems(page('c:copyReport'), lwc)).toEqual([
      'c:copyReport: isExposed is not true',
      'c:copyReport: no lightning__AppPage target',
    ]);
    expect(flexiPageProblems(page('c:syncDoctorApp', 'RecordPage'), lwc)).toEqual([
      'c:syncDoctorApp: no lightning__RecordPage target',
    ]);
    expect(flexiPageProblems(page('flexipage:richText'), lwc)).toEqual([]);
  });
});

describe('API versions', () => {
  it(`every apiVersion in force-app is the project's sourceApiVersion ${sourceApiVersion}, but for the named exceptions`, () => {
    const files = listFiles(
      FORCE_APP,
      (file) => file.endsWith('-meta.xml') && !file.includes('__tests__'),
    );
    const withVersion = files
      .map((file) => ({
        file: relativeToRepo(file),
        match: /<apiVersion>([^<]*)<\/apiVersion>/.exec(readFileSync(file, 'utf8')),
      }))
      .filter((entry) => entry.match);
    expect(withVersion.length).toBeGreaterThan(20);
    const other = withVersion
      .filter((entry) => entry.match![1] !== expectedApiVersion(entry.file, sourceApiVersion))
      .map((entry) => `${entry.file}: ${entry.match![1]}`);
    expect(other).toEqual([]);
  });

  it('raises a file above sourceApiVersion only while it uses the newer API it was raised for', () => {
    const exceptions = Object.entries(API_VERSION_EXCEPTIONS);
    expect(exceptions.length).toBeGreaterThan(0);
    for (const [file, exception] of exceptions) {
      expect(Number(exception.version)).toBeGreaterThan(Number(sourceApiVersion));
      const source = readFileSync(path.join(REPO_ROOT, file.replace(/-meta\.xml$/, '')), 'utf8');
      expect({ file, uses: exception.usedAs.test(source) }).toEqual({ file, uses: true });
    }
    // No other class calls the newer API at the older version, where it would not compile.
    const callers = listFiles(CLASSES_DIR, (file) => file.endsWith('.cls'))
      .filter((file) =>
        exceptions.some(([, exception]) => exception.usedAs.test(readFileSync(file, 'utf8'))),
      )
      .map((file) => `${relativeToRepo(file)}-meta.xml`);
    expect(callers.sort()).toEqual(exceptions.map(([file]) => file).sort());
  });
});

describe('custom objects, platform events, custom settings and fields', () => {
  const inventory = packageInventory();

  it.each([...inventory.objects.keys()])('%s has what Salesforce requires', (name) => {
    const object = inventory.objects.get(name)!;
    const fields = [...inventory.fields.entries()]
      .filter(([key]) => key.startsWith(`${name}.`))
      .flatMap(([, field]) => fieldProblems(name, object, field));
    expect([...objectProblems(name, object), ...fields]).toEqual([]);
  });

  it('opens no record of its own objects to external (portal, community) users beyond Read', () => {
    // Nothing Sync Doctor keeps is for an external user to change: the extra required fields are
    // the admins' (Public Read/Write inside the org), the status the relay's, the log Sync Doctor's.
    const wide = [...inventory.objects.entries()]
      .filter(([, object]) => object.sharingModel !== undefined)
      .filter(([, object]) => !['Private', 'Read'].includes(object.externalSharingModel))
      .map(([name, object]) => `${name}: ${String(object.externalSharingModel)}`);
    expect(wide).toEqual([]);
  });

  it('catches missing elements and mismatched flags', () => {
    const object = (xml: string): XmlDocument =>
      parseXmlText(`<CustomObject>${xml}</CustomObject>`).CustomObject;
    expect(
      objectProblems(
        'A__c',
        object(
          '<label>A</label><pluralLabel>As</pluralLabel><deploymentStatus>Deployed</deploymentStatus><sharingModel>Read</sharingModel><nameField><label>N</label><type>AutoNumber</type></nameField><enableSharing>true</enableSharing><enableBulkApi>true</enableBulkApi><enableStreamingApi>false</enableStreamingApi>',
        ),
      ),
    ).toEqual([
      'A__c: an AutoNumber name needs <displayFormat>',
      'A__c: enableSharing, enableBulkApi and enableStreamingApi differ (true, true, false)',
    ]);
    expect(
      objectProblems(
        'E__e',
        object(
          '<label>E</label><pluralLabel>Es</pluralLabel><deploymentStatus>Deployed</deploymentStatus>',
        ),
      ),
    ).toEqual([
      'E__e: <eventType> must be HighVolume or StandardVolume',
      'E__e: <publishBehavior> must be PublishAfterCommit or PublishImmediately',
    ]);
    const field = (xml: string): XmlDocument =>
      parseXmlText(`<CustomField>${xml}</CustomField>`).CustomField;
    expect(
      fieldProblems(
        'E__e',
        object(''),
        field('<fullName>L__c</fullName><label>L</label><type>Lookup</type>'),
      ),
    ).toEqual([
      'E__e.L__c: a relationship needs <referenceTo> and <relationshipName>',
      'E__e.L__c: a platform event cannot have a Lookup field',
    ]);
    expect(
      fieldProblems(
        'A__c',
        object(''),
        field('<fullName>T__c</fullName><label>T</label><type>Text</type>'),
      ),
    ).toEqual(['A__c.T__c: Text needs a <length> of 1 to 255']);
    expect(
      fieldProblems(
        'A__c',
        object('<enableHistory>false</enableHistory>'),
        field(
          '<fullName>D__c</fullName><label>D</label><trackHistory>true</trackHistory><type>DateTime</type>',
        ),
      ),
    ).toEqual([
      'A__c.D__c: <trackHistory> needs <enableHistory>true</enableHistory> on the object',
    ]);
  });
});

describe('permission sets', () => {
  const inventory = packageInventory();
  const sets = listFiles(path.join(DEFAULT_DIR, 'permissionsets'), (file) =>
    file.endsWith('.permissionset-meta.xml'),
  );

  it.each(sets.map((file) => [path.basename(file), file]))(
    '%s names only what exists and grants no FLS on required or master-detail fields',
    (_name, file) => {
      expect(permissionSetProblems(readXml(file).PermissionSet, inventory)).toEqual([]);
    },
  );

  it('catches FLS on a required field, unknown names, a right without those it depends on and too many rights on an event', () => {
    const fields = new Map(inventory.fields);
    fields.set('Sync_Doctor_Remediation_Log__c.Required__c', { required: 'true', type: 'Text' });
    const set = parseXmlText(
      `<PermissionSet>
        <fieldPermissions><editable>true</editable><field>Sync_Doctor_Remediation_Log__c.Required__c</field><readable>true</readable></fieldPermissions>
        <fieldPermissions><editable>false</editable><field>Sync_Doctor_Remediation_Log__c.Gone__c</field><readable>true</readable></fieldPermissions>
        <objectPermissions><allowEdit>true</allowEdit><object>Sync_Doctor_Event__e</object></objectPermissions>
        <objectPermissions><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>true</modifyAllRecords><object>HubSpot_Sync_Status__c</object><viewAllRecords>true</viewAllRecords></objectPermissions>
        <objectPermissions><allowRead>true</allowRead><object>Sync_Doctor_Settings__c</object></objectPermissions>
        <classAccesses><apexClass>NoSuchClass</apexClass><enabled>true</enabled></classAccesses>
        <tabSettings><tab>No_Tab</tab><visibility>Visible</visibility></tabSettings>
      </PermissionSet>`,
    ).PermissionSet;
    expect(permissionSetProblems(set, { ...inventory, fields })).toEqual([
      'fieldPermissions: Sync_Doctor_Remediation_Log__c.Required__c is required',
      'fieldPermissions: Sync_Doctor_Remediation_Log__c.Gone__c does not exist',
      'objectPermissions: Sync_Doctor_Event__e has allowEdit without allowRead',
      'objectPermissions: Sync_Doctor_Event__e cannot have allowEdit',
      'objectPermissions: HubSpot_Sync_Status__c has modifyAllRecords without allowDelete',
      'objectPermissions: Sync_Doctor_Settings__c is a custom setting (use customSettingAccesses)',
      'classAccesses: NoSuchClass does not exist',
      'tabSettings: No_Tab does not exist',
    ]);
  });
});

describe('custom tabs', () => {
  const inventory = packageInventory();
  const pages = new Set(
    readdirSync(path.join(DEFAULT_DIR, 'flexipages')).map((file) =>
      file.replace('.flexipage-meta.xml', ''),
    ),
  );
  const tabs = listFiles(path.join(DEFAULT_DIR, 'tabs'), (file) => file.endsWith('.tab-meta.xml'));

  it.each(tabs.map((file) => [path.basename(file, '.tab-meta.xml'), file]))('%s', (name, file) => {
    expect(tabProblems(name, readXml(file).CustomTab, inventory, pages)).toEqual([]);
  });

  it('catches an unknown motif, a missing object and two kinds of content', () => {
    const tab = parseXmlText(
      '<CustomTab><customObject>true</customObject><flexiPage>Nope</flexiPage><motif>Custom55: Paper</motif></CustomTab>',
    ).CustomTab;
    expect(tabProblems('Gone__c', tab, inventory, pages)).toEqual([
      'Gone__c: needs exactly one of auraComponent, customObject, flexiPage, lwcComponent, page, scontrol, url',
      'Gone__c: no custom object Gone__c',
      'Gone__c: no FlexiPage Nope',
      "Gone__c: motif 'Custom55: Paper' is no tab style (Custom55: Books)",
    ]);
  });
});

describe('Apex tests runnable in a real org', () => {
  const tests = listApexClasses().filter((apexClass) => isTestClass(apexClass.source));

  it.each(tests.map((apexClass) => [apexClass.name, apexClass.source]))('%s', (name, source) => {
    expect(apexTestProblems(name, source)).toEqual([]);
  });

  it('catches a log written outside System.runAs and an OauthToken insert', () => {
    const source = `@IsTest private class T {
  @IsTest static void a() {
    System.runAs(u) { if (x) { y(); } }
    SyncDoctorRemediationLog.record('a', null, null, null);
    insert new OauthToken(AppName = 'HubSpot');
  }
  @IsTest static void b() {
    System.runAs(u) { SyncDoctorRemediationLog.record('a', null, null, null); }
    SyncDoctorRemediationLog.recordFailure('a', null, null, e);
  }
}`;
    expect(apexTestProblems('T', source)).toEqual([
      'T:4: SyncDoctorRemediationLog.record outside System.runAs',
      'T:9: SyncDoctorRemediationLog.recordFailure outside System.runAs',
      'T: creates OauthToken, which Apex cannot insert',
    ]);
  });
});
