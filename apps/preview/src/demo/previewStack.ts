import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FIXTURE_NAMES,
  FIXTURE_SIZES,
  isFixtureName,
  startOrgSimulator,
  type FixtureName,
  type FixtureSize,
  type OrgSimulator,
  type SRecord,
} from '@sync-doctor/org-simulator';
import { buildApp, loadConfig } from '@sync-doctor/relay';
import { connect, type Connection } from '@sync-doctor/salesforce';
import { STATUS_OBJECT, SUSPENSION_REASONS } from '@sync-doctor/core';
import type { FastifyInstance } from 'fastify';
import { previewPlugin } from '../server/previewPlugin.js';
import { createSyncDoctorController } from '../server/syncDoctorController.js';
import { demoSuspensionReason } from './curlLine.js';
import { addDemoOrgRules } from './demoOrgRules.js';
import { ORG_EVENTS_PATH, registerOrgEventStream } from './orgEventStream.js';
import { signSuspensionRequest, signSyncErrorsUpload } from './signedPost.js';
import { demoSyncErrorsCsv } from './syncErrorsExport.js';
import {
  demoOrgStory,
  isPreviewVariant,
  largeOrgMappedFields,
  PREVIEW_VARIANT_NAMES,
  PREVIEW_VARIANTS,
  variantChanges,
  variantsCanEditSettings,
  variantsCanFix,
  type PreviewVariant,
} from './variants.js';

/** What the preview uses of the relay's decorations (its portals service). */
interface RelayServices {
  portals: {
    create(input: {
      id: string;
      name?: string | null;
      salesforce?: { kind: 'token'; instanceUrl: string; accessToken: string } | null;
    }): Promise<{ signingSecret: string }>;
    rotateSigningSecret(id: string): Promise<string>;
  };
}
type RelayApp = FastifyInstance & RelayServices;

/** The first demo org's HubSpot portal id (healthy's); the others follow in FIXTURE_NAMES' order. */
const FIRST_DEMO_PORTAL_ID = 20250101;
export const DEFAULT_FIXTURE: FixtureName = 'read-only-contacts';

/**
 * The HubSpot portal of a demo org. A HubSpot portal is connected to one Salesforce org, and the
 * relay keeps a suspension per portal: so each demo org has a portal of its own, and a suspension
 * sent for one demo org stays with it (switching to another shows that org's own relayed state).
 */
export function demoPortalId(fixture: FixtureName): string {
  const index = FIXTURE_NAMES.indexOf(fixture);
  if (index < 0)
    throw new Error(`Unknown fixture "${fixture}": one of ${FIXTURE_NAMES.join(', ')}`);
  return String(FIRST_DEMO_PORTAL_ID + index);
}

/** Whether a portal is one of the demo orgs' own (demoPortalId). */
function isDemoPortal(portalId: unknown): boolean {
  return FIXTURE_NAMES.some((name) => demoPortalId(name) === portalId);
}

/**
 * The relay's HubSpot_Sync_Status__c records across switches of the demo org. A switch reloads the
 * simulator's org from its fixture, which has none: without this, the record the relay wrote for a
 * demo org's portal was gone after any switch, a variant ticked on the same org too, and the CLI
 * line npm start prints (and the Apex panel, which reads the record) found no suspension while the
 * relay still held it. `keep` takes the records of the org being left, `restore` puts into the org
 * now loaded those of its own portal (and of any portal no demo org owns, such as one saved by hand),
 * so each demo org holds what the relay wrote for it, as a real org would.
 */
function statusRecordKeeper(sim: OrgSimulator) {
  const kept = new Map<string, SRecord>();
  const portalOf = (row: SRecord) => row[STATUS_OBJECT.fields.portalId];
  const belongsTo = (portalId: string, fixture: FixtureName) =>
    portalId === demoPortalId(fixture) || !isDemoPortal(portalId);
  return {
    keep() {
      // What this org held is what it holds now (a record deleted here is not brought back).
      for (const portalId of [...kept.keys()])
        if (belongsTo(portalId, sim.fixture)) kept.delete(portalId);
      for (const row of sim.records(STATUS_OBJECT.name)) {
        const portalId = portalOf(row);
        if (typeof portalId === 'string') kept.set(portalId, structuredClone(row));
      }
    },
    restore() {
      for (const [portalId, row] of kept) {
        if (!belongsTo(portalId, sim.fixture)) continue;
        // A new Id in this org (its ids start over with each load; the relay upserts by portal id),
        // written by this org's relay user; the dates stay the relay's.
        const values: Record<string, unknown> = { ...row };
        for (const field of ['Id', 'CreatedById', 'LastModifiedById']) delete values[field];
        sim.org.insert(STATUS_OBJECT.name, values, sim.relayUser.Id);
      }
    },
  };
}

export interface PreviewStackOptions {
  fixture?: FixtureName;
  /** `large`: the fixture with hundreds of objects and mapped fields (default `default`). */
  size?: FixtureSize;
  /**
   * States laid over the fixture (the admin without some rights, a frozen integration user, a
   * viewer who cannot change the settings).
   */
  variants?: readonly PreviewVariant[];
  host?: string;
  /** 0 for any free port. */
  port?: number;
  /** The relay's SQLite data directory; a fresh temporary one (removed on close) when absent. */
  dataDir?: string;
  /** Folder of the built app.js. */
  publicDir?: string;
  /** Relay request logs (pino JSON lines) on stdout. */
  log?: boolean;
}

export interface PreviewStack {
  url: string;
  /** The current demo org's HubSpot portal (demoPortalId): it follows a switch of the demo org. */
  readonly portalId: string;
  /** That portal's webhook signing secret (for the curl line and the tests). */
  readonly signingSecret: string;
  /** Any demo org's portal and its signing secret. */
  demoPortal(fixture: FixtureName): { portalId: string; signingSecret: string };
  sim: OrgSimulator;
  relay: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The whole demo in one process: the org simulator with a fixture, the relay (embedded SQLite) with a
 * demo portal whose Salesforce is that simulator, and the preview plugin on the relay serving the
 * real components, whose Apex calls read the simulator through the collector.
 */
export async function startPreviewStack(options: PreviewStackOptions = {}): Promise<PreviewStack> {
  const fixture = options.fixture ?? DEFAULT_FIXTURE;
  if (!isFixtureName(fixture))
    throw new Error(`Unknown fixture "${fixture}": one of ${FIXTURE_NAMES.join(', ')}`);
  const temporaryDir = options.dataDir
    ? null
    : mkdtempSync(path.join(tmpdir(), 'sync-doctor-preview-'));
  const dataDir = options.dataDir ?? temporaryDir!;
  const size = options.size ?? 'default';
  if (!FIXTURE_SIZES.includes(size))
    throw new Error(`Unknown size "${size}": one of ${FIXTURE_SIZES.join(', ')}`);
  let variants = [...(options.variants ?? [])];
  const unknown = variants.find((name) => !isPreviewVariant(name));
  if (unknown !== undefined)
    throw new Error(`Unknown variant "${unknown}": one of ${PREVIEW_VARIANT_NAMES.join(', ')}`);
  const sim = await startOrgSimulator({
    fixture,
    size,
    changes: variantChanges(variants),
    // The large org's mapped fields, granted by the HubSpot set as the default mapping is, so the
    // size scales the org and keeps its health: the fixture's own problem is still the only one.
    // (The default size has no generated objects: there they name nothing and grant nothing.)
    requiredFields: largeOrgMappedFields().map((field) => field.name),
    port: 0,
  });
  addDemoOrgRules(sim);
  let relay: RelayApp | null = null;
  const statusRecords = statusRecordKeeper(sim);
  // Each demo org's portal's signing secret, once the portals are created (after the plugin).
  const signingSecrets = new Map<FixtureName, string>();
  try {
    let connection: Promise<Connection> | null = null;
    const controller = createSyncDoctorController({
      connection: () =>
        (connection ??= connect({ instanceUrl: sim.url, accessToken: sim.accessToken })),
      settings: {
        userId: sim.integrationUser.Id,
        portalId: demoPortalId(fixture),
        extraFields: size === 'large' ? largeOrgMappedFields() : [],
      },
      // The viewer variant: the running user without Sync_Doctor_Manage_Settings, as the demo org
      // is now (the variants change with a switch of the demo org).
      canEditSettings: () => variantsCanEditSettings(variants),
      // The viewer variant lacks the rights a fix needs too: a viewer is no admin.
      canFix: () => variantsCanFix(variants),
    });
    const config = loadConfig(
      {},
      {
        dataDir,
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 0,
        adminToken: null,
        // The page reads the demo portal's state and stream without a token.
        publicReads: true,
        logEnabled: options.log ?? false,
        // A page load is a dozen requests; the demo and the browser tests reload often.
        rateLimit: { perIpPerMinute: 10_000, perPortalPerMinute: 1_000 },
        outbox: { pollIntervalMs: 100 } as never,
        // The relay sheds load (503) when its event loop lags a second; the preview shares that loop
        // with the collector and, in tests, with jest and Chromium's requests: never shed the page.
        maxEventLoopDelayMs: 0,
        // The demo portals' Salesforce is the simulator, on plain http at 127.0.0.1: without this the
        // relay refuses it as a private target and never writes the suspension into the org, so the
        // CLI line the demo prints (`check --instance-url` on the simulator) would find nothing.
        allowPrivateTargets: true,
      },
    );
    const app = (await buildApp(config)) as RelayApp;
    relay = app;
    // The page learns of a relayed change as in Salesforce: from the Sync_Doctor_Event__e the org
    // published with the status record, so only once the record it then reads is there (not from
    // the relay's own stream, which speaks before, or without, any delivery into the org).
    registerOrgEventStream(app, sim);
    await app.register(previewPlugin, {
      apex: controller,
      // The page's portal is the current demo org's.
      portalId: () => demoPortalId(sim.fixture),
      streamUrl: ORG_EVENTS_PATH,
      ...(options.publicDir ? { publicDir: options.publicDir } : {}),
      fixtures: {
        names: FIXTURE_NAMES,
        sizes: FIXTURE_SIZES,
        variants: PREVIEW_VARIANT_NAMES.map((name) => ({
          name,
          label: PREVIEW_VARIANTS[name].label,
        })),
        current: () => sim.fixture,
        state: () => ({ size: sim.size, variants: [...variants] }),
        story: () => demoOrgStory(sim.fixture, variants),
        // The page's "Send a demo suspension": what the curl lines do, for the demo org of the
        // moment and with the reason its variants bring (a frozen user's is API access disabled),
        // and a Sync Health export of its story, so one click shows the whole panel.
        async sendDemoSuspension() {
          const fixture = sim.fixture;
          const portalId = demoPortalId(fixture);
          const signingSecret = signingSecrets.get(fixture);
          if (!signingSecret) throw new Error(`No demo portal for ${fixture}`);
          const reason = demoSuspensionReason(fixture, variants);
          const title = SUSPENSION_REASONS[reason].titles.en;
          const now = new Date();
          const request = signSuspensionRequest({
            url: '',
            portalId,
            secret: signingSecret,
            route: 'suspensions',
            body: {
              reason,
              title,
              occurredAt: now.toISOString(),
              eventId: `demo-page-${now.getTime()}`,
            },
          });
          // Both go through the relay's own routes, as HubSpot's would.
          const post = (signed: { url: string; headers: Record<string, string>; body: string }) =>
            app.inject({
              method: 'POST',
              url: signed.url,
              headers: signed.headers,
              payload: signed.body,
            });
          const response = await post(request);
          if (response.statusCode !== 202)
            throw new Error(`The relay answered ${response.statusCode}: ${response.body}`);
          // Then what the admin would export from Sync Health once suspended (after the suspension
          // began, so the panel does not call it stale): the panel lists its groups, their kinds
          // and what Sync Doctor finds of them now.
          const upload = signSyncErrorsUpload({
            url: '',
            portalId,
            secret: signingSecret,
            csv: demoSyncErrorsCsv(fixture, variants),
          });
          const uploaded = await post(upload);
          if (uploaded.statusCode !== 201)
            throw new Error(
              `The suspension was sent, but the relay answered the sync-errors export ${uploaded.statusCode}: ${uploaded.body}`,
            );
          const { report, salesforce } = uploaded.json<{
            report: { rows: number };
            salesforce: string;
          }>();
          return { portalId, reason, title, syncErrors: { rows: report.rows, salesforce } };
        },
        async use(name, choice = {}) {
          if (!isFixtureName(name)) throw new Error(`Unknown fixture ${name}`);
          const nextSize = (choice.size ?? sim.size) as FixtureSize;
          if (!FIXTURE_SIZES.includes(nextSize)) throw new Error(`Unknown size ${nextSize}`);
          const nextVariants = choice.variants ?? variants;
          if (!nextVariants.every(isPreviewVariant))
            throw new Error(`Unknown variant in ${nextVariants.join(', ')}`);
          const chosen = PREVIEW_VARIANT_NAMES.filter((known) => nextVariants.includes(known));
          const previousUser = sim.integrationUser.Id;
          const previousSize = sim.size;
          const previousPortal = demoPortalId(sim.fixture);
          statusRecords.keep();
          sim.useFixture(name, nextSize, { changes: variantChanges(chosen) });
          addDemoOrgRules(sim);
          statusRecords.restore();
          variants = chosen;
          // The large org maps hundreds of fields (the settings' extra fields); the default, none.
          if (nextSize !== previousSize)
            controller.settings().extraFields = nextSize === 'large' ? largeOrgMappedFields() : [];
          // The saved choice follows the demo org's integration user, as an admin would re-pick it.
          const settings = controller.settings();
          if (settings.userId === previousUser || settings.userId === null)
            settings.userId = sim.integrationUser.Id;
          // So does the portal: each demo org is connected to a HubSpot portal of its own, whose
          // relayed state (a suspension sent for it) is what the panel shows. A portal the admin
          // saved by hand stays.
          if (settings.portalId === previousPortal || settings.portalId === null)
            settings.portalId = demoPortalId(name);
        },
      },
    });
    await app.ready();
    // A portal per demo org, all connected to the simulator (which holds the demo org of the moment).
    for (const name of FIXTURE_NAMES) {
      const id = demoPortalId(name);
      const { signingSecret } = await app.portals
        .create({
          id,
          name: `Demo portal (${name})`,
          salesforce: { kind: 'token', instanceUrl: sim.url, accessToken: sim.accessToken },
        })
        .catch(async (error: unknown) => {
          // A kept data directory already has the portal: take a new secret (the old one is not readable).
          if (!options.dataDir) throw error;
          return { signingSecret: await app.portals.rotateSigningSecret(id) };
        });
      signingSecrets.set(name, signingSecret);
    }
    const demoPortal = (name: FixtureName) => ({
      portalId: demoPortalId(name),
      signingSecret: signingSecrets.get(name)!,
    });
    const address = await app.listen({ host: config.host, port: config.port });
    return {
      url: address.replace('[::1]', '127.0.0.1'),
      get portalId() {
        return demoPortalId(sim.fixture);
      },
      get signingSecret() {
        return demoPortal(sim.fixture).signingSecret;
      },
      demoPortal,
      sim,
      relay: app,
      async close() {
        // Ctrl+C and test teardown must never hang on a connection something still holds open
        // (a browser's keep-alive socket with a request in flight): give in-flight work a few
        // seconds, then drop what is left, and say so.
        const force = setTimeout(() => {
          app.log.warn('preview: connections still open after 5 s of closing; dropping them');
          app.server.closeAllConnections();
        }, 5000);
        try {
          await app.close();
        } finally {
          clearTimeout(force);
        }
        await sim.close();
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await relay?.close().catch(() => undefined);
    await sim.close();
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    throw error;
  }
}
