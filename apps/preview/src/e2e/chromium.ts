import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser build. CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Under libfaketime (scripts/test-on-a-later-date.sh), Chromium is started without it: with its
 * clock moved, pages took over 30 s to load. Its pages get Playwright's clock instead, set to
 * Node's moved time and then running on, so the app counts "hours ago" from the same now as the
 * relay and the simulated org. Without FAKETIME (CI, npm start) nothing changes.
 */
function realClockEnv(): NodeJS.ProcessEnv | undefined {
  if (process.env.FAKETIME === undefined) return undefined;
  const preload = (process.env.LD_PRELOAD ?? '')
    .split(/[:\s]+/)
    .filter((lib) => lib !== '' && !lib.includes('libfaketime'));
  return { ...process.env, LD_PRELOAD: preload.join(':') };
}

export class MissingBrowserError extends Error {}

export function missingBrowserMessage(executablePath = CHROMIUM_PATH): string {
  return (
    `Chromium is not installed at ${executablePath}. The browser tests and the preview bench drive Debian's ` +
    'Chromium: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium binary).'
  );
}

export interface LaunchedBrowser {
  browser: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile (nothing shared between runs or with a desktop
 * session). A missing browser is always an error with the install command, never a silent skip.
 */
export async function launchChromium({
  executablePath = CHROMIUM_PATH,
} = {}): Promise<LaunchedBrowser> {
  if (!existsSync(executablePath))
    throw new MissingBrowserError(missingBrowserMessage(executablePath));
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'sync-doctor-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      env: realClockEnv(),
    });
    if (process.env.FAKETIME !== undefined) await context.clock.install({ time: Date.now() });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    browser: context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export type { Browser };
