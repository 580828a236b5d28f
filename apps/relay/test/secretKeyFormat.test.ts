import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, generateSecretKey, loadConfig, parseSecretKey } from '../src/config.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { tempDir } from './helpers.js';

// Buffer.from(text, 'base64') skips the characters it does not know and reads both alphabets, so
// a passphrase of letters and dashes was taken for a 32-byte key: a weak key, and one no other
// tool would read the same way. Only canonical base64 (or base64url) of 32 bytes, or 64 hex
// characters, is a key now; every key in those forms keeps working.

const PASSPHRASE = 'my-production-relay-key-please-keep-it-safe';

const refusal = (text: string, name?: string): string => {
  try {
    parseSecretKey(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`taken for a key: ${JSON.stringify(text)}`);
};

describe('RELAY_SECRET_KEY and secret.key', () => {
  test('a passphrase is refused, saying how to make a key and never repeating it', () => {
    expect(PASSPHRASE).toHaveLength(43);
    const message = refusal(PASSPHRASE);
    expect(message).toContain('RELAY_SECRET_KEY must be 32 random bytes');
    expect(message).toContain('openssl rand -base64 32');
    expect(message).not.toContain(PASSPHRASE);
  });

  test('so is anything but canonical base64, base64url or hex of exactly 32 bytes', () => {
    const key = randomBytes(32);
    const base64 = key.toString('base64');
    const hex = key.toString('hex');
    for (const text of [
      '',
      'a'.repeat(43),
      // 43 characters whose last one carries bits beyond the 32nd byte.
      'A'.repeat(42) + 'B',
      // Characters base64 does not have, which the lenient decoder skipped.
      base64.slice(0, 20) + '!' + base64.slice(20),
      base64.slice(0, 20) + ' ' + base64.slice(20),
      base64.slice(0, 20) + '.' + base64.slice(21),
      // Both alphabets at once.
      'ab+_' + base64.slice(4).replace(/[+_/-]/g, 'A'),
      base64 + '=',
      base64.slice(0, -2) + '==',
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(48).toString('base64'),
      hex.slice(1),
      hex + '0',
      hex.slice(0, 63) + 'g',
    ])
      expect(refusal(text)).toContain('openssl rand -base64 32');
  });

  test('keys as `openssl rand -base64 32` and `-hex 32` print them, and their variants, are read as before', () => {
    for (let i = 0; i < 300; i++) {
      const key = randomBytes(32);
      for (const text of [
        `${key.toString('base64')}\n`, // openssl rand -base64 32
        `${key.toString('hex')}\n`, // openssl rand -hex 32
        key.toString('base64').replace(/=$/, ''),
        key.toString('base64url'),
        `${key.toString('base64url')}=`,
        key.toString('hex').toUpperCase(),
        ` ${key.toString('base64')}\r\n`,
      ])
        expect(parseSecretKey(text)).toEqual(key);
    }
  });

  test('a key the relay generates is always read back, from secret.key too', () => {
    for (let i = 0; i < 1000; i++) {
      const text = generateSecretKey();
      expect(parseSecretKey(`${text}\n`)).toEqual(Buffer.from(text, 'base64'));
    }
    const dir = tempDir();
    try {
      for (let i = 0; i < 50; i++) {
        const dataDir = join(dir.path, `data-${i}`);
        const generated = loadConfig({ RELAY_DATA_DIR: dataDir }).secretKey;
        const written = readFileSync(join(dataDir, 'secret.key'), 'utf8');
        expect(written).toBe(`${generated.toString('base64')}\n`);
        expect(loadConfig({ RELAY_DATA_DIR: dataDir }).secretKey).toEqual(generated);
      }
    } finally {
      dir.remove();
    }
  });

  test('a passphrase in secret.key is refused too, naming the file', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'secret.key'), `${PASSPHRASE}\n`, { mode: 0o600 });
      expect(() => loadConfig({ RELAY_DATA_DIR: dir.path })).toThrow(ConfigError);
      expect(() => loadConfig({ RELAY_DATA_DIR: dir.path })).toThrow(
        `${join(dir.path, 'secret.key')} must be 32 random bytes`,
      );
    } finally {
      dir.remove();
    }
  });

  test('the binary refuses a passphrase as a configuration error: one line, exit 2, no echo', () => {
    assertBuilt();
    const dir = tempDir();
    try {
      const run = runRelayBin(
        { PORT: '0', RELAY_DATA_DIR: dir.path, RELAY_SECRET_KEY: PASSPHRASE },
        { killSignal: 'SIGKILL' },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^configuration error: RELAY_SECRET_KEY must be 32 random bytes[^\n]*openssl rand -base64 32[^\n]*\n$/,
      );
      expect(run.stderr + run.stdout).not.toContain(PASSPHRASE);
    } finally {
      dir.remove();
    }
  });
});
