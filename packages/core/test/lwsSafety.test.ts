/**
 * The core is bundled into an LWC module that runs under Lightning Web Security / Locker: no eval,
 * no new Function, no Node built-ins or globals. This guards every source file of the package.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const FORBIDDEN: [string, RegExp][] = [
  ['eval', /\beval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['Node built-in import', /from\s+['"](node:|fs|path|crypto|os|util|http|https|url)['"]/],
  ['require', /\brequire\s*\(/],
  ['process global', /\bprocess\s*\./],
  ['Buffer global', /\bBuffer\s*\./],
  ['import.meta', /\bimport\.meta\b/],
];

describe('LWS-safe sources', () => {
  const files = sources(SRC);
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(files.map((f) => [relative(SRC, f), f]))(
    '%s uses no eval, Function or Node API',
    (_name, file) => {
      const code = withoutComments(readFileSync(file, 'utf8'));
      const hits = FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
      expect(hits).toEqual([]);
    },
  );
});
