/**
 * A reason code comes from the relayed status record, which only the relay should write: a forged
 * record can carry any string. A name every object has ('constructor', '__proto__', 'toString') is
 * no reason: the core must read it as an unknown one, never as Object's own properties (the banner
 * ended "then undefined." and the panel crashed on it).
 */
import {
  checkSuspensionSteps,
  evaluateAccess,
  formatReport,
  findingHeading,
  isReasonCode,
  REASON_CODES,
  relayedReasonTitle,
  suspensionNextStep,
  suspensionReason,
  UNRECOGNISED_REASON_TITLE,
  type RelayedStatus,
} from '../src/index.js';
import { fixture } from './support.js';

const FORGED = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

describe('a forged reason code', () => {
  // The relay and the CLI trust a code once isReasonCode has said yes: it is their only gate.
  it.each(FORGED)('is not a reason code: %s', (code) => {
    expect(isReasonCode(code)).toBe(false);
  });

  it('is not a reason code in another case, with spaces, or as another type', () => {
    expect(REASON_CODES.every((code) => isReasonCode(code))).toBe(true);
    for (const near of ['org_locked', 'Org_Locked', ' ORG_LOCKED', 'ORG_LOCKED\n', 'ORG', ''])
      expect(isReasonCode(near)).toBe(false);
    for (const other of [null, undefined, 0, ['ORG_LOCKED'], { code: 'ORG_LOCKED' }])
      expect(isReasonCode(other)).toBe(false);
  });

  it.each(FORGED)('is no reason of the catalog: %s', (code) => {
    expect(suspensionReason(code)).toBeUndefined();
    expect(suspensionReason('API_LIMIT_EXCEEDED')?.code).toBe('API_LIMIT_EXCEEDED');
  });

  it.each(FORGED)('gets the general next step in the banner, never "undefined": %s', (code) => {
    for (const blocked of [true, false]) {
      const next = suspensionNextStep(code, { blocked });
      expect(next).toBe(suspensionNextStep('SOMETHING_NEW', { blocked }));
      expect(next).not.toContain('undefined');
    }
  });

  it.each(FORGED)("is titled as unrecognised, or by HubSpot's own words: %s", (code) => {
    const reason = code as RelayedStatus['reason'];
    expect(relayedReasonTitle({ state: 'suspended', reason, title: null })).toEqual({
      title: UNRECOGNISED_REASON_TITLE,
      hubspotWords: null,
    });
    expect(relayedReasonTitle({ state: 'suspended', reason, title: ' Sync stalled ' }).title).toBe(
      'Sync stalled',
    );
  });

  it.each(FORGED)('is refused by checkSuspensionSteps as unknown: %s', (code) => {
    const diagnosis = evaluateAccess(fixture('healthy'));
    expect(() => checkSuspensionSteps(code as never, diagnosis)).toThrow(
      `checkSuspensionSteps: unknown reason '${code}'`,
    );
  });

  it.each(FORGED)('reads in the copied report as an unrecognised suspension: %s', (code) => {
    const diagnosis = evaluateAccess(fixture('healthy'));
    const status = {
      portalId: '12345678',
      state: 'suspended',
      reason: code,
      title: null,
      since: '2026-12-02T01:07:04.000Z',
      lastSeenAt: '2026-12-02T01:07:04.000Z',
      clearedAt: null,
      source: 'webhook',
      excerpt: null,
      history: [],
    } as unknown as RelayedStatus;
    const text = formatReport(diagnosis, { status });
    expect(text).toContain(UNRECOGNISED_REASON_TITLE);
    expect(text).not.toContain('undefined');
  });

  it.each(FORGED)(
    "heads a finding with a forged reason by the code, not Object's property: %s",
    (code) => {
      const heading = findingHeading({ reason: code as never, severity: 'error' });
      expect(heading).toBe(code);
    },
  );
});
