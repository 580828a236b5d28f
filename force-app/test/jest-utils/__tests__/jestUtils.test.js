import { byId, flush, resetDOM } from 'test-utils';

describe('test-utils', () => {
  it('flush waits for a chain of five promise steps, as an Apex call, its then and the re-render take', async () => {
    const steps = [];
    let chain = Promise.resolve();
    for (let step = 1; step <= 5; step++) chain = chain.then(() => steps.push(step));
    await flush();
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('resetDOM removes everything a test mounted', () => {
    document.body.append(document.createElement('div'), document.createElement('c-anything'));
    resetDOM();
    expect(document.body.childNodes).toHaveLength(0);
  });

  it("byId finds an element by its data-id in the component's shadow root", () => {
    const template = document.createElement('div');
    template.innerHTML = '<p data-id="summary">first</p><p data-id="summary">second</p>';
    const component = { shadowRoot: template };
    expect(byId(component, 'summary').textContent).toBe('first');
    expect(byId(component, 'missing')).toBeNull();
  });
});
