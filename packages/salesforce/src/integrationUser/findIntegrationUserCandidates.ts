import type { Connection } from 'jsforce';
import {
  HUBSPOT_PERMISSION_SET,
  rankIntegrationUserCandidates,
  type IntegrationUserCandidate,
  type IntegrationUserSource,
} from '@sync-doctor/core';
import { sendComposite, subOutcome, subResult, type SubRequest } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { queryUrl, soqlString } from '../soql.js';
import { requestCount, sendRest, throwIfConnectionAborted } from '../transport.js';
import { DATA_PATH } from '../version.js';

/**
 * The evidence SyncDoctorIntegrationUserFinder.cls reads inside Salesforce, read over REST. The
 * names, the pattern and the limit are the Apex class's constants; a contract test in this
 * package reads the Apex and fails when they differ.
 */
export const INTEGRATION_USER_EVIDENCE = {
  /**
   * Whose OAuth tokens count as evidence: connected apps whose name starts with "HubSpot", except
   * `nonIntegrationAppPattern`. Which name(s) the connected app of HubSpot's Salesforce
   * *integration* carries is not documented in any source we could find (HubSpot's "Connect
   * HubSpot and Salesforce" article says only that the user clicks Allow to give HubSpot access),
   * so no exact allowlist is used: one guessed wrong would drop the only evidence in the orgs that
   * lack the permission set. Instead the HubSpot apps known to be used by people rather than by the
   * sync are left out: "HubSpot Sales" (the sales extension for Gmail/Outlook/Salesforce, which any
   * rep may authorise). A prefix, not '%HubSpot%': other vendors' apps may mention HubSpot.
   */
  hubspotAppPattern: 'HubSpot%',
  /** HubSpot apps used by people, not by the sync: their tokens are no evidence (see above). */
  nonIntegrationAppPattern: 'HubSpot Sales%',
  permissionSetLabel: HUBSPOT_PERMISSION_SET,
  permissionSetName: 'HubSpot_Integration_Permissions',
  /** Rows per query, as Apex MAX_RESULTS. */
  maxResults: 50,
  /**
   * The reader's own permission that shows it every user's OAuth tokens. Without it Salesforce
   * answers the token query with the reader's own tokens only, and no error (Object Reference,
   * OauthToken, "Special Access Rules"), so the tokens are then left out as unread, never counted
   * in part: a partial list would rank users on evidence that silently misses HubSpot's token.
   */
  tokensPermission: 'PermissionsCustomizeApplication',
  /** The errorCode of that unread evidence, as Apex TOKENS_NEED_CUSTOMIZE_APPLICATION. */
  tokensPermissionMissing: 'CUSTOMIZE_APPLICATION_REQUIRED',
} as const;

/** Why the tokens were left out for a reader without Customize Application (Apex TOKENS_UNREAD_MESSAGE). */
export const TOKENS_UNREAD_MESSAGE =
  'the reading user lacks "Customize Application", without which Salesforce shows it only its own OAuth tokens, so no token counted as evidence';

/** The reader's own Customize Application, as Apex seesEveryUsersTokens asks it. */
export const TOKENS_PERMISSION_SOQL = `SELECT ${INTEGRATION_USER_EVIDENCE.tokensPermission} FROM UserPermissionAccess`;

export interface UnreadEvidence {
  source: IntegrationUserSource;
  errorCode: string;
  message: string;
}

export interface IntegrationUserSearch {
  /** Users with evidence, ranked by the core's rule (most evidence, active, name). */
  candidates: IntegrationUserCandidate[];
  /**
   * Evidence the session could not read. Other users' OAuth tokens are visible only with Customize
   * Application (without, Salesforce silently returns only the session's own): a reader without it
   * gets no token evidence and an entry here (errorCode CUSTOMIZE_APPLICATION_REQUIRED), as does a
   * refused token query; the Apex does the same.
   */
  unread: UnreadEvidence[];
  /**
   * HTTP requests sent: one composite (one API call), plus one query of the reader's own
   * permissions when the tokens alone cannot show it may see every user's (see readableTokens).
   */
  requests: number;
}

interface UserFields {
  Id?: string;
  Username?: string;
  Name?: string | null;
  IsActive?: boolean;
}
interface QueryBody<T> {
  records?: T[];
}

const E = INTEGRATION_USER_EVIDENCE;
const USER_FIELDS = ['Id', 'Username', 'Name', 'IsActive'];
const via = (relationship: string) => USER_FIELDS.map((f) => `${relationship}.${f}`).join(', ');

/** HubSpot's permission set, by label or API name (an admin may have relabelled either). */
const isHubSpotSet = (relationship: string) =>
  `${relationship}.Label = ${soqlString(E.permissionSetLabel)} OR ${relationship}.Name = ${soqlString(E.permissionSetName)}`;

/**
 * One composite (one HTTP request, one API call), six sub-requests: the holders of HubSpot's OAuth
 * tokens; the holders of the HubSpot permission set, assigned directly and through a permission
 * set group (each with its user's name and activity through the relationship, so no second round
 * for the User records); and the saved choice of the Sync Doctor package: the org id, the org
 * default of Sync_Doctor_Settings__c, and that user by composite reference. Without the package
 * the last two fail (no such type, then no value to refer to), which means "no saved choice".
 *
 * The group holders need their own query: Salesforce refuses a semi-join next to OR ("Semi join
 * sub-selects are not allowed with the 'OR' operator"), and a group's assignment names the group's
 * aggregate permission set, not HubSpot's. A composite carries at most five queries, so the saved
 * user is read as an sObject row (not a query) to keep all of it in one request.
 */
export function evidenceQueries(): SubRequest[] {
  const query = (referenceId: string, soql: string): SubRequest => ({
    referenceId,
    method: 'GET',
    url: queryUrl(soql),
  });
  return [
    query(
      'tokens',
      `SELECT UserId, ${via('User')} FROM OauthToken` +
        ` WHERE AppName LIKE ${soqlString(E.hubspotAppPattern)} AND (NOT AppName LIKE ${soqlString(E.nonIntegrationAppPattern)})` +
        ` LIMIT ${E.maxResults}`,
    ),
    query(
      'holders',
      `SELECT AssigneeId, ${via('Assignee')} FROM PermissionSetAssignment` +
        ` WHERE ${isHubSpotSet('PermissionSet')}` +
        ` LIMIT ${E.maxResults}`,
    ),
    // A muted group still holds the set (muting takes permissions away, not the assignment): the
    // admin meant the user to be HubSpot's, which is what this evidence is about; what the muting
    // takes away is the check's finding on that user.
    query(
      'groupHolders',
      `SELECT AssigneeId, ${via('Assignee')} FROM PermissionSetAssignment` +
        ` WHERE PermissionSetGroupId IN (SELECT PermissionSetGroupId FROM PermissionSetGroupComponent WHERE ${isHubSpotSet('PermissionSet')})` +
        ` LIMIT ${E.maxResults}`,
    ),
    query('org', 'SELECT Id FROM Organization'),
    query(
      'settings',
      "SELECT Integration_User_Id__c FROM Sync_Doctor_Settings__c WHERE SetupOwnerId = '@{org.records[0].Id}' LIMIT 1",
    ),
    {
      referenceId: 'saved',
      method: 'GET',
      url: `${DATA_PATH}/sobjects/User/@{settings.records[0].Integration_User_Id__c}?fields=${USER_FIELDS.join(',')}`,
    },
  ];
}

interface TokenRow {
  UserId?: string;
  User?: UserFields;
}

/**
 * The HubSpot tokens, only when the reader sees every user's. Tokens of two or more users prove it
 * does (without Customize Application Salesforce shows only the reader's own); otherwise (none, or
 * one user's) the reader's own permission is asked: one more request (one API call), paid only
 * then, because the composite's five query slots are taken. Without the permission, or when either
 * read is refused, the tokens are unread, never a partial list.
 */
async function readableTokens(
  conn: Connection,
  outcome: { ok: true; value: QueryBody<TokenRow> } | { ok: false; error: SalesforceError },
): Promise<{ ok: true; rows: TokenRow[] } | { ok: false; unread: Omit<UnreadEvidence, 'source'> }> {
  if (!outcome.ok)
    return {
      ok: false,
      unread: { errorCode: outcome.error.errorCode, message: outcome.error.message },
    };
  const rows = outcome.value.records ?? [];
  const holders = new Set(
    rows.map((row) => (row.UserId ?? row.User?.Id ?? '').slice(0, 15)).filter(Boolean),
  );
  if (holders.size >= 2) return { ok: true, rows };
  throwIfConnectionAborted(conn);
  let held: boolean;
  try {
    const page = await sendRest<QueryBody<Record<string, unknown>>>(conn, {
      method: 'GET',
      url: queryUrl(TOKENS_PERMISSION_SOQL),
      label: 'GET UserPermissionAccess (who may see HubSpot tokens)',
    });
    held = page.records?.[0]?.[E.tokensPermission] === true;
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    return { ok: false, unread: { errorCode: error.errorCode, message: error.message } };
  }
  return held
    ? { ok: true, rows }
    : {
        ok: false,
        unread: { errorCode: E.tokensPermissionMissing, message: TOKENS_UNREAD_MESSAGE },
      };
}

/**
 * Who could be HubSpot's integration user, with the evidence for each, in one HTTP request (two
 * when the reader's right to see every token must be asked, see readableTokens).
 * The direct holders of the permission set must be readable (a failure there is thrown); the
 * holders through a group (PermissionSetGroupComponent needs View Setup and Configuration), the
 * OAuth tokens and the saved choice are optional evidence, a failure of the first two (or a reader
 * who may see only its own tokens) reported in `unread`.
 */
export async function findIntegrationUserCandidates(
  conn: Connection,
): Promise<IntegrationUserSearch> {
  const before = requestCount(conn);
  const responses = await sendComposite(conn, evidenceQueries(), {
    label: 'POST /composite (integration user candidates)',
  });
  const found: IntegrationUserCandidate[] = [];
  const unread: UnreadEvidence[] = [];
  const add = (user: UserFields | null | undefined, source: IntegrationUserSource) => {
    if (!user?.Id || !user.Username) return;
    found.push({
      userId: user.Id,
      username: user.Username,
      name: user.Name ?? null,
      isActive: user.IsActive === true,
      sources: [source],
    });
  };
  const holders = subResult<QueryBody<{ Assignee?: UserFields }>>(
    responses.get('holders'),
    'holders',
  );
  for (const row of holders.records ?? []) add(row.Assignee, 'permissionSet');

  const groupHolders = subOutcome<QueryBody<{ Assignee?: UserFields }>>(
    responses.get('groupHolders'),
    'groupHolders',
  );
  if (groupHolders.ok)
    for (const row of groupHolders.value.records ?? []) add(row.Assignee, 'permissionSet');
  else
    unread.push({
      source: 'permissionSet',
      errorCode: groupHolders.error.errorCode,
      message: groupHolders.error.message,
    });

  const tokens = await readableTokens(
    conn,
    subOutcome<QueryBody<TokenRow>>(responses.get('tokens'), 'tokens'),
  );
  if (tokens.ok) for (const row of tokens.rows) add(row.User, 'oauth');
  else unread.push({ source: 'oauth', ...tokens.unread });

  const saved = subOutcome<UserFields>(responses.get('saved'), 'saved');
  if (saved.ok) add(saved.value, 'saved');

  // A read left unread because the connection's signal aborted says nothing about the org.
  throwIfConnectionAborted(conn);
  return {
    candidates: rankIntegrationUserCandidates(found),
    unread,
    requests: requestCount(conn) - before,
  };
}
