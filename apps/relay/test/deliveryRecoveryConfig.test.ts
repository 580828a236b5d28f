import { ConfigError, ENVIRONMENT_HELP, loadConfig } from '../src/config.js';
import { nextRecoveryAt } from '../src/outbox/recovery.js';
import { tempDir } from './helpers.js';

// The settings of the automatic re-queue of deliveries given up during a Salesforce outage, and
// the schedule of its checks: from the first delay, as far apart as the outage has lasted, at most
// the longest wait, and none once it has lasted the whole window.
describe('RELAY_OUTBOX_RECOVERY settings', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const load = (env: Record<string, string>) => loadConfig({ RELAY_DATA_DIR: dir.path, ...env });

  test('on by default: first check after 5 minutes, then up to hourly, for 3 days', () => {
    expect(load({}).deliveryRecovery).toEqual({
      enabled: true,
      firstDelayMs: 300_000,
      maxDelayMs: 3_600_000,
      forMs: 259_200_000,
    });
  });

  test('turned off or tuned from the environment, a first check later than the longest refused', () => {
    expect(load({ RELAY_OUTBOX_RECOVERY: 'off' }).deliveryRecovery.enabled).toBe(false);
    expect(
      load({
        RELAY_OUTBOX_RECOVERY_FIRST_MS: '60000',
        RELAY_OUTBOX_RECOVERY_MAX_MS: '600000',
        RELAY_OUTBOX_RECOVERY_FOR_MS: '86400000',
      }).deliveryRecovery,
    ).toEqual({ enabled: true, firstDelayMs: 60_000, maxDelayMs: 600_000, forMs: 86_400_000 });
    expect(() => load({ RELAY_OUTBOX_RECOVERY: 'maybe' })).toThrow(ConfigError);
    expect(() => load({ RELAY_OUTBOX_RECOVERY_FIRST_MS: '7200000' })).toThrow(
      /RELAY_OUTBOX_RECOVERY_FIRST_MS 7200000 is above RELAY_OUTBOX_RECOVERY_MAX_MS \(default 3600000\)/,
    );
    expect(ENVIRONMENT_HELP).toMatch(/RELAY_OUTBOX_RECOVERY +"off"/);
    // Read as flowing text, so the help may be rewrapped.
    expect(ENVIRONMENT_HELP.replace(/\s+/g, ' ')).toContain(
      'RELAY_OUTBOX_RECOVERY_FIRST_MS first check after the give-up (default 300000; not above RELAY_OUTBOX_RECOVERY_MAX_MS)',
    );
    expect(ENVIRONMENT_HELP).toContain('RELAY_OUTBOX_RECOVERY_FOR_MS');
  });

  test('checks spaced as long as the outage has lasted, capped, and stopped after the window', () => {
    const config = {
      enabled: true,
      firstDelayMs: 300_000,
      maxDelayMs: 3_600_000,
      forMs: 86_400_000,
    };
    const since = 1_000_000;
    const wait = (elapsed: number) =>
      nextRecoveryAt(since, since + elapsed, config)!.getTime() - (since + elapsed);
    expect(nextRecoveryAt(null, since, config)!.getTime()).toBe(since + 300_000);
    expect(wait(300_000)).toBe(300_000);
    expect(wait(600_000)).toBe(600_000);
    expect(wait(1_200_000)).toBe(1_200_000);
    expect(wait(5 * 3_600_000)).toBe(3_600_000);
    expect(nextRecoveryAt(since, since + 86_400_000, config)).toBeNull();
    expect(nextRecoveryAt(since, since, { ...config, enabled: false })).toBeNull();
    expect(nextRecoveryAt(since, since, undefined)).toBeNull();
  });
});
