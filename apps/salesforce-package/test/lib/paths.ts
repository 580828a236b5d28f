import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const WORKSPACE_ROOT = path.resolve(__dirname, '../..');
export const FORCE_APP = path.join(REPO_ROOT, 'force-app');
export const DEFAULT_DIR = path.join(FORCE_APP, 'main', 'default');
export const CLASSES_DIR = path.join(DEFAULT_DIR, 'classes');
export const TRIGGERS_DIR = path.join(DEFAULT_DIR, 'triggers');
export const OBJECTS_DIR = path.join(DEFAULT_DIR, 'objects');
export const CORE_SRC = path.join(REPO_ROOT, 'packages', 'core', 'src');

/** Every file under dir (recursively), node_modules excluded, sorted for stable test names. */
export function listFiles(dir: string, keep: (file: string) => boolean = () => true): string[] {
  const files: string[] = [];
  const visit = (current: string): void => {
    for (const entry of readdirSync(current)) {
      if (entry === 'node_modules') continue;
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (keep(full)) files.push(full);
    }
  };
  visit(dir);
  return files.sort();
}

export function relativeToRepo(file: string): string {
  return path.relative(REPO_ROOT, file);
}
