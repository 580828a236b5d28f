// `npm run build -w apps/preview` ends here: bundles the force-app components for the browser.
// Flags: --components DIR, --root c/name, --out DIR, --shadow synthetic|native, --if-present
// (skip quietly while the root component does not exist yet). Rebuilds only when inputs changed.
import { parseArgs } from 'node:util';
import { componentAliases, ensurePreviewBundle } from './build.js';
import { DEFAULT_COMPONENTS_DIR, DEFAULT_ROOT_SPECIFIER } from './paths.js';

const { values } = parseArgs({
  options: {
    components: { type: 'string' },
    root: { type: 'string' },
    out: { type: 'string' },
    shadow: { type: 'string' },
    'if-present': { type: 'boolean' },
  },
});

const componentsDir = values.components ?? DEFAULT_COMPONENTS_DIR;
const rootSpecifier = values.root ?? DEFAULT_ROOT_SPECIFIER;
if (
  values['if-present'] &&
  !componentAliases(componentsDir).some((alias) => alias.name === rootSpecifier)
) {
  console.log(`preview: ${rootSpecifier} not in ${componentsDir} yet, browser bundle not built`);
  process.exit(0);
}
if (values.shadow !== undefined && values.shadow !== 'synthetic' && values.shadow !== 'native') {
  console.error('--shadow must be synthetic or native');
  process.exit(2);
}
try {
  const result = await ensurePreviewBundle({
    componentsDir,
    rootSpecifier,
    ...(values.out ? { outDir: values.out } : {}),
    ...(values.shadow ? { shadow: values.shadow } : {}),
  });
  console.log(
    result.built
      ? `preview: built ${result.file} (${Math.round(result.bytes / 1024)} KiB, ${result.modules} modules, ${result.milliseconds} ms)`
      : `preview: ${result.file} is up to date`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
