import type { Connection } from 'jsforce';
import type { ReaderRecord } from '@sync-doctor/core';
import { COMPOSITE_MAX_QUERIES, sendComposite, subOutcome, type SubRequest } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { chunkForInList, isUserId, queryUrl, soqlList, soqlString } from '../soql.js';
import { sendRest } from '../transport.js';

/**
 * What the user who reads the org (the connection's own user) may see, for the objects and fields
 * the org answered as absent. Salesforce answers a describe of an object that user may not read
 * with NOT_FOUND, as for an object that does not exist, and leaves out of a describe the fields it
 * may not see: for a reader with fewer rights than an admin (the relay's own user, which holds
 * Sync_Doctor_Relay and View Setup), absence is evidence only where the reader could have seen.
 *
 * One composite, only when something was absent: the reader (by the given username or User Id,
 * else by its OAuth identity, one request more), its own Modify All Data and View All Data
 * (UserPermissionAccess, which needs no id), and the Read its permission sets (profile included)
 * give it on those objects and fields (ObjectPermissions, FieldPermissions by a semi-join on its
 * assignments, as the integration user's are read; View Setup reads them).
 *
 * Modify All Data and View All Data give Read on every object, not on every field: "Users with View
 * All Data (or Modify All Data) permission ... must still be assigned field permissions" (Salesforce
 * Help, "'View All' and 'Modify All' Permissions Overview"). An admin's describe leaves out a field
 * its profile's field-level security hides, as any user's does.
 */
interface ReaderAccess {
  reader: ReaderRecord;
  /** The reader is the integration user: what it cannot see, the core judges from its own rights. */
  isIntegrationUser: boolean;
  /** Modify All Data or View All Data: Read on every object (not on every field). */
  readsAllObjects: boolean;
  /** Lower-case API names of the objects, and 'object.field' names of the fields, it may read. */
  objects: Set<string>;
  fields: Set<string>;
}

const READER_REFERENCE = 'reader';
const READER_ID = `'@{${READER_REFERENCE}.records[0].Id}'`;

type Page = { done?: boolean; records?: Record<string, unknown>[] };

/** The connection's own user by its OAuth identity (GET /services/oauth2/userinfo). */
async function identityOf(conn: Connection): Promise<string> {
  const identity = await sendRest<{ user_id?: unknown; preferred_username?: unknown }>(conn, {
    method: 'GET',
    url: '/services/oauth2/userinfo',
    label: 'GET /services/oauth2/userinfo',
  });
  if (typeof identity.user_id === 'string' && isUserId(identity.user_id)) return identity.user_id;
  if (typeof identity.preferred_username === 'string' && identity.preferred_username)
    return identity.preferred_username;
  throw new SalesforceError({
    errorCode: 'USER_NOT_FOUND',
    message: 'The OAuth identity of the connection names no user',
  });
}

/** Whether two User Ids (15 or 18 characters) name the same user. */
export function sameUser(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

/**
 * Who the reader is, and nothing more (one request): by the given username or User Id, else by the
 * connection's OAuth identity. For a reader already known to hold Modify All Data, whose rights on
 * objects need no reading. null when it cannot be told.
 */
export async function readReaderIdentity(
  conn: Connection,
  given: string | undefined,
  onRound: () => void,
): Promise<ReaderRecord | null> {
  try {
    const reader = given?.trim();
    onRound();
    if (!reader) {
      const identity = await sendRest<Record<string, unknown>>(conn, {
        method: 'GET',
        url: '/services/oauth2/userinfo',
        label: 'GET /services/oauth2/userinfo',
      });
      // userinfo says preferred_username and name; the identity URL (/id/...) username and display_name.
      const text = (...keys: string[]) =>
        keys.map((k) => identity[k]).find((v): v is string => typeof v === 'string' && v !== '');
      const id = text('user_id');
      const username = text('preferred_username', 'username');
      const name = text('name', 'display_name');
      if (!id || !isUserId(id) || !username) return null;
      return { Id: id, Username: username, ...(name ? { Name: name } : {}) };
    }
    const page = await sendRest<Page>(conn, {
      method: 'GET',
      url: queryUrl(
        `SELECT Id, Username, Name FROM User WHERE ${isUserId(reader) ? 'Id' : 'Username'} = ${soqlString(reader)}`,
      ),
      label: 'GET User (reader)',
    });
    const found = page.records?.[0];
    if (!found || typeof found.Id !== 'string' || typeof found.Username !== 'string') return null;
    return {
      Id: found.Id,
      Username: found.Username,
      ...(typeof found.Name === 'string' ? { Name: found.Name } : {}),
    };
  } catch (error) {
    if (error instanceof SalesforceError) return null;
    throw error;
  }
}

/**
 * Reads the reader's access to the given objects and fields ('Contact', 'Contact.Tier__c'), or
 * null when it cannot be told (the identity or a query refused): the caller then believes the
 * describe, as before. `onRequest` counts the requests and rounds it adds.
 */
export async function readReaderAccess(
  conn: Connection,
  options: {
    reader?: string;
    integrationUserId: string;
    objects: readonly string[];
    fields: readonly string[];
    onRound: () => void;
  },
): Promise<ReaderAccess | null> {
  try {
    let reader = options.reader?.trim();
    if (!reader) {
      options.onRound();
      reader = await identityOf(conn);
    }
    const userSub: SubRequest = {
      referenceId: READER_REFERENCE,
      method: 'GET',
      url: queryUrl(
        `SELECT Id, Username, Name FROM User WHERE ${isUserId(reader) ? 'Id' : 'Username'} = ${soqlString(reader)}`,
      ),
    };
    const assigned = `ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${READER_ID})`;
    const rights: SubRequest[] = [
      {
        referenceId: 'readerSystem',
        method: 'GET',
        url: queryUrl(
          'SELECT PermissionsModifyAllData, PermissionsViewAllData FROM UserPermissionAccess',
        ),
      },
      ...chunkForInList(options.objects).map((chunk, i) => ({
        referenceId: `readerObjects${i}`,
        method: 'GET' as const,
        url: queryUrl(
          `SELECT SobjectType FROM ObjectPermissions WHERE ${assigned} AND PermissionsRead = true AND SobjectType IN ${soqlList(chunk)}`,
        ),
      })),
      ...chunkForInList(options.fields).map((chunk, i) => ({
        referenceId: `readerFields${i}`,
        method: 'GET' as const,
        url: queryUrl(
          `SELECT Field FROM FieldPermissions WHERE ${assigned} AND PermissionsRead = true AND Field IN ${soqlList(chunk)}`,
        ),
      })),
    ];
    // Each composite looks the reader up once: its id is a reference within that composite only.
    const packs: SubRequest[][] = [];
    for (let i = 0; i < rights.length; i += COMPOSITE_MAX_QUERIES - 1)
      packs.push([userSub, ...rights.slice(i, i + COMPOSITE_MAX_QUERIES - 1)]);
    options.onRound();
    const answers = await Promise.all(
      packs.map((pack) => sendComposite(conn, pack, { label: 'POST /composite (reader access)' })),
    );
    const records = (referenceId: string): Record<string, unknown>[] => {
      for (const answer of answers) {
        if (!answer.has(referenceId)) continue;
        const outcome = subOutcome<Page>(answer.get(referenceId), referenceId);
        if (!outcome.ok) throw outcome.error;
        // A page more would be more rights than objects asked about: one page holds them all.
        return outcome.value.records ?? [];
      }
      return [];
    };
    const found = records(READER_REFERENCE)[0];
    if (!found || typeof found.Id !== 'string' || typeof found.Username !== 'string') return null;
    const system = records('readerSystem')[0] ?? {};
    const access: ReaderAccess = {
      reader: {
        Id: found.Id,
        Username: found.Username,
        ...(typeof found.Name === 'string' ? { Name: found.Name } : {}),
      },
      isIntegrationUser: sameUser(found.Id, options.integrationUserId),
      readsAllObjects:
        system.PermissionsModifyAllData === true || system.PermissionsViewAllData === true,
      objects: new Set(),
      fields: new Set(),
    };
    for (const sub of rights) {
      for (const row of records(sub.referenceId)) {
        if (typeof row.SobjectType === 'string') access.objects.add(row.SobjectType.toLowerCase());
        if (typeof row.Field === 'string') access.fields.add(row.Field.toLowerCase());
      }
    }
    return access;
  } catch (error) {
    if (error instanceof SalesforceError) return null;
    throw error;
  }
}
