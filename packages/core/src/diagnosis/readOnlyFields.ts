/**
 * Fields whose Edit no permission can give: calculated ones (formula, roll-up), auto-numbers, and those Salesforce
 * fills in itself. Both the field judgement (fields.ts) and the objects a requirement reaches
 * (objects.ts) drop Edit for them, so an Edit mapped on such a field asks Edit of neither.
 */
import type { FieldDescribe } from '../snapshot/types.js';
import type { Context } from './context.js';

/**
 * Whether Edit required on the field is never judged: it is calculated or an auto-number (its
 * field-level security is Read at most), or nobody can write it.
 */
export function editNeverRequired(
  ctx: Context,
  describe: FieldDescribe | undefined,
  name: string,
): boolean {
  return (
    describe?.calculated === true ||
    describe?.autoNumber === true ||
    writableByNobody(ctx, describe, name)
  );
}

/**
 * Whether no user can write the field: describe says neither createable nor updateable, the field
 * has no field-level security (so the describing user's FLS is not why), and that user may both
 * create and edit the object's records (so its object rights are not why either: a false createable
 * proves something only when the user may create, a false updateable only when it may edit).
 * Describe speaks for the user who ran it; without these facts (older snapshots) the answer is no,
 * and nothing changes. A Person Account field on Account (PersonEmail, Loyalty__pc) is left out: it
 * has no field-level security of its own but takes the matching Contact field's, so its describe
 * says what the describing user's Contact FLS allows.
 */
export function writableByNobody(
  ctx: Context,
  describe: FieldDescribe | undefined,
  name: string,
): boolean {
  if (!describe || describe.permissionable !== false) return false;
  if (describe.createable !== false || describe.updateable !== false) return false;
  const dot = name.indexOf('.');
  const objectName = name.slice(0, dot);
  const fieldName = name.slice(dot + 1);
  if (objectName.toLowerCase() === 'account' && /^person|__pc$/i.test(fieldName)) return false;
  const object = ctx.objectFacts(objectName);
  return object?.createable === true && object?.updateable === true;
}
