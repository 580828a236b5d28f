import type { FastifyBaseLogger } from 'fastify';
import { SyncErrorsCarrier } from '../src/outbox/syncErrors.js';
import type { DeliveryTarget } from '../src/publisher/types.js';
import type { ClaimedDelivery, RelayStore } from '../src/store/types.js';

// The app's Apex cannot reach the Tooling API, so the relay names the validation rule behind each
// custom-code group of the sync errors it carries: one read per export, through the portal's own
// session, and never a reason for a status to go late or not at all.

const PORTAL = '4400011';
const TARGET = {
  portalId: PORTAL,
  configVersion: 1,
  portalCreatedAt: '2026-12-01T00:00:00.000Z',
  salesforce: { kind: 'token', instanceUrl: 'https://example.my.salesforce.com', accessToken: 'x' },
} as DeliveryTarget;

const finding = (errorType: string, example: string, count = 1) => ({
  reason: null,
  errorType,
  object: 'Contact',
  field: 'Phone',
  count,
  example,
});
const VALIDATION = finding(
  'Custom code',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]',
  4,
);
const DUPLICATE = finding('Duplicate', 'DUPLICATES_DETECTED: Use one of these records?');

const RULE = {
  attributes: { type: 'ValidationRule' },
  Id: '03d5g0000000AAAAAA',
  ValidationName: 'Phone_Has_10_Digits',
  Active: true,
  ErrorMessage: 'Phone must have 10 digits',
  ErrorDisplayField: 'Phone',
  EntityDefinition: { QualifiedApiName: 'Contact' },
};

function storeWith(findings: object[]): RelayStore {
  const record = {
    id: 7,
    portalId: PORTAL,
    receivedAt: '2026-12-02T09:00:00.000Z',
    report: { rows: 5, findings },
  };
  return {
    latestSyncErrorReportId: async () => ({ id: record.id, receivedAt: record.receivedAt }),
    latestSyncErrorReport: async () => record,
  } as unknown as RelayStore;
}

const run = [{ portalId: PORTAL, status: { portalId: PORTAL } }] as unknown as ClaimedDelivery[];

function carrier(findings: object[], read?: (target: DeliveryTarget) => Promise<unknown[] | null>) {
  const warn = jest.fn();
  const log = { warn } as unknown as FastifyBaseLogger;
  const validationRules = read ? jest.fn(read) : undefined;
  const c = new SyncErrorsCarrier({
    store: storeWith(findings),
    log,
    publisher: validationRules ? { validationRules } : {},
  });
  const groups = async (target: DeliveryTarget | null = TARGET) => {
    const [delivery] = await c.attach(run, target ?? undefined);
    return (delivery!.status.syncErrors as { groups: { validationRules?: unknown }[] }).groups;
  };
  return { groups, validationRules, warn };
}

describe('the sync errors a status carries name their validation rules', () => {
  afterEach(() => jest.useRealTimers());

  it("reads the org's rules once per export and names each custom-code group's", async () => {
    const { groups, validationRules } = carrier([VALIDATION, DUPLICATE], async () => [RULE]);
    for (let i = 0; i < 2; i++)
      expect((await groups()).map((g) => g.validationRules)).toEqual([
        [{ object: 'Contact', name: 'Phone_Has_10_Digits' }],
        undefined,
      ]);
    expect(validationRules).toHaveBeenCalledTimes(1);
    expect(validationRules).toHaveBeenCalledWith(TARGET);
  });

  it('costs no request for an export without a custom-code group, nor for a parked run', async () => {
    const { groups, validationRules } = carrier([DUPLICATE], async () => [RULE]);
    await groups();
    expect(validationRules).not.toHaveBeenCalled();
    const parked = carrier([VALIDATION], async () => [RULE]);
    expect((await parked.groups(null))[0]).not.toHaveProperty('validationRules');
    expect(parked.validationRules).not.toHaveBeenCalled();
  });

  it('goes without names when the relay user may not read the rules, says what to assign once, and does not ask again', async () => {
    const { groups, validationRules, warn } = carrier([VALIDATION], async () => null);
    expect((await groups())[0]).not.toHaveProperty('validationRules');
    await groups();
    expect(validationRules).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      { portalId: PORTAL },
      expect.stringContaining(
        '"View Setup and Configuration": assign Sync_Doctor_Relay_Access_Watch',
      ),
    );
  });

  it('says a refused read once per portal, not once per export', async () => {
    let reportId = 7;
    const warn = jest.fn();
    const store = {
      latestSyncErrorReportId: async () => ({
        id: reportId,
        receivedAt: '2026-12-02T09:00:00.000Z',
      }),
      latestSyncErrorReport: async () => ({
        id: reportId,
        portalId: PORTAL,
        receivedAt: '2026-12-02T09:00:00.000Z',
        report: { rows: 4, findings: [VALIDATION] },
      }),
    } as unknown as RelayStore;
    const validationRules = jest.fn(async () => null);
    const c = new SyncErrorsCarrier({
      store,
      log: { warn } as unknown as FastifyBaseLogger,
      publisher: { validationRules },
    });
    await c.attach(run, TARGET);
    reportId = 8;
    await c.attach(run, TARGET);
    // Each export is asked about (the user may have been given the right since), said once.
    expect(validationRules).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('goes without names when the read fails, says so, and tries again with the next send', async () => {
    let fail = true;
    const { groups, validationRules, warn } = carrier([VALIDATION], async () => {
      if (fail) throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
      return [RULE];
    });
    expect((await groups())[0]).not.toHaveProperty('validationRules');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ portalId: PORTAL }),
      "could not read the org's validation rules; the sync errors go without their names",
    );
    fail = false;
    expect((await groups())[0]!.validationRules).toEqual([
      { object: 'Contact', name: 'Phone_Has_10_Digits' },
    ]);
    expect(validationRules).toHaveBeenCalledTimes(2);
  });

  it('never holds a status more than 5 s for the rules', async () => {
    jest.useFakeTimers();
    const { groups, warn } = carrier([VALIDATION], () => new Promise(() => undefined));
    const sent = groups();
    await jest.advanceTimersByTimeAsync(5_000);
    expect((await sent)[0]).not.toHaveProperty('validationRules');
    expect(warn.mock.calls[0]![0].err.message).toBe('no answer within 5 s');
  });
});
