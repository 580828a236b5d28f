import path from 'node:path';
import { previewRoot, repoRoot } from '../../previewRoot.cjs';

// Kept apart from build.ts so the server (and CommonJS tests) never load the ESM-only LWC compiler.
export const DEFAULT_COMPONENTS_DIR = path.join(repoRoot, 'force-app', 'main', 'default', 'lwc');
export const DEFAULT_ROOT_SPECIFIER = 'c/syncDoctorApp';
export const DEFAULT_OUT_DIR = path.join(previewRoot, 'dist', 'public');
export const BUNDLE_FILE = 'app.js';
