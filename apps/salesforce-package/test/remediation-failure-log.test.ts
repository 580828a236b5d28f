// A failed remediation leaves an entry in the remediation log although its changes are rolled back
// and its transaction ends in failure (the controller throws to the page). No org runs the Apex
// tests here, so this holds what makes that true:
// - the failure travels as a platform event published immediately (a future call, a queueable, a
//   Publish After Commit event or an insert would be taken back with the failed transaction), and a
//   trigger on it writes the entry;
// - the applier rolls its changes back first, then logs, then throws the failure on, for both
//   actions, so the page's error is unchanged;
// - nobody but Sync Doctor's Apex can publish the event (no permission set grants it), and an entry
//   names the user who published its event (CreatedById), not the performer the event claims, so
//   an entry cannot be forged in another admin's name through the API;
// - the names and lengths the Apex uses match the metadata (picklist values, fields, lengths).
import type { ApexParserRuleContext } from '@apexdevtools/apex-parser';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  findContexts,
  listApexClasses,
  listApexTriggers,
  methodContext,
  methodText,
  parseApexTrigger,
  apexFamilySource,
} from './lib/apex.js';
import { DEFAULT_DIR, OBJECTS_DIR } from './lib/paths.js';
import { parseXmlText, type XmlDocument } from './lib/xml.js';

const EVENT = 'Sync_Doctor_Remediation_Failure__e';
const LOG = 'Sync_Doctor_Remediation_Log__c';

const classes = listApexClasses();
// A class split by concern reads as its whole family (APEX_CLASS_FAMILIES in lib/apex.ts).
const source = (name: string): string => apexFamilySource(name, classes);
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The method `name` (lib/apex.ts methodContext: it refuses an ambiguous name); it must exist. */
function methodNode(classSource: string, name: string): ApexParserRuleContext {
  const method = methodContext(classSource, name);
  if (!method) throw new Error(`no method ${name}`);
  return method;
}

/** The catch blocks in a method of the class source, each as text without whitespace. */
function catchBlocks(classSource: string, name: string): string[] {
  return findContexts(methodNode(classSource, name), 'CatchClauseContext').map((clause) =>
    clause.getText(),
  );
}

function objectXml(name: string): XmlDocument {
  return parseXmlText(readFileSync(path.join(OBJECTS_DIR, name, `${name}.object-meta.xml`), 'utf8'))
    .CustomObject as XmlDocument;
}

function fieldsOf(object: string): Map<string, XmlDocument> {
  const dir = path.join(OBJECTS_DIR, object, 'fields');
  return new Map(
    readdirSync(dir).map((file) => {
      const field = parseXmlText(readFileSync(path.join(dir, file), 'utf8'))
        .CustomField as XmlDocument;
      return [String(field.fullName), field];
    }),
  );
}

function picklistValues(field: XmlDocument): string[] {
  const definition = (field.valueSet as XmlDocument).valueSetDefinition as XmlDocument;
  return asList<XmlDocument>(definition.value).map((value) => String(value.fullName));
}

/** `NAME = 'value'` constants of a class. */
function stringConstant(classSource: string, name: string): string {
  const match = new RegExp(`\\b${name}\\s*=\\s*'([^']*)'`).exec(classSource);
  if (!match) throw new Error(`no constant ${name}`);
  return match[1]!;
}

/** Field names assigned in `new Type(Field__c = ..., ...)` in the given text (whitespace dropped). */
function fieldsAssignedIn(text: string, type: string): string[] {
  const start = text.indexOf(`new${type}(`);
  if (start < 0) throw new Error(`no new ${type}(`);
  let depth = 0;
  let end = start;
  for (let index = text.indexOf('(', start); index < text.length; index++) {
    if (text[index] === '(') depth++;
    else if (text[index] === ')' && --depth === 0) {
      end = index;
      break;
    }
  }
  return [...text.slice(start, end).matchAll(/[(,](\w+__c)=/g)].map((match) => match[1]!);
}

describe('the failure event', () => {
  const event = objectXml(EVENT);

  it('is published immediately, so the failed transaction cannot take it back', () => {
    expect(event.publishBehavior).toBe('PublishImmediately');
  });

  it('is published by the log alone, through EventBus.publish: no DML, no future call', () => {
    const log = source('SyncDoctorRemediationLog');
    const recordFailure = methodText(log, 'recordFailure');
    expect(recordFailure).toContain('EventBus.publish(');
    expect(recordFailure).not.toMatch(/\b(insert|upsert|update)(as(user|system))?\w*\b/i);
    expect(recordFailure).not.toMatch(/insertLater|enqueueJob|@future/i);
    // Nothing else of the package publishes it (the relay's event is another one).
    const publishers = classes
      .filter((apexClass) => new RegExp(`new\\s+${EVENT}\\s*\\(`).test(apexClass.source))
      .map((apexClass) => apexClass.name);
    expect(publishers.filter((name) => !name.startsWith('Test'))).toEqual([
      'SyncDoctorRemediationLog',
    ]);
  });

  it('has every field the log sets on it, long enough for what it carries', () => {
    const fields = fieldsOf(EVENT);
    const log = source('SyncDoctorRemediationLog');
    const assigned = fieldsAssignedIn(methodText(log, 'recordFailure'), EVENT);
    expect(assigned.sort()).toEqual([...fields.keys()].sort());
    const actions = [stringConstant(log, 'ACTION_ASSIGN'), stringConstant(log, 'ACTION_APPLY')];
    expect(Number(fields.get('Action__c')!.length)).toBeGreaterThanOrEqual(
      Math.max(...actions.map((action) => action.length)),
    );
    expect(Number(fields.get('Target_User_Id__c')!.length)).toBe(18);
    expect(Number(fields.get('Performed_By_Id__c')!.length)).toBe(18);
    const errorLength = Number(/ERROR_LENGTH\s*=\s*(\d+)/.exec(log)![1]);
    expect(Number(fields.get('Error__c')!.length)).toBe(errorLength);
    expect(Number(fieldsOf(LOG).get('Error__c')!.length)).toBe(errorLength);
    const detailsLength = Number(/DETAILS_LENGTH\s*=\s*(\d+)/.exec(log)![1]);
    expect(Number(fields.get('Details__c')!.length)).toBe(detailsLength);
    expect(Number(fieldsOf(LOG).get('Details__c')!.length)).toBe(detailsLength);
  });

  it('may be published by no permission set, so no entry can be forged through the API', () => {
    const dir = path.join(DEFAULT_DIR, 'permissionsets');
    for (const file of readdirSync(dir)) {
      const xml = readFileSync(path.join(dir, file), 'utf8');
      expect({ file, grants: xml.includes(EVENT) }).toEqual({ file, grants: false });
    }
  });

  it('names the user who published the event (CreatedById), not the performer it claims, and flags a claim that differs', () => {
    // Admin profiles may hold Create on the event after an install: a user who may publish it
    // must not be able to log a failure in another admin's name.
    const log = source('SyncDoctorRemediationLog');
    const insertFailures = methodText(log, 'insertFailures');
    expect(insertFailures).toContain('Stringperformer=performerOf(failure);');
    expect(insertFailures).toContain('Performed_By__c=userIdOrNull(performer),');
    expect(insertFailures).toContain('Error__c=errorOf(failure,performer),');
    expect(insertFailures).not.toContain('userIdOrNull(failure.Performed_By_Id__c)');
    expect(methodText(log, 'performerOf')).toContain(
      'returnfailure.CreatedById!=null?(String)failure.CreatedById:failure.Performed_By_Id__c;',
    );
    expect(methodText(log, 'errorOf')).toContain('OTHER_PERFORMER_NAMED');
    expect(apexFamilySource('TestSyncDoctorRemediationLog', classes)).toMatch(
      /namesWhoPublishedTheFailureNotWhomTheEventClaims\(\)[^]*runAs\(publisher\)[^]*EventBus\.publish\([^]*Performed_By_Id__c = admin\.Id[^]*Assert\.areEqual\(publisher\.Id, log\.Performed_By__c/,
    );
  });

  it('has one trigger, after insert, that hands the events to the log', () => {
    const triggers = listApexTriggers().filter((trigger) =>
      new RegExp(`\\bon\\s+${EVENT}\\b`).test(trigger.source),
    );
    expect(triggers.map((trigger) => trigger.name)).toEqual(['SyncDoctorRemediationFailures']);
    const { tree, problems } = parseApexTrigger(triggers[0]!.source);
    expect(problems).toEqual([]);
    const text = tree.getText();
    expect(text).toMatch(new RegExp(`on${EVENT}\\(afterinsert\\)`, 'i'));
    expect(text).toContain('SyncDoctorRemediationLog.insertFailures(Trigger.new)');
  });
});

describe('the log entry of a failed attempt', () => {
  const log = source('SyncDoctorRemediationLog');
  const logFields = fieldsOf(LOG);

  it('is written with Status Failed, in system mode, with fields the log has', () => {
    const insertFailures = methodText(log, 'insertFailures');
    expect(insertFailures).toContain('Status__c=STATUS_FAILED');
    expect(methodText(log, 'insertEntries')).toMatch(/insertassystem\w+;/);
    for (const field of fieldsAssignedIn(insertFailures, LOG)) {
      expect({ field, exists: logFields.has(field) }).toEqual({ field, exists: true });
    }
    expect(methodText(log, 'record')).toContain('Status__c=STATUS_SUCCEEDED');
  });

  it('uses the Status and Action picklists values as the metadata spells them', () => {
    expect(picklistValues(logFields.get('Status__c')!)).toEqual([
      stringConstant(log, 'STATUS_SUCCEEDED'),
      stringConstant(log, 'STATUS_FAILED'),
    ]);
    expect(picklistValues(logFields.get('Action__c')!)).toEqual(
      expect.arrayContaining([
        stringConstant(log, 'ACTION_ASSIGN'),
        stringConstant(log, 'ACTION_APPLY'),
      ]),
    );
  });

  it('shows its status and error in the All list view', () => {
    const view = parseXmlText(
      readFileSync(path.join(OBJECTS_DIR, LOG, 'listViews', 'All.listView-meta.xml'), 'utf8'),
    ).ListView as XmlDocument;
    expect(asList<string>(view.columns).map(String)).toEqual(
      expect.arrayContaining(['Status__c', 'Error__c']),
    );
  });
});

describe('the applier on failure', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it.each([
    ['apply', 'ACTION_APPLY'],
    ['assignIntegrationPermissionSet', 'ACTION_ASSIGN'],
  ])('%s logs the failure, then throws it on unchanged', (method, action) => {
    const text = methodText(applier, method);
    const catches = catchBlocks(applier, method);
    expect(catches).toHaveLength(1);
    const [handler] = catches;
    expect(handler).toMatch(/^catch\(Exception(\w+)\)/);
    const name = /^catch\(Exception(\w+)\)/.exec(handler!)![1];
    const logAt = handler!.indexOf(
      `SyncDoctorRemediationLog.recordFailure(SyncDoctorRemediationLog.${action},`,
    );
    const throwAt = handler!.indexOf(`throw${name};`);
    expect(logAt).toBeGreaterThan(0);
    expect(throwAt).toBeGreaterThan(logAt);
    // The failure passed to the log is the one thrown.
    expect(handler!.slice(logAt, throwAt)).toContain(`,${name});`);
    // Only the user id is checked outside the try: a failure without a target has no entry.
    expect(text.slice(0, text.indexOf('try{'))).toMatch(
      /SyncDoctorJson\.requireUserId\(userId\);$/,
    );
  });

  it('rolls the changes back before the failure reaches the log', () => {
    const apply = methodText(applier, 'apply');
    expect(apply).toContain('returnapplyPlan(userId,planJson);');
    const [rollback] = catchBlocks(applier, 'applyPlan');
    expect(rollback).toMatch(/^catch\(Exception(\w+)\)\{Database\.rollback\(\w+\);throw\1;\}$/);
    const applyPlan = methodText(applier, 'applyPlan');
    expect(applyPlan.indexOf('Database.setSavepoint()')).toBeLessThan(
      applyPlan.indexOf('upsertRemediationSet('),
    );
  });

  it('notices a handler that swallows the failure or only throws (the check can fail)', () => {
    const [swallowing] = catchBlocks(
      'public class X { void f() { try { g(); } catch (Exception e) { SyncDoctorRemediationLog.recordFailure(SyncDoctorRemediationLog.ACTION_APPLY, u, p, e); } } }',
      'f',
    );
    expect(swallowing).toContain('SyncDoctorRemediationLog.recordFailure(');
    expect(swallowing!.indexOf('throwe;')).toBe(-1);
    const [unlogged] = catchBlocks(
      'public class X { void f() { try { g(); } catch (Exception e) { throw e; } } }',
      'f',
    );
    expect(unlogged).toBe('catch(Exceptione){throwe;}');
  });
});

describe('the failure log under a flood of failed attempts', () => {
  const log = source('SyncDoctorRemediationLog');
  const logFields = fieldsOf(LOG);
  const admin = readFileSync(
    path.join(DEFAULT_DIR, 'permissionsets', 'Sync_Doctor_Admin.permissionset-meta.xml'),
    'utf8',
  );

  it('keys each cause and hour by indexed fields as long as what the Apex writes into them', () => {
    const key = logFields.get('Failure_Key__c')!;
    const hour = logFields.get('Failure_Hour__c')!;
    // External IDs are indexed: both queries in the trigger stay selective however long the log.
    expect([key.externalId, hour.externalId]).toEqual(['true', 'true']);
    // SHA-256 in hex; 'yyyy-MM-dd HH'.
    expect(methodText(log, 'failureKey')).toContain("Crypto.generateDigest('SHA-256',");
    expect(Number(key.length)).toBe(64);
    expect(methodText(log, 'hourKey')).toContain("formatGmt('yyyy-MM-dd HH')");
    expect(Number(hour.length)).toBe('yyyy-MM-dd HH'.length);
    expect(logFields.get('Occurrences__c')!.type).toBe('Number');
    expect(logFields.get('Last_Failed_At__c')!.type).toBe('DateTime');
    for (const field of [
      'Failure_Key__c',
      'Failure_Hour__c',
      'Occurrences__c',
      'Last_Failed_At__c',
    ])
      expect({ field, readable: admin.includes(`<field>${LOG}.${field}</field>`) }).toEqual({
        field,
        readable: true,
      });
  });

  it('looks logged entries up only through the indexed fields, and caps the new ones an hour', () => {
    const queries = [
      ...log.matchAll(/\[\s*SELECT[^\]]*FROM\s+Sync_Doctor_Remediation_Log__c[^\]]*\]/g),
    ].map((match) => match[0].replace(/\s+/g, ' '));
    expect(queries).toHaveLength(2);
    for (const query of queries)
      expect(query).toMatch(/WHERE Failure_(Key|Hour)__c IN :\w+ WITH SYSTEM_MODE/);
    expect(Number(/MAX_FAILURE_ENTRIES_PER_HOUR\s*=\s*(\d+)/.exec(log)![1])).toBe(100);
    const insertFailures = methodText(log, 'insertFailures');
    // Counted on a logged entry first, then capped, then the folded entry counted or inserted.
    const order = [
      'countOnLogged(fresh)',
      'withinHourlyCap(fresh.values(),flooded)',
      'countOnLogged(flooded)',
      'updateassystemcounted;',
      'insertEntries(entries);',
    ].map((step) => insertFailures.indexOf(step));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The FLOODED error fits Error__c once its number is in.
    const flooded = stringConstant(log, 'FLOODED').replace('{0}', '100');
    expect(flooded.length).toBeLessThanOrEqual(Number(logFields.get('Error__c')!.length));
    expect(source('TestSyncDoctorRemediationLog')).toMatch(
      /foldsAnHoursFailuresPastTheCapIntoOneEntry\(\)[^]*cap \+ 5[^]*cap \+ 2/,
    );
  });
});
