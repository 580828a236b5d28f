import { compileRule, checkValidationRules } from '../src/org/validationRules.js';
import { API, startTestOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org.sim.close();
});

interface CompositeResult {
  compositeResponse: Array<{ referenceId: string; httpStatusCode: number; body: unknown }>;
}

const statusUrl = (portal: string) =>
  `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/${portal}`;

/** The relay's write: the status record and its event, all or none. */
const publish = (portal: string, sequence: number | undefined, title: string) =>
  org.send('POST', `${API}/composite`, {
    allOrNone: true,
    compositeRequest: [
      {
        method: 'PATCH',
        url: statusUrl(portal),
        referenceId: 'status',
        body: {
          State__c: 'suspended',
          Title__c: title,
          ...(sequence === undefined ? {} : { Relay_Sequence__c: sequence }),
        },
      },
      {
        method: 'POST',
        url: `${API}/sobjects/Sync_Doctor_Event__e`,
        referenceId: 'event',
        body: { Portal_Id__c: portal, State__c: 'suspended', Title__c: title },
      },
    ],
  });

const record = (portal: string) =>
  org.sim.records('HubSpot_Sync_Status__c').find((r) => r.Portal_Id__c === portal);
const events = (portal: string) =>
  org.sim.publishedEvents
    .filter((e) => e.sobjectType === 'Sync_Doctor_Event__e' && e.payload.Portal_Id__c === portal)
    .map((e) => e.payload.Title__c);

describe("HubSpot_Sync_Status__c's validation rule Status_Never_Goes_Back (from force-app)", () => {
  test('a write carrying a smaller Relay_Sequence__c is refused and rolled back, its event included', async () => {
    expect((await publish('vr1', 100, '#1')).status).toBe(200);
    expect((await publish('vr1', 300, '#3')).status).toBe(200);
    const late = await publish('vr1', 200, '#2 late');
    // A composite answers 200; the refusal is in its subresponses.
    expect(late.status).toBe(200);
    const { compositeResponse } = (await late.json()) as CompositeResult;
    expect(compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [
        {
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: expect.stringContaining('SYNC_DOCTOR_STALE_STATUS'),
          fields: ['Relay_Sequence__c'],
        },
      ],
    });
    expect(record('vr1')).toMatchObject({ Title__c: '#3', Relay_Sequence__c: 300 });
    expect(events('vr1')).toEqual(['#1', '#3']);
  });

  test('the same sequence again, a larger one, a first insert and a write without one all pass', async () => {
    expect((await publish('vr2', 500, 'first')).status).toBe(200);
    expect((await publish('vr2', 500, 'same again')).status).toBe(200);
    expect((await publish('vr2', 501, 'next')).status).toBe(200);
    // A writer that does not send the field (an older relay) leaves it as it is.
    expect((await publish('vr2', undefined, 'no sequence')).status).toBe(200);
    expect(record('vr2')).toMatchObject({ Title__c: 'no sequence', Relay_Sequence__c: 501 });
    // A record written before the field existed has none: any sequence may follow.
    expect((await publish('vr3', undefined, 'old relay')).status).toBe(200);
    expect((await publish('vr3', 1, 'new relay')).status).toBe(200);
    expect(record('vr3')).toMatchObject({ Title__c: 'new relay', Relay_Sequence__c: 1 });
  });
});

describe('the formula subset', () => {
  const rule = (formula: string) =>
    compileRule({ name: 'R', formula, message: 'refused', field: 'X__c' });
  const fires = (
    formula: string,
    prior: Record<string, unknown> | null,
    next: Record<string, unknown>,
  ) => {
    try {
      checkValidationRules([rule(formula)], prior, next);
      return false;
    } catch (error) {
      expect(error).toMatchObject({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
      return true;
    }
  };

  test('ISNEW, PRIORVALUE, ISCHANGED, ISBLANK, AND/OR/NOT and comparisons', () => {
    const backwards = 'AND(NOT(ISNEW()), X__c < PRIORVALUE(X__c))';
    expect(fires(backwards, { X__c: 2 }, { X__c: 1 })).toBe(true);
    expect(fires(backwards, { X__c: 2 }, { X__c: 2 })).toBe(false);
    expect(fires(backwards, null, { X__c: 1 })).toBe(false);
    // A comparison with a blank is not true.
    expect(fires(backwards, { X__c: null }, { X__c: 1 })).toBe(false);
    expect(fires('ISCHANGED(x__c) && ISBLANK(Y__c)', { X__c: 1 }, { X__c: 2 })).toBe(true);
    expect(fires('OR(X__c >= 10, X__c <> 3)', { X__c: 3 }, { X__c: 3 })).toBe(false);
  });

  test('a formula outside the subset is refused when the org is built, never ignored', () => {
    expect(() => rule('REGEX(X__c, "a")')).toThrow(/validation rule R: .*(REGEX|cannot read)/);
    expect(() => rule('X__c + 1 > 2')).toThrow(/validation rule R: cannot read/);
  });
});
