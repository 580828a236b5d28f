#!/usr/bin/env node
// Generates the LWC service module `c/syncDoctorCore` from packages/core, so the components judge
// with exactly the code the CLI runs. The output is committed (deploys run from source).
//
//   node scripts/generate-core-module.mjs           write force-app/main/default/lwc/syncDoctorCore/syncDoctorCore.js
//   node scripts/generate-core-module.mjs --check   exit 1 when the committed file differs from a fresh build
//   node scripts/generate-core-module.mjs --stdout  print the module instead of writing it
//   ... --out FILE                                  write or check FILE instead (tests use this)
//
// What Salesforce accepts in a service module: one ES module whose named exports other components
// import with `import { x } from 'c/syncDoctorCore'`; a JavaScript file of at most 1 MB (older docs
// said 128 KB; developer.salesforce.com/docs/platform/lwc/guide/create-components-javascript);
// no Node APIs. So: one self-contained ESM file (no imports left, no `export *`), syntax lowered to
// ES2020 (class fields and other newer syntax rewritten), not minified so a reviewer can read it.
import { build } from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const entry = path.join(repoRoot, 'packages/core/src/index.ts');
export const MODULE_PATH = path.join(
  repoRoot,
  'force-app/main/default/lwc/syncDoctorCore/syncDoctorCore.js',
);
export const HEADER =
  '// generated from packages/core by apps/salesforce-package/scripts/generate-core-module.mjs — do not edit\n';
// "A component’s JavaScript file can have a maximum file size of 1 MB (1,000,000 bytes)" (LWC guide, Component JavaScript File).
export const MAX_BYTES = 1_000_000;

// Tokens that would mean Node (or a loader) leaked into the bundle; Salesforce has none of them.
// Precise enough not to trip over English in the catalog's strings ("the process.").
const FORBIDDEN = [
  /\brequire\(/,
  /\bprocess\.(env|argv|exit|cwd|platform|versions|nextTick|stdout|stderr)\b/,
  /\bBuffer\.(from|alloc|byteLength|isBuffer)\b/,
  /["']node:[a-z]/,
  /^import\s/m,
  /^export\s*\*/m,
  /\bimport\.meta\b/,
  /\beval\(/,
  /\bnew Function\(/,
];

/** Builds the module text in memory. Throws with a readable message when the core cannot be bundled. */
export async function generateCoreModule() {
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      // Paths in the bundle's comments are relative to this, so the output is the same from any cwd.
      absWorkingDir: repoRoot,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      charset: 'utf8',
      legalComments: 'none',
      treeShaking: true,
      logLevel: 'silent',
    });
  } catch (error) {
    const details = (error.errors ?? [])
      .map((e) => `  ${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`)
      .join('\n');
    throw new Error(
      `cannot bundle packages/core into the LWC module:\n${details || error.message}`,
      { cause: error },
    );
  }
  const body = result.outputFiles[0].text;
  const text = `${HEADER}// Source: packages/core/src/index.ts, bundled by esbuild as one ES2020 module for Lightning Web Components.\n${body}`;
  for (const pattern of FORBIDDEN) {
    const match = pattern.exec(body);
    if (match)
      throw new Error(
        `the bundled core contains ${JSON.stringify(match[0])}, which a Salesforce LWC module cannot use`,
      );
  }
  if (Buffer.byteLength(text) > MAX_BYTES) {
    throw new Error(
      `the bundled core is ${Buffer.byteLength(text)} bytes, over the ${MAX_BYTES}-byte limit of an LWC JavaScript file`,
    );
  }
  return text;
}

async function main(argv) {
  const check = argv.includes('--check');
  const outIndex = argv.indexOf('--out');
  const target = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : MODULE_PATH;
  const fresh = await generateCoreModule();
  if (argv.includes('--stdout')) {
    process.stdout.write(fresh);
    return 0;
  }
  const relative = path.relative(repoRoot, target);
  if (check) {
    const current = await readFile(target, 'utf8').catch(() => null);
    if (current !== fresh) {
      console.error(
        `${relative} is out of date with packages/core: run \`npm run build -w apps/salesforce-package\` and commit it.`,
      );
      return 1;
    }
    console.log(`${relative} is up to date.`);
    return 0;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, fresh);
  console.log(`wrote ${relative} (${Buffer.byteLength(fresh)} bytes)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    // exitCode, not exit(): exit() ends the process before a pipe has taken all of --stdout
    // (cut at 64 KiB or 128 KiB), which made the freshness test fail at random.
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`generate-core-module: ${error.message}`);
      process.exit(1);
    },
  );
}
