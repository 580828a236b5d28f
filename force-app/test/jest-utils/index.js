// Helpers shared by the LWC jest tests, imported as 'test-utils' (jest.lwc.config.cjs maps the name
// here, as lwc-recipes shares its test helpers). Not metadata: .forceignore denies force-app/test/**.

/**
 * Lets the component's pending promises settle and LWC re-render: an imperative Apex call answered
 * by a jest mock, the `then` after it, then the re-render, each take a microtask turn or so.
 *
 * @returns {Promise<void>}
 */
export async function flush() {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

/** Removes what a test mounted on the page (for an afterEach), so no element outlives its test. */
export function resetDOM() {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
}

/**
 * The first element of a component's template with this data-id.
 *
 * @param {HTMLElement} element the component (its shadow root is searched).
 * @param {string} id the data-id.
 * @returns {Element | null}
 */
export function byId(element, id) {
  return element.shadowRoot.querySelector(`[data-id="${id}"]`);
}
