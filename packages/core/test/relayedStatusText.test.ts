/**
 * A relayed status's title and the "nothing relayed" sentence: one rule, which the app's panel, the
 * CLI and the copied report all use.
 */
import {
  SUSPENSION_REASONS,
  evaluateAccess,
  formatReport,
  type RelayedStatus,
  UNRECOGNISED_REASON_TITLE,
  nothingRelayedText,
  planRemediation,
  relayedReasonTitle,
  suspensionLiftedClause,
  suspensionLifting,
} from '../src/index.js';
import { fixture } from './support.js';

describe('relayedReasonTitle', () => {
  it("names a known reason by the catalog's English title, not HubSpot's translation of it", () => {
    const danish = SUSPENSION_REASONS.UNKNOWN_ERROR.titles.da;
    expect(
      relayedReasonTitle({ reason: 'UNKNOWN_ERROR', title: ` ${danish.toUpperCase()} ` }),
    ).toEqual({
      title: 'Unknown error',
      hubspotWords: null,
    });
  });

  it("keeps HubSpot's own words beside a known reason when they say something else", () => {
    expect(
      relayedReasonTitle({ reason: 'UNKNOWN_ERROR', title: '  Salesforce returned HTTP 500 ' }),
    ).toEqual({ title: 'Unknown error', hubspotWords: 'Salesforce returned HTTP 500' });
  });

  it("names a reason the catalog lacks by HubSpot's title, trimmed, else as unrecognised", () => {
    expect(relayedReasonTitle({ reason: null, title: '  Sync stalled  ' })).toEqual({
      title: 'Sync stalled',
      hubspotWords: null,
    });
    for (const title of [null, '', '   '])
      expect(relayedReasonTitle({ reason: 'SOMETHING_NEW' as never, title })).toEqual({
        title: UNRECOGNISED_REASON_TITLE,
        hubspotWords: null,
      });
    expect(UNRECOGNISED_REASON_TITLE).toBe('Unrecognised suspension reason');
  });

  it('gives a clearing that names no reason no title, and a suspension without one the unrecognised title', () => {
    expect(relayedReasonTitle({ state: 'cleared', reason: null, title: null }).title).toBe('');
    expect(relayedReasonTitle({ state: 'suspended', reason: null, title: null }).title).toBe(
      UNRECOGNISED_REASON_TITLE,
    );
    expect(relayedReasonTitle({ state: 'cleared', reason: 'ORG_LOCKED', title: null }).title).toBe(
      SUSPENSION_REASONS.ORG_LOCKED.titles.en,
    );
  });
});

describe('nothingRelayedText', () => {
  const where =
    "Sync Doctor hears of HubSpot's suspensions only through its relay; if the relay is not set up, HubSpot's Salesforce integration settings show whether the sync is suspended.";

  it('names the portal, and says where to look when the relay is not set up', () => {
    expect(nothingRelayedText('4411223')).toBe(
      `No suspension has been relayed for portal 4411223. ${where}`,
    );
  });

  it('data storage full: the relay could not have written the status record either', () => {
    const full = evaluateAccess(fixture('storage-full'));
    expect(nothingRelayedText('4411223', full)).toBe(
      "No suspension has been relayed for portal 4411223, or the relay could not write it: the org's data storage is full, and Salesforce refuses the relay's status record as it refuses HubSpot's records. Check HubSpot's Salesforce integration settings (Connected apps > Salesforce) for a suspension.",
    );
    // Room in the org: the usual sentence.
    expect(nothingRelayedText('4411223', evaluateAccess(fixture('healthy')))).toBe(
      `No suspension has been relayed for portal 4411223. ${where}`,
    );
  });

  it('without a portal, says any HubSpot portal', () => {
    for (const portal of [undefined, null, ''])
      expect(nothingRelayedText(portal)).toBe(
        `No suspension has been relayed for any HubSpot portal. ${where}`,
      );
  });
});

describe('the copied report titles the relayed reason by the same rule', () => {
  const status = (overrides: Partial<RelayedStatus>): RelayedStatus => ({
    portalId: '4411223',
    state: 'suspended',
    reason: null,
    title: null,
    since: null,
    lastSeenAt: null,
    clearedAt: null,
    source: 'email',
    excerpt: null,
    history: [],
    ...overrides,
  });
  const stateLine = (s: RelayedStatus) =>
    formatReport(evaluateAccess(fixture('healthy')), { status: s })
      .split('\n')
      .find((line) => line.startsWith('State: '));

  it.each([
    [
      { reason: 'UNKNOWN_ERROR', title: 'Ukendt fejl' },
      'State: suspended - Unknown error [UNKNOWN_ERROR]',
    ],
    [
      { reason: 'UNKNOWN_ERROR', title: 'Salesforce returned HTTP 500' },
      "State: suspended - Unknown error [UNKNOWN_ERROR] (HubSpot's words: Salesforce returned HTTP 500)",
    ],
    [{ title: '  Sync stalled  ' }, 'State: suspended - Sync stalled'],
    [{}, 'State: suspended - Unrecognised suspension reason'],
    [{ state: 'cleared' }, 'State: cleared'],
  ] as [Partial<RelayedStatus>, string][])('%j: %s', (overrides, line) => {
    const s = status(overrides);
    expect(stateLine(s)).toBe(line);
    const { title } = relayedReasonTitle(s);
    if (title) expect(line).toContain(` - ${title}`);
  });
});

describe('suspensionLiftedClause: how a relayed suspension is lifted, by its reason', () => {
  it('says "clear the suspension in HubSpot" only where that is the way out', () => {
    expect(suspensionLiftedClause('OBJECT_PERMISSIONS_MISSING')).toBe(
      'until you clear the suspension in HubSpot',
    );
    // HubSpot's own API allocation lifts by itself: nobody clears it.
    expect(suspensionLifting('HUBSPOT_API_LIMIT_EXCEEDED')).toBe('by-itself');
    expect(suspensionLiftedClause('HUBSPOT_API_LIMIT_EXCEEDED')).toBe(
      `for now: ${SUSPENSION_REASONS.HUBSPOT_API_LIMIT_EXCEEDED.liftedBy}`,
    );
    // API access disabled: reconnecting lifts it, not "Clear Suspension".
    expect(suspensionLifting('API_ACCESS_DISABLED')).toBe('reconnect');
    expect(suspensionLiftedClause('API_ACCESS_DISABLED')).toContain(
      "until you re-enter the integration user's Salesforce credentials in HubSpot (reconnect)",
    );
    for (const code of ['HUBSPOT_API_LIMIT_EXCEEDED', 'API_ACCESS_DISABLED'])
      expect(suspensionLiftedClause(code)).not.toMatch(/until you clear/);
  });

  it('follows the catalog for every reason, and names the three ways for an unknown one', () => {
    for (const reason of Object.values(SUSPENSION_REASONS)) {
      const clause = suspensionLiftedClause(reason.code);
      expect(clause).toContain(reason.liftedBy);
      expect(clause.startsWith('for now')).toBe(reason.liftsByItself);
    }
    for (const code of [undefined, null, 'NOT_A_REASON', 'constructor'])
      expect(suspensionLiftedClause(code)).toBe(
        'until the suspension is lifted (by HubSpot itself, by reconnecting or by "Clear Suspension" in HubSpot, as its reason says)',
      );
  });

  it("is the plan's rule: the reasons reconnecting lifts are those whose inactive-user step says so", () => {
    const d = evaluateAccess(fixture('inactive-user'));
    for (const reason of Object.values(SUSPENSION_REASONS)) {
      const status = { state: 'suspended' as const, reason: reason.code };
      const steps = planRemediation(d, { status })
        .manualSteps.map((s) => s.step)
        .join(' ');
      expect(steps.includes('reconnecting clears the suspension')).toBe(
        suspensionLifting(reason.code) === 'reconnect',
      );
    }
  });
});
