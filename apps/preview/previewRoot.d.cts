/** Absolute path of apps/preview. */
export declare const previewRoot: string;
/** Absolute path of the monorepo root. */
export declare const repoRoot: string;
