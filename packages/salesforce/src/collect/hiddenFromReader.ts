import type { Connection } from 'jsforce';
import type { FieldDescribe, ObjectDescribe, Snapshot } from '@sync-doctor/core';
import { splitFieldName } from './describe.js';
import { readReaderAccess, readReaderIdentity, sameUser } from './reader.js';

interface HiddenFromReaderInput {
  /** The reading user, when the caller knows it (CollectOptions.reader). */
  given: string | undefined;
  /** The integration user's Id. */
  userId: string;
  callerModifiesAllData: boolean;
  requiredFields: readonly string[];
  /** The required fields' and objects' facts: marked `hiddenFromReader` here, in place. */
  fields: Record<string, FieldDescribe>;
  objects: Record<string, ObjectDescribe>;
  /** The integration user's FieldPermissions rows. */
  fieldPermissionRows: readonly Record<string, unknown>[];
  onRound: () => void;
}

/**
 * Absent, or hidden from the user who read? Salesforce leaves out of a describe the fields the
 * reader's field-level security hides, an admin's too: Modify All Data and View All Data give Read
 * on every object but not on every field. Asked only when something was absent. Marks what was
 * hidden in `fields` and `objects`; returns the reader it was hidden from (undefined: none).
 */
export async function markHiddenFromReader(
  conn: Connection,
  input: HiddenFromReaderInput,
): Promise<Snapshot['reader']> {
  const { given, userId, callerModifiesAllData, requiredFields, fields, objects } = input;
  const { fieldPermissionRows, onRound } = input;
  const absentObjects = Object.keys(objects).filter((o) => !objects[o]!.exists);
  const absentFields = requiredFields.filter((name) => {
    const object = splitFieldName(name)!.object;
    return fields[name]!.exists === false && objects[object]?.exists !== false;
  });
  // A field the integration user's permission sets give Read or Edit on exists: Salesforce keeps
  // FieldPermissions rows only for fields that do. Absent from the describe, it was hidden from the
  // reader, whoever that is (not the integration user itself, which would have seen it).
  const permitted = new Set(
    fieldPermissionRows
      .filter((r) => r.PermissionsRead === true || r.PermissionsEdit === true)
      .map((r) => String(r.Field).toLowerCase()),
  );
  const provenFields = absentFields.filter((name) => permitted.has(name.toLowerCase()));
  let reader: Snapshot['reader'];
  const hideField = (name: string, by: NonNullable<Snapshot['reader']>) => {
    fields[name] = { ...fields[name]!, hiddenFromReader: true };
    reader = by;
  };
  if (callerModifiesAllData) {
    // It reads every object: an absent object or a field no permission set shows is absent. A field
    // the integration user's sets show was hidden by the admin's own field-level security: only who
    // the admin is is asked (one request, none when nothing was so hidden).
    if (provenFields.length) {
      const identity = await readReaderIdentity(conn, given, onRound);
      if (identity?.Id && !sameUser(identity.Id, userId))
        for (const name of provenFields) hideField(name, identity);
    }
  } else if (absentObjects.length || absentFields.length) {
    const access = await readReaderAccess(conn, {
      reader: given,
      integrationUserId: userId,
      objects: absentObjects,
      fields: absentFields,
      onRound,
    });
    if (access && !access.isIntegrationUser) {
      if (!access.readsAllObjects)
        for (const object of absentObjects)
          if (!access.objects.has(object.toLowerCase())) {
            objects[object] = { exists: false, hiddenFromReader: true };
            reader = access.reader;
            for (const name of requiredFields)
              if (splitFieldName(name)!.object.toLowerCase() === object.toLowerCase())
                fields[name] = { ...fields[name]!, hiddenFromReader: true };
          }
      // A reader with fewer rights cannot tell a field it may not read from one that does not exist;
      // an admin (Read on every object) misses only fields its field-level security hides, and one
      // no permission set of the integration user shows is reported absent, as before: the
      // integration user cannot use it either way.
      for (const name of absentFields)
        if (
          provenFields.includes(name) ||
          (!access.readsAllObjects && !access.fields.has(name.toLowerCase()))
        )
          hideField(name, access.reader);
    }
  }
  return reader;
}
