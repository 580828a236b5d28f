// The page around the root component: reads the preview configuration, mounts the component and plays
// Lightning Experience's part for toasts (ShowToastEvent reaches the document because it is composed).
import { setPreviewConfig } from '../standins/previewConfig.js';
import { SHOW_TOAST_EVENT_NAME } from '../standins/platformShowToastEvent.js';

const TOAST_VARIANTS = new Set(['info', 'success', 'warning', 'error']);
// Lightning keeps a dismissible toast 3 s (10 s when it has a link); sticky stays until closed.
const TOAST_MS = 3000;
const TOAST_WITH_LINK_MS = 10000;

export async function mountPreview({ createElement, Root, tagName }) {
  let config = {};
  try {
    const response = await fetch('/preview/config.json');
    if (response.ok) config = await response.json();
  } catch {
    // The page still works without live events when the config cannot be read.
  }
  setPreviewConfig(config);
  installFixtureSwitch(config);
  installToasts();
  const element = createElement(tagName, { is: Root });
  document.getElementById('app').appendChild(element);
  document.body.dataset.previewReady = 'true';
}

// The demo org's fixture, size and variants (states laid over it: an admin without some rights, a
// frozen integration user), switchable from the page header: the server swaps the simulator's org
// and the page reloads to read it, as an admin would after changes in Setup.
function installFixtureSwitch(config) {
  const header = document.querySelector('[data-preview-header]');
  if (!header || !Array.isArray(config.fixtures) || config.fixtures.length === 0) return;
  const sizes = Array.isArray(config.sizes) ? config.sizes : [];
  const variants = Array.isArray(config.variants) ? config.variants : [];
  const row = document.createElement('div');
  row.className = 'slds-grid slds-wrap slds-gutters_x-small slds-grid_vertical-align-end';

  const fixtureSelect = selectField(
    row,
    'preview-fixture',
    'Demo org',
    config.fixtures,
    config.fixture,
  );
  const sizeSelect = sizes.length
    ? selectField(row, 'preview-size', 'Size', sizes, config.size)
    : null;
  const boxes = [];
  if (variants.length) {
    const fieldset = document.createElement('fieldset');
    fieldset.className = 'slds-form-element slds-col slds-m-top_x-small';
    const legend = document.createElement('legend');
    legend.className = 'slds-form-element__legend slds-form-element__label';
    legend.textContent = 'Also';
    fieldset.appendChild(legend);
    const control = document.createElement('div');
    control.className = 'slds-form-element__control';
    for (const variant of variants) {
      const wrapper = document.createElement('div');
      wrapper.className = 'slds-checkbox';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.id = `preview-variant-${variant.name}`;
      box.value = variant.name;
      box.checked = Boolean(variant.active);
      box.dataset.id = 'preview-variant';
      const label = document.createElement('label');
      label.className = 'slds-checkbox__label';
      label.htmlFor = box.id;
      const faux = document.createElement('span');
      faux.className = 'slds-checkbox_faux';
      const text = document.createElement('span');
      text.className = 'slds-form-element__label';
      text.textContent = variant.label;
      label.append(faux, text);
      wrapper.append(box, label);
      control.appendChild(wrapper);
      boxes.push(box);
    }
    fieldset.appendChild(control);
    row.appendChild(fieldset);
  }
  const controls = [fixtureSelect, sizeSelect, ...boxes].filter(Boolean);
  const change = async () => {
    for (const control of controls) control.disabled = true;
    const body = { fixture: fixtureSelect.value };
    if (sizeSelect) body.size = sizeSelect.value;
    if (boxes.length) body.variants = boxes.filter((box) => box.checked).map((box) => box.value);
    const response = await fetch('/preview/fixture', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) window.location.reload();
    else for (const control of controls) control.disabled = false;
  };
  for (const control of controls) control.addEventListener('change', change);
  const sender = config.demoSuspension ? demoSuspensionButton(controls) : null;
  if (sender) row.appendChild(sender.button);
  header.appendChild(row);
  // Below the row, so the answer does not move the button.
  if (sender) header.appendChild(sender.said);
  // What is wrong with this demo org: its name alone ("muted-group") tells a first-time visitor
  // nothing, and a variant changes the story.
  if (typeof config.story === 'string' && config.story) {
    const story = document.createElement('p');
    story.className = 'slds-text-body_regular slds-m-top_x-small';
    story.dataset.id = 'preview-story';
    story.textContent = config.story;
    header.appendChild(story);
  }
}

// "Send a demo suspension": the demo org's HubSpot portal gets the suspension its story brings,
// signed as HubSpot's side sends it (what the curl lines npm start prints do, for the demo org of
// the moment), then a small Sync Health "Export errors" CSV of the same story, so the suspension
// panel and its exported sync errors can be seen without a terminal. It shows up live.
function demoSuspensionButton(controls) {
  const wrapper = document.createElement('div');
  wrapper.className = 'slds-col slds-m-top_x-small';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'slds-button slds-button_neutral';
  button.dataset.id = 'preview-send-suspension';
  button.textContent = 'Send a demo suspension from HubSpot';
  const said = document.createElement('p');
  said.className = 'slds-text-body_small slds-m-top_xx-small';
  said.dataset.id = 'preview-send-suspension-result';
  said.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    button.disabled = true;
    said.textContent = '';
    try {
      const response = await fetch('/preview/demo-suspension', { method: 'POST' });
      const body = await response.json().catch(() => ({}));
      const exported = body.syncErrors
        ? ` With it, a Sync Health export of ${body.syncErrors.rows} failed records: the panel lists its groups under the suspension.`
        : '';
      said.textContent = response.ok
        ? `Sent to HubSpot portal ${body.portalId}: "${body.title}". "Suspension reported by HubSpot" shows it.${exported}`
        : `Not sent: ${(body.error && body.error.message) || `the preview answered ${response.status}`}.`;
    } catch (error) {
      said.textContent = `Not sent: ${error instanceof Error ? error.message : String(error)}.`;
    } finally {
      button.disabled = false;
    }
  });
  // A switch of the demo org reloads the page: no sending meanwhile.
  for (const control of controls)
    control.addEventListener('change', () => {
      button.disabled = true;
    });
  wrapper.appendChild(button);
  return { button: wrapper, said };
}

/** An SLDS select with its label, appended to `row`; returns the select. */
function selectField(row, id, labelText, values, selected) {
  const wrapper = document.createElement('div');
  wrapper.className = 'slds-form-element slds-col slds-m-top_x-small';
  const label = document.createElement('label');
  label.className = 'slds-form-element__label';
  label.htmlFor = id;
  label.textContent = labelText;
  const control = document.createElement('div');
  control.className = 'slds-form-element__control slds-select_container';
  const select = document.createElement('select');
  select.className = 'slds-select';
  select.id = id;
  select.dataset.id = id;
  for (const name of values) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    option.selected = name === selected;
    select.appendChild(option);
  }
  control.appendChild(select);
  wrapper.append(label, control);
  row.appendChild(wrapper);
  return select;
}

function installToasts() {
  const container = document.createElement('div');
  container.className = 'slds-notify_container';
  container.setAttribute('data-preview-toasts', '');
  document.body.appendChild(container);
  document.addEventListener(SHOW_TOAST_EVENT_NAME, (event) => {
    showToast(container, event.detail || {});
  });
}

function formatMessage(message, messageData) {
  const text = String(message ?? '');
  if (!Array.isArray(messageData)) return text;
  return text.replace(/\{(\d+)\}/g, (whole, index) => {
    const item = messageData[Number(index)];
    if (item === undefined) return whole;
    return typeof item === 'object' && item !== null
      ? String(item.label ?? item.url ?? '')
      : String(item);
  });
}

function showToast(container, { title, message, messageData, variant, mode }) {
  const kind = TOAST_VARIANTS.has(variant) ? variant : 'info';
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${kind}`;
  toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  toast.dataset.variant = kind;

  const assistive = document.createElement('span');
  assistive.className = 'slds-assistive-text';
  assistive.textContent = kind;
  const content = document.createElement('div');
  content.className = 'slds-notify__content';
  const heading = document.createElement('h2');
  heading.className = 'slds-text-heading_small';
  heading.textContent = String(title ?? '');
  content.appendChild(heading);
  if (message) {
    const paragraph = document.createElement('p');
    paragraph.textContent = formatMessage(message, messageData);
    content.appendChild(paragraph);
  }
  toast.append(assistive, content);

  const remove = () => toast.remove();
  if (mode !== 'pester') {
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'slds-button slds-button_icon slds-button_icon-inverse slds-notify__close';
    close.title = 'Close';
    close.textContent = '\u00d7';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', remove);
    toast.appendChild(close);
  }
  container.appendChild(toast);
  if (mode !== 'sticky') {
    setTimeout(
      remove,
      Array.isArray(messageData) && messageData.some((d) => d && d.url)
        ? TOAST_WITH_LINK_MS
        : TOAST_MS,
    );
  }
}
