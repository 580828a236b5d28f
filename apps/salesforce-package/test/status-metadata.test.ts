// HubSpot_Sync_Status__c and Sync_Doctor_Event__e in force-app match the API names, limits and
// values the core fixes in packages/core/src/relayed/status.ts (the relay and collector write them).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  SIGNAL_SOURCES,
  STATUS_EVENT,
  STATUS_FIELD_LIMITS,
  STATUS_OBJECT,
  SUSPENSION_STATES,
} from '../../../packages/core/src/relayed/status.js';
import { OBJECTS_DIR } from './lib/paths.js';
import { readXml, type XmlDocument } from './lib/xml.js';

function fieldNames(objectName: string): string[] {
  return readdirSync(path.join(OBJECTS_DIR, objectName, 'fields'))
    .map((file) => file.replace('.field-meta.xml', ''))
    .sort();
}

function field(objectName: string, fieldName: string): XmlDocument {
  return readXml(path.join(OBJECTS_DIR, objectName, 'fields', `${fieldName}.field-meta.xml`))
    .CustomField;
}

function picklistValues(objectName: string, fieldName: string): string[] {
  const definition = field(objectName, fieldName).valueSet.valueSetDefinition;
  return (definition.value as { fullName: string }[]).map((value) => value.fullName);
}

describe('HubSpot_Sync_Status__c', () => {
  const name = STATUS_OBJECT.name;

  it('has exactly the fields of STATUS_OBJECT', () => {
    expect(fieldNames(name)).toEqual(Object.values(STATUS_OBJECT.fields).sort());
  });

  it('is keyed by a unique external id Portal_Id__c', () => {
    const portal = field(name, STATUS_OBJECT.fields.portalId);
    expect({ externalId: portal.externalId, unique: portal.unique, type: portal.type }).toEqual({
      externalId: 'true',
      unique: 'true',
      type: 'Text',
    });
  });

  it('holds portal id, title, excerpt and history as long as STATUS_FIELD_LIMITS', () => {
    expect(Number(field(name, STATUS_OBJECT.fields.portalId).length)).toBe(
      STATUS_FIELD_LIMITS.portalId,
    );
    expect(Number(field(STATUS_EVENT.name, STATUS_EVENT.fields.portalId).length)).toBe(
      STATUS_FIELD_LIMITS.portalId,
    );
    expect(Number(field(name, STATUS_OBJECT.fields.title).length)).toBe(STATUS_FIELD_LIMITS.title);
    const excerpt = field(name, STATUS_OBJECT.fields.excerpt);
    expect([excerpt.type, Number(excerpt.length)]).toEqual([
      'LongTextArea',
      STATUS_FIELD_LIMITS.excerpt,
    ]);
    const history = field(name, STATUS_OBJECT.fields.history);
    expect([history.type, Number(history.length)]).toEqual([
      'LongTextArea',
      STATUS_FIELD_LIMITS.history,
    ]);
  });

  it('stores dates as DateTime', () => {
    for (const key of ['since', 'lastSeenAt', 'clearedAt'] as const) {
      expect(field(name, STATUS_OBJECT.fields[key]).type).toBe('DateTime');
    }
  });

  it('is Public Read Only and tracks who changed the state, the reason and the clearing', () => {
    // Public Read/Write let anyone holding Edit on the object (a widened profile, a fix applied
    // through Sync Doctor) mark a suspension cleared without a trace. Under Public Read Only only
    // the owner, Modify All Data and Modify All on the object may edit: Sync_Doctor_Relay holds the
    // last (permission-sets.test.ts), so a new relay user still updates an earlier one's record.
    const object = readXml(path.join(OBJECTS_DIR, name, `${name}.object-meta.xml`)).CustomObject;
    expect([object.sharingModel, object.externalSharingModel, object.enableHistory]).toEqual([
      'Read',
      'Read',
      'true',
    ]);
    const tracked = fieldNames(name).filter(
      (fieldName) => field(name, fieldName).trackHistory === 'true',
    );
    expect(tracked).toEqual(
      [
        STATUS_OBJECT.fields.clearedAt,
        STATUS_OBJECT.fields.reason,
        STATUS_OBJECT.fields.state,
      ].sort(),
    );
  });

  it('restricts state and source to the core union values', () => {
    expect(picklistValues(name, STATUS_OBJECT.fields.state)).toEqual([...SUSPENSION_STATES]);
    expect(picklistValues(name, STATUS_OBJECT.fields.source)).toEqual([...SIGNAL_SOURCES]);
    expect(field(name, STATUS_OBJECT.fields.state).valueSet.restricted).toBe('true');
  });
});

describe('Sync_Doctor_Event__e', () => {
  const name = STATUS_EVENT.name;
  const event = readXml(path.join(OBJECTS_DIR, name, `${name}.object-meta.xml`)).CustomObject;

  it('is a platform event published after commit', () => {
    expect({ eventType: event.eventType, publishBehavior: event.publishBehavior }).toEqual({
      eventType: 'HighVolume',
      publishBehavior: 'PublishAfterCommit',
    });
  });

  it('has exactly the fields of STATUS_EVENT', () => {
    expect(fieldNames(name)).toEqual(Object.values(STATUS_EVENT.fields).sort());
    expect(field(name, STATUS_EVENT.fields.occurredAt).type).toBe('DateTime');
    expect(Number(field(name, STATUS_EVENT.fields.title).length)).toBe(STATUS_FIELD_LIMITS.title);
  });
});
