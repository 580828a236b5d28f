import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { previewRoot } from '../../previewRoot.cjs';
import { DEFAULT_OUT_DIR } from '../client/paths.js';
import { ApexCallError, type ApexController } from './apexErrors.js';
import { pageHtml } from './pageHtml.js';
import { serveDirectory } from './staticFiles.js';

/** Configuration the page reads at start (GET /preview/config.json). */
export interface PreviewPageConfig {
  /** The demo portal's SSE stream on the relay, which the empApi stand-in listens to. */
  streamUrl: string | null;
  portalId: string | null;
  userId: string;
  fixture: string | null;
  fixtures: string[];
  /** The demo org's size ('default' or 'large'), null without a demo org. */
  size: string | null;
  sizes: string[];
  /** States laid over the fixture, each with whether it is on. */
  variants: { name: string; label: string; active: boolean }[];
  /**
   * What is wrong with the demo org now, in a sentence or two (the fixture's story, then each
   * variant's): the header says it, since a fixture's name alone ("muted-group") tells a
   * first-time visitor nothing. Null without a demo org.
   */
  story: string | null;
  /** Whether the header offers "Send a demo suspension" (POST /preview/demo-suspension). */
  demoSuspension: boolean;
}

/** What a switch of the demo org may change besides the fixture; absent keeps the current one. */
export interface DemoOrgChoice {
  size?: string;
  variants?: string[];
}

/**
 * Switches the demo org between the simulator's fixtures at run time, in either size, with states
 * laid over them (variants).
 */
export interface FixtureSwitch {
  readonly names: readonly string[];
  readonly sizes?: readonly string[];
  readonly variants?: readonly { name: string; label: string }[];
  current(): string;
  state?(): { size: string; variants: string[] };
  /** The demo org's story now (PreviewPageConfig.story). */
  story?(): string;
  /**
   * Sends the demo org's HubSpot portal the suspension its story brings, signed as HubSpot's side
   * would send it, as the curl lines npm start prints do, then a small Sync Health "Export errors"
   * CSV of the same story (the rows it held, and the relay's word on how they reach Salesforce);
   * answers what was sent.
   */
  sendDemoSuspension?(): Promise<{
    portalId: string;
    reason: string;
    title: string;
    syncErrors?: { rows: number; salesforce: string };
  }>;
  use(name: string, choice?: DemoOrgChoice): Promise<void>;
}

export interface PreviewPluginOptions {
  apex: ApexController;
  /** Folder holding the built app.js. */
  publicDir?: string;
  /** The portal whose stream the page listens to; a function when it changes (the demo org's). */
  portalId?: string | null | (() => string | null);
  /** Default: the relay's `/v1/portals/<portalId>/stream` when a portal is given. */
  streamUrl?: string | null;
  fixtures?: FixtureSwitch;
  title?: string;
  /** Serve the page at `/` too (off when the host app already answers `/`). Default: when free. */
  serveAtRoot?: boolean;
}

const ADMIN_USER_ID = '005000000000000AAA';
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

const requireFromPreview = createRequire(path.join(previewRoot, 'package.json'));
export const SLDS_ASSETS_DIR = path.join(
  path.dirname(requireFromPreview.resolve('@salesforce-ux/design-system/package.json')),
  'assets',
);

/**
 * The browser preview as a Fastify plugin, registered onto the relay (or any Fastify app): the page,
 * the bundle, SLDS under /assets, the controller's methods under /preview/apex/:method, and the demo
 * org's fixture switch. Encapsulated: the host's hooks (rate limits, metrics) apply to these routes,
 * and nothing registered here leaks into the host. The relay's own security headers are for its
 * JSON API only (a CSP of default-src 'none' would stop this page), so the page and its files get
 * @fastify/helmet's document headers here, as the relay's /docs do.
 */
export const previewPlugin: FastifyPluginAsync<PreviewPluginOptions> = async (app, options) => {
  await app.register(helmet, { contentSecurityPolicy: false });
  const publicDir = options.publicDir ?? DEFAULT_OUT_DIR;
  const portal = options.portalId;
  const portalId = (): string | null => (typeof portal === 'function' ? portal() : portal) ?? null;
  const streamUrl = (id: string | null): string | null =>
    options.streamUrl !== undefined
      ? options.streamUrl
      : id
        ? `/v1/portals/${encodeURIComponent(id)}/stream`
        : null;
  const html = pageHtml({ title: options.title ?? 'Sync Doctor' });

  serveDirectory(app, '/assets/', SLDS_ASSETS_DIR, 'public, max-age=86400');
  // The bundle changes with every build: always revalidate.
  serveDirectory(app, '/preview/static/', publicDir, 'no-cache');

  const sendPage = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!existsSync(path.join(publicDir, 'app.js'))) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The preview bundle is not built yet: run `npm run build -w apps/preview`.');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };
  app.get('/preview', sendPage);
  app.get('/preview/', sendPage);
  if (options.serveAtRoot ?? !hasRootRoute(app)) app.get('/', sendPage);

  // Browsers ask for it on every page; answer "none" instead of a 404 in the console.
  if (!app.hasRoute({ method: 'GET', url: '/favicon.ico' }))
    app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  /** The demo org now: fixture, size and variants, as the page's selector and the API say it. */
  const demoOrg = (fixtures: FixtureSwitch) => {
    const state = fixtures.state?.();
    return {
      fixture: fixtures.current(),
      fixtures: [...fixtures.names],
      size: state?.size ?? null,
      sizes: [...(fixtures.sizes ?? [])],
      variants: (fixtures.variants ?? []).map(({ name, label }) => ({
        name,
        label,
        active: state?.variants.includes(name) ?? false,
      })),
      story: fixtures.story?.() ?? null,
      demoSuspension: typeof fixtures.sendDemoSuspension === 'function',
    };
  };

  app.get('/preview/config.json', async (): Promise<PreviewPageConfig> => {
    // Read per request: the page reloads after a switch of the demo org, whose portal it then follows.
    const id = portalId();
    return {
      streamUrl: streamUrl(id),
      portalId: id,
      userId: ADMIN_USER_ID,
      ...(options.fixtures
        ? demoOrg(options.fixtures)
        : {
            fixture: null,
            fixtures: [],
            size: null,
            sizes: [],
            variants: [],
            story: null,
            demoSuspension: false,
          }),
    };
  });

  app.post<{ Params: { method: string } }>(
    '/preview/apex/:method',
    { bodyLimit: 256 * 1024 },
    async (request, reply) => {
      const { method } = request.params;
      if (!METHOD_NAME.test(method) || !options.apex.methods.includes(method)) {
        return reply
          .code(404)
          .send({ error: { message: `SyncDoctorController has no method "${method}"` } });
      }
      const body = request.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) {
        return reply
          .code(400)
          .send({ error: { message: 'The body must be a JSON object of the Apex arguments' } });
      }
      try {
        const result = await options.apex.call(method, body as Record<string, unknown>);
        return { result };
      } catch (error) {
        if (error instanceof ApexCallError) {
          return reply
            .code(error.statusCode)
            .send({ error: { message: error.message, exceptionType: error.exceptionType } });
        }
        request.log.error({ err: error, method }, 'preview apex call failed');
        const message = error instanceof Error ? error.message : 'The org did not answer';
        return reply.code(502).send({ error: { message, exceptionType: 'CalloutException' } });
      }
    },
  );

  app.get('/preview/fixture', async (_request, reply) => {
    if (!options.fixtures)
      return reply.code(404).send({ error: { message: 'This preview has no demo org' } });
    return demoOrg(options.fixtures);
  });

  app.post('/preview/demo-suspension', async (_request, reply) => {
    const send = options.fixtures?.sendDemoSuspension;
    if (!send) return reply.code(404).send({ error: { message: 'This preview has no demo org' } });
    return send();
  });

  app.post('/preview/fixture', async (request, reply) => {
    const fixtures = options.fixtures;
    if (!fixtures)
      return reply.code(404).send({ error: { message: 'This preview has no demo org' } });
    const body = (request.body ?? {}) as { fixture?: unknown; size?: unknown; variants?: unknown };
    const name = typeof body === 'object' ? body.fixture : undefined;
    if (typeof name !== 'string' || !fixtures.names.includes(name)) {
      return reply
        .code(400)
        .send({ error: { message: `fixture must be one of: ${fixtures.names.join(', ')}` } });
    }
    const sizes = fixtures.sizes ?? [];
    if (body.size !== undefined && (typeof body.size !== 'string' || !sizes.includes(body.size))) {
      return reply
        .code(400)
        .send({ error: { message: `size must be one of: ${sizes.join(', ') || '(none)'}` } });
    }
    const known = (fixtures.variants ?? []).map((variant) => variant.name);
    if (
      body.variants !== undefined &&
      (!Array.isArray(body.variants) ||
        !body.variants.every((v): v is string => typeof v === 'string' && known.includes(v)))
    ) {
      return reply.code(400).send({
        error: { message: `variants must be a list of: ${known.join(', ') || '(none)'}` },
      });
    }
    await fixtures.use(name, {
      ...(body.size !== undefined ? { size: body.size as string } : {}),
      ...(body.variants !== undefined ? { variants: body.variants as string[] } : {}),
    });
    return demoOrg(fixtures);
  });
};

function hasRootRoute(app: FastifyInstance): boolean {
  return app.hasRoute({ method: 'GET', url: '/' });
}
