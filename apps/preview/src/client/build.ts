import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import replaceModule from '@rollup/plugin-replace';
import { rollup, type RollupCache, type RollupLog } from 'rollup';
import { createRequire } from 'node:module';
import { previewRoot } from '../../previewRoot.cjs';
import { DEFAULT_COMPONENTS_DIR, DEFAULT_OUT_DIR, DEFAULT_ROOT_SPECIFIER } from './paths.js';
import { ENTRY_ID, salesforceStandins } from './standinsPlugin.js';

export type ShadowMode = 'synthetic' | 'native';

export interface PreviewBuildOptions {
  /** Folder of `c` components (one folder per component). Default: force-app/main/default/lwc. */
  componentsDir?: string;
  /** Root component specifier. Default: 'c/syncDoctorApp'. */
  rootSpecifier?: string;
  /** Where app.js goes. Default: apps/preview/dist/public. */
  outDir?: string;
  /** Lightning Experience renders with synthetic shadow; native is there to check the components hold up. */
  shadow?: ShadowMode;
  fileName?: string;
  /** Bundle every SLDS icon as inline SVG templates instead of using the sprites (slow build). */
  inlineIconTemplates?: boolean;
  /** Keep rollup's module cache in this file too (it is large: ~100 MB). Default: memory only. */
  cacheFile?: string | null;
}

export interface PreviewBuildResult {
  file: string;
  bytes: number;
  milliseconds: number;
  modules: number;
  components: string[];
}

// The plugin's types describe a CommonJS default export; at run time ESM gets the function itself.
const replace = ((replaceModule as unknown as { default?: typeof replaceModule }).default ??
  replaceModule) as unknown as (options: Record<string, unknown>) => import('rollup').Plugin;

export { DEFAULT_COMPONENTS_DIR, DEFAULT_OUT_DIR, DEFAULT_ROOT_SPECIFIER };

const requireFromPreview = createRequire(path.join(previewRoot, 'package.json'));

let memoryCache: { file: string | null; cache: RollupCache } | null = null;

function loadCache(file: string | null): RollupCache | undefined {
  if (memoryCache && memoryCache.file === file) return memoryCache.cache;
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RollupCache;
  } catch {
    return undefined; // a torn or stale cache only costs a full build
  }
}

function saveCache(file: string | null, cache: RollupCache | undefined): void {
  if (!cache) return;
  memoryCache = { file, cache };
  if (!file) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(cache));
    renameSync(temporary, file);
  } catch {
    // The cache is an optimisation; a read-only tree still builds.
  }
}

/**
 * Salesforce keeps `c` components flat (lwc/<name>/<name>.js), not in LWC OSS's <namespace>/<name>
 * layout, so each one gets an alias record. Folders without a same-named .js (like __tests__ data)
 * are not components.
 */
export function componentAliases(componentsDir: string): { name: string; path: string }[] {
  if (!existsSync(componentsDir)) return [];
  return (
    readdirSync(componentsDir)
      .filter((name) => !name.startsWith('.') && !name.startsWith('__'))
      // A component's entry is its .js; a CSS-only module (c/tableStyles, imported by other
      // components' CSS) has only its .css.
      .map((name) => {
        const script = path.join(componentsDir, name, `${name}.js`);
        return {
          name,
          entry: existsSync(script) ? script : path.join(componentsDir, name, `${name}.css`),
        };
      })
      .filter(({ entry }) => existsSync(entry) && statSync(entry).isFile())
      .map(({ name, entry }) => ({ name: `c/${name}`, path: entry }))
  );
}

export async function buildPreviewBundle(
  options: PreviewBuildOptions = {},
): Promise<PreviewBuildResult> {
  const started = performance.now();
  const componentsDir = options.componentsDir ?? DEFAULT_COMPONENTS_DIR;
  const rootSpecifier = options.rootSpecifier ?? DEFAULT_ROOT_SPECIFIER;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const shadow = options.shadow ?? 'synthetic';
  const fileName = options.fileName ?? 'app.js';
  const aliases = componentAliases(componentsDir);
  if (!aliases.some((alias) => alias.name === rootSpecifier)) {
    throw new Error(
      `Root component ${rootSpecifier} not found in ${componentsDir} (found: ${aliases.map((a) => a.name).join(', ') || 'none'})`,
    );
  }
  const problems: string[] = [];
  const cacheFile = options.cacheFile ?? null;
  const bundle = await rollup({
    input: ENTRY_ID,
    // Compiling the base components dominates the build; rollup's module cache makes rebuilds cheap.
    cache: loadCache(cacheFile),
    plugins: [
      salesforceStandins({
        rootSpecifier,
        shadow,
        inlineIconTemplates: options.inlineIconTemplates ?? false,
        labelsFile: path.join(componentsDir, '..', 'labels', 'CustomLabels.labels-meta.xml'),
      }),
      replace({
        preventAssignment: true,
        values: {
          // The LWC engine and base components branch on these at build time.
          'import.meta.env.SSR': 'false',
          'process.env.NODE_ENV': JSON.stringify('production'),
        },
      }),
      lwc({
        // rootDir decides where npm module records resolve from: apps/preview's node_modules holds the
        // engine matching this compiler, whatever other workspaces hoisted to the root.
        rootDir: path.join(previewRoot, 'src', 'browser'),
        modules: [...aliases, { npm: 'lightning-base-components' }],
        // The base components (datatable cells, modals) render some children with lwc:is.
        enableDynamicComponents: true,
      }),
    ],
    onwarn(warning: RollupLog) {
      // An unresolved import would become a bare specifier the browser cannot load: fail the build.
      if (warning.code === 'UNRESOLVED_IMPORT' || warning.code === 'MISSING_EXPORT')
        problems.push(warning.message);
    },
  });
  try {
    if (problems.length) throw new Error(`Preview build failed:\n${problems.join('\n')}`);
    const { output } = await bundle.generate({
      format: 'es',
      inlineDynamicImports: true,
      sourcemap: false,
    });
    const chunk = output.find((item) => item.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('Preview build produced no chunk');
    mkdirSync(outDir, { recursive: true });
    saveCache(cacheFile, bundle.cache);
    const file = path.join(outDir, fileName);
    writeFileSync(file, chunk.code);
    return {
      file,
      bytes: Buffer.byteLength(chunk.code),
      milliseconds: Math.round(performance.now() - started),
      modules: chunk.moduleIds.length,
      components: aliases.map((alias) => alias.name),
    };
  } finally {
    await bundle.close();
  }
}

const STAMP_FILE = 'build-stamp.json';

/**
 * Every file under dir (but node_modules and __tests__), path and content, into the hash. Content,
 * not modification times: each `npm run build` rewrites force-app's syncDoctorCore.js with the same
 * text, and a check by time rebuilt the bundle (about 30 s) on every `npm start`.
 */
function hashTree(hash: Hash, dir: string, label: string): void {
  if (!existsSync(dir)) {
    hash.update(`${label}\0absent\0`);
    return;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    if (entry.name === 'node_modules' || entry.name === '__tests__') continue;
    const full = path.join(dir, entry.name);
    const name = `${label}/${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, full, name);
    else if (entry.isFile()) {
      const content = readFileSync(full);
      hash.update(`${name}\0${content.length}\0`);
      hash.update(content);
    }
  }
}

/**
 * Builds unless the bundle in outDir was made with the same options from the same content of the
 * components, the labels, the stand-ins, the shell and the installed packages, so `npm start` and the
 * tests only pay for a build when something changed.
 */
export async function ensurePreviewBundle(
  options: PreviewBuildOptions = {},
): Promise<PreviewBuildResult & { built: boolean }> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const fileName = options.fileName ?? 'app.js';
  const file = path.join(outDir, fileName);
  const stampFile = path.join(outDir, fileName + '.' + STAMP_FILE);
  const componentsDir = options.componentsDir ?? DEFAULT_COMPONENTS_DIR;
  const inputs = createHash('sha256');
  hashTree(inputs, componentsDir, 'components');
  hashTree(inputs, path.join(componentsDir, '..', 'labels'), 'labels');
  for (const folder of ['standins', 'browser', 'client'])
    hashTree(inputs, path.join(previewRoot, 'src', folder), folder);
  // The installed compiler, engine and base components: their manifests name their versions (not
  // the lock file, which every install touches).
  for (const manifest of [
    '@lwc/rollup-plugin/package.json',
    '@lwc/engine-dom/package.json',
    'lightning-base-components/package.json',
  ]) {
    inputs.update(`${manifest}\0`);
    inputs.update(readFileSync(requireFromPreview.resolve(manifest)));
  }
  const stamp = JSON.stringify({
    componentsDir,
    rootSpecifier: options.rootSpecifier ?? DEFAULT_ROOT_SPECIFIER,
    shadow: options.shadow ?? 'synthetic',
    inlineIconTemplates: options.inlineIconTemplates ?? false,
    inputs: inputs.digest('hex'),
  });
  if (existsSync(file) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return {
      file,
      bytes: statSync(file).size,
      milliseconds: 0,
      modules: 0,
      components: componentAliases(componentsDir).map((a) => a.name),
      built: false,
    };
  }
  const result = await buildPreviewBundle(options);
  writeFileSync(stampFile, stamp);
  return { ...result, built: true };
}
