/**
 * Salesforce record ids the package tells apart. Loads nothing else of the package
 * (`@sync-doctor/salesforce/ids`), so a schema can take the pattern without loading jsforce.
 */

/**
 * A User Id: 15 or 18 characters with the User key prefix 005. The regular expression's source
 * without anchors, so a JSON Schema pattern can hold it beside other forms (the relay's admin API:
 * a User Id or a username).
 */
export const USER_ID_PATTERN = '005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?';

const USER_ID = new RegExp(`^${USER_ID_PATTERN}$`);

/** A 15 or 18 character record id with the User key prefix. */
export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}
