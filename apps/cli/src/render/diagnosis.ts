// The human report of `sync-doctor check`, section by section: each section is its own module
// under ./diagnosis/, and this one puts them in the order they are printed.
import type { Diagnosis } from '@sync-doctor/core';
import { renderRelayed } from './relayed.js';
import type { CheckContext, RenderOptions } from './diagnosis/context.js';
import { renderHeader } from './diagnosis/header.js';
import { renderObjects } from './diagnosis/objects.js';
import { renderFailingFields } from './diagnosis/fields.js';
import { renderLimits } from './diagnosis/limits.js';
import { renderLogins } from './diagnosis/logins.js';
import { renderConnectedAppNotRead, renderFrozenNotRead } from './diagnosis/notRead.js';
import { renderFindings } from './diagnosis/findings.js';
import { renderFooter } from './diagnosis/footer.js';

export type { CheckContext, RenderOptions } from './diagnosis/context.js';
export { renderHeader, whatIsWrong } from './diagnosis/header.js';
export { renderObjects } from './diagnosis/objects.js';
export { renderFailingFields } from './diagnosis/fields.js';
export { renderLimits } from './diagnosis/limits.js';
export { renderLogins } from './diagnosis/logins.js';
export { renderConnectedAppNotRead } from './diagnosis/notRead.js';
export { MAX_FINDINGS_PER_GROUP } from './diagnosis/findings.js';

/** The whole human report of `sync-doctor check`. */
export function renderDiagnosis(
  diagnosis: Diagnosis,
  context: CheckContext,
  options: RenderOptions,
): string {
  return [
    renderHeader(diagnosis, context, options),
    // The diagnosis too, so each sync error group says what it finds now of the group's rights.
    context.relayed ? renderRelayed(context.relayed, options.style, options.width, diagnosis) : '',
    renderObjects(diagnosis, options),
    renderFailingFields(diagnosis, options),
    renderLimits(diagnosis, context, options),
    renderLogins(diagnosis, context, options),
    renderFrozenNotRead(context, options),
    renderConnectedAppNotRead(context, options),
    renderFindings(diagnosis, context, options),
    renderFooter(context, options),
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}
