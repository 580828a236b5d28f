/**
 * The one HTML page of the preview: SLDS from /assets (as Lightning Experience loads it globally),
 * the bundle, and a landmark to mount the root component in. No inline script, so a strict
 * Content-Security-Policy would hold.
 */
export const SLDS_STYLESHEET = '/assets/styles/salesforce-lightning-design-system.min.css';
export const BUNDLE_PATH = '/preview/static/app.js';

export function pageHtml({ title = 'Sync Doctor' }: { title?: string } = {}): string {
  const safeTitle = title.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en" dir="ltr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${safeTitle}</title>
    <link rel="stylesheet" href="${SLDS_STYLESHEET}">
  </head>
  <body class="slds-scope slds-theme_default">
    <header class="slds-page-header slds-p-around_small" data-preview-header>
      <p class="slds-text-title_caps">Sync Doctor preview, no Salesforce org needed</p>
    </header>
    <main id="app" class="slds-p-around_medium"></main>
    <script type="module" src="${BUNDLE_PATH}"></script>
  </body>
</html>
`;
}
