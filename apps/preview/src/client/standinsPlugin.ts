import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'rollup';
import { previewRoot } from '../../previewRoot.cjs';

/**
 * Resolves what Salesforce provides to a component at run time, and nothing the base components
 * already get from lightning-base-components (their own labels, i18n and gates stay theirs):
 * Apex methods, empApi, the toast event, custom labels, the user id, schema and permission imports.
 * Runs before the LWC plugin so these specifiers never reach its module resolver.
 */
export const ENTRY_ID = '\0sync-doctor-preview-entry';
const VIRTUAL_PREFIX = '\0sync-doctor-standin:';
const ICON_TEMPLATE_LIBRARY = /^lightning\/iconSvgTemplates[A-Za-z]*$/;

const standin = (file: string): string => path.join(previewRoot, 'src', 'standins', file);
const requireFromPreview = createRequire(path.join(previewRoot, 'package.json'));
const ENGINE_MODULES: Record<string, () => string> = {
  lwc: () => requireFromPreview.resolve('@lwc/engine-dom'),
  '@lwc/engine-dom': () => requireFromPreview.resolve('@lwc/engine-dom'),
  '@lwc/synthetic-shadow': () => requireFromPreview.resolve('@lwc/synthetic-shadow'),
  '@lwc/wire-service': () => requireFromPreview.resolve('@lwc/wire-service'),
};
const shellPath = (): string => path.join(previewRoot, 'src', 'browser', 'shell.js');

export interface StandinsOptions {
  /** 'c/syncDoctorApp' */
  rootSpecifier: string;
  shadow: 'synthetic' | 'native';
  /**
   * lightning-primitive-icon can import every SLDS icon as an inline SVG template (some 15 MB of
   * source, most of the build time). Without them it draws the same icons from the SLDS sprites
   * served under /assets/icons, which is what the preview does by default.
   */
  inlineIconTemplates?: boolean;
  /** CustomLabels.labels-meta.xml of the package, if any. */
  labelsFile?: string;
}

export function tagNameOf(specifier: string): string {
  const [namespace, name] = specifier.split('/');
  if (!namespace || !name)
    throw new Error(`Root component must be "namespace/name", got "${specifier}"`);
  return `${namespace}-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** Reads <labels><fullName>…</fullName>…<value>…</value></labels> pairs; the label's name when absent. */
export function readCustomLabels(file: string | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  if (!file || !existsSync(file)) return labels;
  const xml = readFileSync(file, 'utf8');
  for (const block of xml.match(/<labels>[\s\S]*?<\/labels>/g) ?? []) {
    const name = /<fullName>([^<]+)<\/fullName>/.exec(block)?.[1];
    const value = /<value>([\s\S]*?)<\/value>/.exec(block)?.[1];
    if (name && value !== undefined) labels.set(name.trim(), decodeXml(value));
  }
  return labels;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function isBaseComponentImporter(importer: string | undefined): boolean {
  return Boolean(importer && importer.includes(`${path.sep}lightning-base-components${path.sep}`));
}

export function salesforceStandins(options: StandinsOptions): Plugin {
  const labels = readCustomLabels(options.labelsFile);
  return {
    name: 'sync-doctor-salesforce-standins',
    resolveId(source, importer) {
      if (source === ENTRY_ID) return ENTRY_ID;
      // One engine for every importer: the LWC resolver would otherwise resolve 'lwc' from each
      // package's folder and bundle a second, older engine hoisted by another workspace.
      const engineModule = ENGINE_MODULES[source];
      if (engineModule) return engineModule();
      if (!options.inlineIconTemplates && ICON_TEMPLATE_LIBRARY.test(source))
        return VIRTUAL_PREFIX + 'icon-templates';
      if (isBaseComponentImporter(importer)) return null;
      if (source === 'lightning/empApi') return standin('empApi.js');
      if (source === 'lightning/platformShowToastEvent')
        return standin('platformShowToastEvent.js');
      if (source === '@salesforce/apex') return standin('apexClient.js');
      if (source === '@salesforce/user/Id') return standin('userId.js');
      if (
        source.startsWith('@salesforce/apex/') ||
        source.startsWith('@salesforce/label/') ||
        source.startsWith('@salesforce/i18n/') ||
        source.startsWith('@salesforce/schema/') ||
        source.startsWith('@salesforce/customPermission/') ||
        source.startsWith('@salesforce/userPermission/') ||
        source === '@salesforce/client/formFactor'
      ) {
        return VIRTUAL_PREFIX + source;
      }
      return null;
    },
    // Rollup's module cache would otherwise keep a primitive icon transformed by an older rule.
    shouldTransformCachedModule({ id }) {
      return !options.inlineIconTemplates && id.endsWith(PRIMITIVE_ICON_MODULE);
    },
    transform(code, id) {
      if (options.inlineIconTemplates || !id.endsWith(PRIMITIVE_ICON_MODULE)) return null;
      return spriteIconSource(code);
    },
    load(id) {
      if (id === ENTRY_ID) return entrySource(options);
      if (!id.startsWith(VIRTUAL_PREFIX)) return null;
      return virtualModule(id.slice(VIRTUAL_PREFIX.length), labels);
    },
  };
}

const PRIMITIVE_ICON_MODULE = path.join('lightning', 'primitiveIcon', 'primitiveIcon.js');
const PRIMITIVE_ICON_HREF = "return this.src ? sanitizeURL(this.src) : '';";

/**
 * Without its template library, lightning-primitive-icon draws an <svg><use href={href}> whose href
 * is only its `src`: every named icon (utility:refresh…) came out blank. Point it at the SLDS
 * sprite the name designates, as Lightning's own sprite-based icons do; the server serves SLDS's
 * assets under /assets. Fails the build if the base component changes shape, rather than drawing
 * blank icons again unnoticed.
 */
export function spriteIconSource(code: string): string {
  if (!code.includes(PRIMITIVE_ICON_HREF)) {
    throw new Error(
      'lightning/primitiveIcon no longer computes its href as expected: update spriteIconSource',
    );
  }
  return code.replace(
    PRIMITIVE_ICON_HREF,
    'if (this.src) return sanitizeURL(this.src);' +
      " if (!isValidName(this.iconName)) return '';" +
      " const [sprite, symbol] = this.iconName.split(':');" +
      " return `/assets/icons/${sprite}-sprite/svg/${dir === 'rtl' ? 'symbols-rtl.svg' : 'symbols.svg'}#${symbol}`;",
  );
}

function entrySource({ rootSpecifier, shadow }: StandinsOptions): string {
  const lines = [
    // Synthetic shadow must patch the DOM before the engine renders anything, as in Lightning Experience.
    shadow === 'synthetic' ? "import '@lwc/synthetic-shadow';" : '',
    "import { createElement } from 'lwc';",
    `import Root from ${JSON.stringify(rootSpecifier)};`,
    `import { mountPreview } from ${JSON.stringify(shellPath())};`,
    `mountPreview({ createElement, Root, tagName: ${JSON.stringify(tagNameOf(rootSpecifier))} });`,
  ];
  return lines.filter(Boolean).join('\n');
}

function virtualModule(source: string, labels: Map<string, string>): string {
  const rest = (prefix: string): string => source.slice(prefix.length);
  // No template library: primitive-icon draws <use href="/assets/icons/...-sprite/..."> (spriteIconSource).
  if (source === 'icon-templates') return 'export default null;';
  if (source.startsWith('@salesforce/apex/')) {
    // '@salesforce/apex/SyncDoctorController.getSnapshot' -> the method name the server answers.
    const qualified = rest('@salesforce/apex/');
    const method = qualified.includes('.')
      ? qualified.slice(qualified.lastIndexOf('.') + 1)
      : qualified;
    return [
      `import { createApexMethod } from ${JSON.stringify(standin('apexClient.js'))};`,
      `export default createApexMethod(${JSON.stringify(method)});`,
    ].join('\n');
  }
  if (source.startsWith('@salesforce/label/')) {
    // 'c.Sync_Doctor_Title': the value from CustomLabels, else the name as Salesforce shows a missing one.
    const qualified = rest('@salesforce/label/');
    const name = qualified.startsWith('c.') ? qualified.slice(2) : qualified;
    return `export default ${JSON.stringify(labels.get(name) ?? name)};`;
  }
  if (source.startsWith('@salesforce/i18n/')) {
    const key = rest('@salesforce/i18n/');
    return `import * as i18n from ${JSON.stringify(standin('i18n.js'))};\nexport default i18n[${JSON.stringify(key)}];`;
  }
  if (source.startsWith('@salesforce/schema/')) {
    const [objectApiName, ...fieldPath] = rest('@salesforce/schema/').split('.');
    const value = fieldPath.length
      ? { objectApiName, fieldApiName: fieldPath.join('.') }
      : { objectApiName };
    return `export default ${JSON.stringify(value)};`;
  }
  if (source === '@salesforce/client/formFactor') return "export default 'Large';";
  // Custom and user permissions: the preview's user is the admin who holds Sync_Doctor_Access.
  return 'export default true;';
}
