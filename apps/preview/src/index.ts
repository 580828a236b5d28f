// @sync-doctor/preview: the browser build of the force-app components and the server plugin that
// serves them with the controller's methods answered from an org (the simulator in the demo).
export { buildPreviewBundle, componentAliases, ensurePreviewBundle } from './client/build.js';
export { DEFAULT_COMPONENTS_DIR, DEFAULT_OUT_DIR, DEFAULT_ROOT_SPECIFIER } from './client/paths.js';
export type { PreviewBuildOptions, PreviewBuildResult, ShadowMode } from './client/build.js';
export { previewPlugin, SLDS_ASSETS_DIR } from './server/previewPlugin.js';
export type {
  DemoOrgChoice,
  FixtureSwitch,
  PreviewPageConfig,
  PreviewPluginOptions,
} from './server/previewPlugin.js';
export { ApexCallError } from './server/apexErrors.js';
export type { ApexController } from './server/apexErrors.js';
export { PREVIEW_VARIANTS, PREVIEW_VARIANT_NAMES, type PreviewVariant } from './demo/variants.js';
