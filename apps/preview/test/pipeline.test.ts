/**
 * The LWC OSS pipeline on its own. A sample component (test-fixtures/lwc/previewSample) built with
 * the real lightning-base-components and SLDS renders in Chromium in native shadow (the real app's
 * tests cover synthetic shadow, as Lightning Experience renders); its Apex import reaches the
 * preview endpoint, its empApi subscription receives Server-Sent Events, and its ShowToastEvent
 * becomes an SLDS toast.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { ApexCallError, type ApexController } from '../src/server/apexErrors.js';
import { previewPlugin } from '../src/server/previewPlugin.js';
import { launchChromium, type LaunchedBrowser } from '../src/e2e/chromium.js';
import { BUILD_TIMEOUT_MS, requireChromium, sampleBundle } from './support/bundles.js';

interface SampleServer {
  app: FastifyInstance;
  url: string;
  apexCalls: { method: string; params: Record<string, unknown> }[];
  push(data: unknown): void;
}

async function startSampleServer(shadow: 'synthetic' | 'native'): Promise<SampleServer> {
  const apexCalls: SampleServer['apexCalls'] = [];
  const apex: ApexController = {
    methods: ['getSettings', 'failing'],
    async call(method: string, params: Record<string, unknown>) {
      apexCalls.push({ method, params });
      if (method === 'failing') throw new ApexCallError('Insufficient privileges', 403);
      return JSON.stringify({ userId: '005000000000001AAA', portalId: '4242', extraFields: [] });
    },
  };
  // Closing destroys every connection, not only idle ones: on a busy machine a connection still
  // open at close (a stream's, or a client's keep-alive socket) held app.close() until afterAll
  // timed out at 60 s (once in three runs beside three busy processes; none in four with this).
  const app = Fastify({ forceCloseConnections: true });
  const streams = new Set<import('node:http').ServerResponse>();
  // An SSE source shaped like the relay's: the current status first, then one `status` event per change.
  app.get('/test/stream', (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    reply.raw.write(
      `event: status\ndata: ${JSON.stringify({ portalId: '4242', state: 'cleared', reason: null })}\n\n`,
    );
    streams.add(reply.raw);
    request.raw.on('close', () => streams.delete(reply.raw));
  });
  const publicDir = sampleBundle(shadow);
  await app.register(previewPlugin, {
    apex,
    publicDir,
    portalId: '4242',
    streamUrl: '/test/stream',
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    apexCalls,
    push(data) {
      for (const stream of streams)
        stream.write(`event: status\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}

let launched: LaunchedBrowser;
let browser: BrowserContext;

beforeAll(async () => {
  requireChromium();
  launched = await launchChromium();
  browser = launched.browser;
});

afterAll(async () => {
  await launched?.close();
});

async function openSample(server: SampleServer): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url + '/');
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true');
  return { page, errors };
}

describe.each(['native'] as const)('sample component in %s shadow', (shadow) => {
  let server: SampleServer;
  beforeAll(async () => {
    server = await startSampleServer(shadow);
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await server.app.close();
  });

  test('base components render with SLDS styles, Apex and toasts work', async () => {
    const { page, errors } = await openSample(server);
    try {
      await page.getByText('"portalId":"4242"').waitFor();
      expect(server.apexCalls).toEqual([{ method: 'getSettings', params: {} }]);

      // lightning-datatable rendered its rows from the component's data.
      await page.getByRole('gridcell', { name: 'missing' }).waitFor();
      expect(await page.getByRole('row').count()).toBe(3);

      // The card header comes from the custom label's name (no CustomLabels in the fixture).
      await page.getByText('Sync_Doctor_Preview_Sample').waitFor();

      // SLDS reaches the base components in both modes: global CSS in synthetic, their own in native.
      const button = page.getByRole('button', { name: 'Toast' });
      const background = await button.evaluate(
        (element) => getComputedStyle(element).backgroundColor,
      );
      expect(background).toBe('rgb(1, 118, 211)');
      const renderMode = await page.locator('lightning-card').getAttribute('data-render-mode');
      expect(renderMode).toBe(shadow === 'native' ? 'shadow' : null);

      await button.click();
      const toast = page.locator('.slds-notify_toast');
      await toast.waitFor();
      expect(await toast.getAttribute('data-variant')).toBe('success');
      expect(await toast.innerText()).toContain('It worked');

      // A change on the stream reaches the component through the empApi stand-in; the opening
      // snapshot does not (a replay -1 subscription only sees new events).
      await page.waitForTimeout(300);
      expect(await page.locator('[data-id="events"]').innerText()).toBe('');
      server.push({
        portalId: '4242',
        state: 'suspended',
        reason: 'OBJECT_PERMISSIONS',
        title: 'x',
        source: 'webhook',
      });
      await page.locator('[data-id="events"]').getByText('suspended').waitFor({ timeout: 2000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// Real HTTP rather than app.inject: light-my-request's cookie dependency is ESM-only under jest.
async function request(url: string, init: { method?: string; body?: string; json?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers:
      init.json !== undefined || init.body !== undefined
        ? { 'content-type': 'application/json' }
        : {},
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { statusCode: response.status, body: text, json: () => JSON.parse(text) };
}

describe('preview endpoints', () => {
  let server: SampleServer;
  beforeAll(async () => {
    server = await startSampleServer('native');
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await server.app.close();
  });

  test('an unknown method is a 404 with a clear message', async () => {
    const response = await request(server.url + '/preview/apex/dropDatabase', {
      method: 'POST',
      json: {},
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toMatch(/no method "dropDatabase"/);
  });

  test('a body that is not an object of arguments is a 400', async () => {
    const response = await request(server.url + '/preview/apex/getSettings', {
      method: 'POST',
      json: [1, 2],
    });
    expect(response.statusCode).toBe(400);
    const malformed = await request(server.url + '/preview/apex/getSettings', {
      method: 'POST',
      body: '{"userId":',
    });
    expect(malformed.statusCode).toBe(400);
  });

  test("a controller error keeps its status and message, as AuraHandledException's", async () => {
    const response = await request(server.url + '/preview/apex/failing', {
      method: 'POST',
      json: {},
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: { message: 'Insufficient privileges', exceptionType: 'AuraHandledException' },
    });
  });

  test('the page, the bundle and SLDS assets are served', async () => {
    const page = await request(server.url + '/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/preview/static/app.js">');
    const bundle = await request(server.url + '/preview/static/app.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body).toContain('LWC compiler v9');
    const css = await request(
      server.url + '/assets/styles/salesforce-lightning-design-system.min.css',
    );
    expect(css.statusCode).toBe(200);
    const sprite = await request(server.url + '/assets/icons/utility-sprite/svg/symbols.svg');
    expect(sprite.statusCode).toBe(200);
    const config = await request(server.url + '/preview/config.json');
    expect(config.json()).toMatchObject({ portalId: '4242', streamUrl: '/test/stream' });
  });
});
