import { startTestRelay } from './helpers.js';

// RELAY_PUBLIC_URL is documented as the relay's external URL shown in the docs. It was read and
// checked at start, then used nowhere: /docs offered "Try it out" against the page's own origin,
// and a client generated from /docs/json had no server to call.
describe('RELAY_PUBLIC_URL in the OpenAPI document', () => {
  const servers = async (publicUrl: string | null) => {
    const relay = await startTestRelay({ publicUrl });
    try {
      const answer = await relay.app.inject({ method: 'GET', url: '/docs/json' });
      expect(answer.statusCode).toBe(200);
      return (answer.json() as { servers?: unknown }).servers;
    } finally {
      await relay.close();
    }
  };

  test('is the server /docs and /docs/json name', async () => {
    expect(await servers('https://relay.example.com')).toEqual([
      { url: 'https://relay.example.com' },
    ]);
  });

  test('unset, the document names no server (clients use the origin they fetched it from)', async () => {
    expect(await servers(null)).toBeUndefined();
  });
});
