import * as crypto from 'node:crypto';
import { constantTimeEqual } from '../src/crypto/secrets.js';
import { ADMIN_TOKEN, startTestRelay, type TestRelay } from './helpers.js';

// The admin token is compared in time that says nothing about its length: the guess is written
// into a buffer of the token's length and timingSafeEqual compares that many bytes for every guess,
// however long. (Comparing the strings returned at once on a length mismatch, so timing told an
// attacker the token's length.)

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = crypto.timingSafeEqual as jest.MockedFunction<
  typeof crypto.timingSafeEqual
>;
const TOKEN_BYTES = Buffer.byteLength(ADMIN_TOKEN);

describe('constantTimeEqual', () => {
  beforeEach(() => timingSafeEqual.mockClear());

  it.each([
    ['the same', ADMIN_TOKEN, true],
    ['a shorter guess', 'x', false],
    ['a longer guess', `${ADMIN_TOKEN}-and-more`, false],
    ['the empty string', '', false],
    ['a guess of the same length', ADMIN_TOKEN.replace(/.$/, '!'), false],
  ])('compares as many bytes as the token has for %s', (_label, guess, equal) => {
    expect(constantTimeEqual(guess, ADMIN_TOKEN)).toBe(equal);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [left, right] = timingSafeEqual.mock.calls[0]!;
    expect([(left as Buffer).length, (right as Buffer).length]).toEqual([TOKEN_BYTES, TOKEN_BYTES]);
  });

  describe('through the admin API', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay();
    });
    afterAll(async () => relay.close());

    it.each([['short'], [`${ADMIN_TOKEN}0`], [ADMIN_TOKEN.slice(0, -1)]])(
      'a token of another length (%s) is compared in full and refused',
      async (guess) => {
        const response = await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals',
          headers: { authorization: `Bearer ${guess}` },
        });
        expect(response.statusCode).toBe(401);
        const lengths = timingSafeEqual.mock.calls.map(([l, r]) => [
          (l as Buffer).length,
          (r as Buffer).length,
        ]);
        expect(lengths).toContainEqual([TOKEN_BYTES, TOKEN_BYTES]);
      },
    );

    it('a guess that starts with the token, or is cut from it, is refused', () => {
      expect(constantTimeEqual(`${ADMIN_TOKEN}x`, ADMIN_TOKEN)).toBe(false);
      expect(constantTimeEqual(ADMIN_TOKEN.slice(0, -1), ADMIN_TOKEN)).toBe(false);
      expect(constantTimeEqual(`${ADMIN_TOKEN.slice(0, -1)}\u00e9`, ADMIN_TOKEN)).toBe(false);
    });

    it('the right token passes', async () => {
      const response = await relay.app.inject({
        method: 'GET',
        url: '/v1/admin/portals',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.statusCode).toBe(200);
    });
  });
});
