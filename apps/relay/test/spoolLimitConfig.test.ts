import { ConfigError, ENVIRONMENT_HELP, loadConfig } from '../src/config.js';

// RELAY_SPOOL_LIMIT_MB: how much of signed sync-errors uploads may sit in the spool at once.

const MB = 1024 * 1024;
const KEY = { RELAY_SECRET_KEY: 'a'.repeat(64) };

describe('RELAY_SPOOL_LIMIT_MB', () => {
  test('unset, the spool holds four full-size uploads (the route’s default)', () => {
    expect(loadConfig(KEY).limits.spoolBytes).toBeUndefined();
  });

  test('a whole number of megabytes, at least RELAY_CSV_LIMIT', () => {
    expect(loadConfig({ ...KEY, RELAY_SPOOL_LIMIT_MB: '1024' }).limits.spoolBytes).toBe(1024 * MB);
    expect(loadConfig({ ...KEY, RELAY_SPOOL_LIMIT_MB: '100' }).limits.spoolBytes).toBe(100 * MB);
    const small = { ...KEY, RELAY_CSV_LIMIT: String(MB), RELAY_SPOOL_LIMIT_MB: '1' };
    expect(loadConfig(small).limits).toMatchObject({ csvBodyBytes: MB, spoolBytes: MB });
  });

  test.each(['abc', '0', '-5', '1.5', '2MB', '99999999999999'])(
    '"%s" is a clear startup error',
    (value) => {
      expect(() => loadConfig({ ...KEY, RELAY_SPOOL_LIMIT_MB: value })).toThrow(
        new ConfigError(
          `RELAY_SPOOL_LIMIT_MB must be a whole number of megabytes >= 1, got "${value}"`,
        ),
      );
    },
  );

  test('smaller than one upload of RELAY_CSV_LIMIT is a startup error that says how much', () => {
    expect(() => loadConfig({ ...KEY, RELAY_SPOOL_LIMIT_MB: '99' })).toThrow(
      new ConfigError(
        'RELAY_SPOOL_LIMIT_MB must hold at least one upload of RELAY_CSV_LIMIT (104857600 bytes: 100 MB or more), got 99 MB',
      ),
    );
    expect(() =>
      loadConfig({ ...KEY, RELAY_CSV_LIMIT: String(MB + 1), RELAY_SPOOL_LIMIT_MB: '1' }),
    ).toThrow(/at least one upload of RELAY_CSV_LIMIT \(1048577 bytes: 2 MB or more\)/);
  });

  test('is listed in --help', () => {
    expect(ENVIRONMENT_HELP).toMatch(/RELAY_SPOOL_LIMIT_MB\s+MB of signed sync-errors uploads/);
    expect(ENVIRONMENT_HELP).toContain('4 x RELAY_CSV_LIMIT');
  });
});
