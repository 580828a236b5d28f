// Where PMD's jars are: inside @salesforce/code-analyzer-pmd-engine (dist/java-lib today). Found
// by looking rather than assumed, so a new layout of that package fails loudly instead of skipping.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function findJarFolders(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) findJarFolders(full, found);
    else if (/^pmd-apex-.*\.jar$/.test(entry)) found.push(dir);
  }
  return found;
}

/** The Java classpath (folder/*) holding pmd-apex and the PmdWrapper. */
export function findPmdClasspath(): string {
  const packageRoot = path.dirname(
    require.resolve('@salesforce/code-analyzer-pmd-engine/package.json'),
  );
  const dist = path.join(packageRoot, 'dist');
  const folders = existsSync(dist) ? findJarFolders(dist) : [];
  if (folders.length === 0) throw new Error(`No pmd-apex jar under ${dist}.`);
  return path.join(folders[0]!, '*');
}
