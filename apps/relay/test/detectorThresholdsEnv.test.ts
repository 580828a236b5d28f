import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import { ConfigError } from '../src/envValues.js';
import { signalsConfigFromEnv } from '../src/signalsConfig.js';
import { admin, createPortal } from './helpers.js';
import { startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// A portal whose quiet hours change only unmapped properties can look stalled with the default
// five lagging records; the SRE raises the bar from the environment, checked at start.
describe('detector thresholds from the environment', () => {
  test('are read, and unset ones keep the defaults', () => {
    expect(signalsConfigFromEnv({}).detector).not.toHaveProperty('thresholds');
    expect(
      signalsConfigFromEnv({
        RELAY_DETECTOR_MIN_LAGGING: '40',
        RELAY_DETECTOR_STALE_AFTER_MS: '10800000',
      }).detector.thresholds,
    ).toEqual({
      minLaggingRecords: 40,
      staleAfterMs: 10_800_000,
    });
    expect(signalsConfigFromEnv({ RELAY_DETECTOR_GRACE_MS: '0' }).detector.thresholds).toEqual({
      graceMs: 0,
    });
    expect(
      signalsConfigFromEnv({ RELAY_DETECTOR_OUTAGE_CATCH_UP_MS: '0' }).detector.thresholds,
    ).toEqual({ outageCatchUpMs: 0 });
  });

  test.each([
    [{ RELAY_DETECTOR_MIN_LAGGING: 'many' }, /RELAY_DETECTOR_MIN_LAGGING must be an integer/],
    [{ RELAY_DETECTOR_MIN_LAGGING: '0' }, /minLaggingRecords must be a number from 1/],
    [{ RELAY_DETECTOR_STALE_AFTER_MS: '5000' }, /staleAfterMs must be a number from 60000/],
    [{ RELAY_DETECTOR_GRACE_MS: '-1' }, /RELAY_DETECTOR_GRACE_MS must be an integer >= 0/],
    [
      { RELAY_DETECTOR_OUTAGE_CATCH_UP_MS: '99999999999' },
      /outageCatchUpMs must be a number from 0 to 86400000/,
    ],
  ])('refuse %j with a clear message', (env, message) => {
    expect(() => signalsConfigFromEnv(env)).toThrow(ConfigError);
    expect(() => signalsConfigFromEnv(env)).toThrow(message);
  });

  describe('reach the detector', () => {
    const PORTAL = '4790';
    let sim: HubSpotSimulator;
    let relay: SignalsRelay;
    beforeAll(async () => {
      sim = await startHubSpotSimulator({
        scenario: 'stalled',
        portalId: PORTAL,
        searchRequestsPerSecond: 1000,
      });
      const signals = signalsConfigFromEnv({
        RELAY_DETECTOR: 'on',
        HUBSPOT_API_BASE_URL: sim.url,
        RELAY_DETECTOR_MIN_LAGGING: '10000',
        RELAY_ALERTS: 'off',
      });
      relay = await startSignalsRelay({
        signals: { ...signals, detector: { ...signals.detector, requestSpacingMs: 0 } },
      });
      await createPortal(relay.app, PORTAL);
      await relay.app.inject({
        method: 'PUT',
        url: `/v1/admin/portals/${PORTAL}/hubspot`,
        headers: admin,
        payload: { token: sim.accessToken },
      });
    });
    afterAll(async () => {
      await relay?.close();
      await sim?.close();
    });

    test('a stall too small for the raised bar is inconclusive, not suspected', async () => {
      const check = await relay.app.inject({
        method: 'POST',
        url: `/v1/admin/portals/${PORTAL}/hubspot/check`,
        headers: admin,
      });
      expect(check.statusCode).toBe(200);
      expect(check.json()).toMatchObject({ verdict: 'inconclusive', transition: null });
      expect(
        (
          await relay.app.inject({
            method: 'GET',
            url: `/v1/portals/${PORTAL}/state`,
            headers: admin,
          })
        ).json().state,
      ).not.toBe('suspected');
    });
  });
});
