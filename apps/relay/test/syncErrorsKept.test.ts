import * as core from '@sync-doctor/core';
import { signPayload } from '../src/crypto/signature.js';
import { MAX_KEPT_MESSAGE } from '../src/inputs/syncErrors.js';
import { admin, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// A sync-errors export may hold rows of up to 1 MB. Each error group keeps at most
// MAX_KEPT_MESSAGE characters of its message for the classifier (the stored finding says when it
// was cut), and a signed upload's signature is checked before any group is classified.

jest.mock('@sync-doctor/core', () => {
  const actual = jest.requireActual<typeof import('@sync-doctor/core')>('@sync-doctor/core');
  return { ...actual, classifySyncErrorText: jest.fn(actual.classifySyncErrorText) };
});
const classify = core.classifySyncErrorText as jest.MockedFunction<
  typeof core.classifySyncErrorText
>;

const HEADER = 'Error type,Object,Field,Record ID,Error message\r\n';
const LONG = `INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry. ${'x'.repeat(900_000)}`;

describe('sync-errors: what is kept of each message', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '8800077';
  const url = `/v1/portals/${portalId}/sync-errors`;

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());
  beforeEach(() => classify.mockClear());

  it('keeps about 4 KB of a long message, classifies from it, and says it was cut', async () => {
    const body = `${HEADER}Salesforce field permission,Contact,Industry,101,${LONG}\r\nPicklist,Lead,Rating,301,short message\r\n`;
    const response = await relay.app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const findings = response.json().report.findings as {
      errorType: string;
      reason: string | null;
      example: string;
      messageTruncated?: boolean;
    }[];
    const long = findings.find((f) => f.errorType === 'Salesforce field permission')!;
    expect(long).toMatchObject({ reason: 'FIELD_PERMISSIONS_MISSING', messageTruncated: true });
    expect(long.example.endsWith('…')).toBe(true);
    expect(long.example.length).toBeLessThanOrEqual(501);
    const short = findings.find((f) => f.errorType === 'Picklist')!;
    expect(short.example).toBe('short message');
    expect(short).not.toHaveProperty('messageTruncated');
    // The classifier saw the kept part only.
    for (const [text] of classify.mock.calls)
      expect(text.length).toBeLessThanOrEqual(
        'Salesforce field permission\n'.length + MAX_KEPT_MESSAGE,
      );
    // And it is what is stored.
    const latest = await relay.app.inject({ method: 'GET', url: `${url}/latest`, headers: admin });
    expect(latest.json().report.findings).toEqual(findings);
  });

  it('checks a signature before classifying anything, and stores nothing forged', async () => {
    const body = `${HEADER}Salesforce field permission,Contact,Industry,101,INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry\r\n`;
    const timestamp = Math.floor(Date.now() / 1000);
    const before = (
      await relay.app.inject({ method: 'GET', url: `${url}/latest`, headers: admin })
    ).json().id;
    const forged = await relay.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'text/csv',
        'x-sync-doctor-timestamp': String(timestamp),
        'x-sync-doctor-signature': signPayload('sdwh_wrong', timestamp, body),
      },
      payload: body,
    });
    expect([forged.statusCode, forged.json().code]).toEqual([401, 'SIGNATURE_MISMATCH']);
    expect(classify).not.toHaveBeenCalled();
    expect(
      (await relay.app.inject({ method: 'GET', url: `${url}/latest`, headers: admin })).json().id,
    ).toBe(before);

    const genuine = await relay.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'text/csv',
        'x-sync-doctor-timestamp': String(timestamp),
        'x-sync-doctor-signature': signPayload(secret, timestamp, body),
      },
      payload: body,
    });
    expect(genuine.statusCode).toBe(201);
    expect(classify).toHaveBeenCalled();
    expect(genuine.json().id).not.toBe(before);
  });
});
