import { createElement } from 'lwc';
import CopyReport from 'c/copyReport';
import { evaluateAccess, formatReport } from 'c/syncDoctorCore';

const snapshot = require('./data/snapshot-missing-object-edit.json');
const status = require('./data/status-suspended.json');

async function flush() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

function mount(props) {
    const element = createElement('c-copy-report', { is: CopyReport });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const byId = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const diagnosis = evaluateAccess(snapshot);
// The fixture has no Login History: the package's reader leaves it out when the admin may not read it.
const notRead = {
    loginsNotRead: 'Not read: reading the integration user\'s logins needs the "Manage Users" or "Monitor Login History" permission.'
};
const originalClipboard = Object.getOwnPropertyDescriptor(navigator, 'clipboard');

function setClipboard(value) {
    Object.defineProperty(navigator, 'clipboard', { value, configurable: true });
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    if (originalClipboard) Object.defineProperty(navigator, 'clipboard', originalClipboard);
    else delete navigator.clipboard;
});

describe('c-copy-report', () => {
    it("copies the core's plain-text report, with the relayed status, to the clipboard", async () => {
        const writeText = jest.fn().mockResolvedValue(undefined);
        setClipboard({ writeText });
        const element = mount({ diagnosis, snapshot, status });
        byId(element, 'copy-report-button').click();
        await flush();
        expect(writeText).toHaveBeenCalledTimes(1);
        const text = writeText.mock.calls[0][0];
        expect(text).toBe(formatReport(diagnosis, { snapshot, status, ...notRead }));
        expect(text).toContain('Contact');
        expect(text).toContain('Logins\n------\nNot read: reading the integration user');
        expect(byId(element, 'copy-report-message').textContent).toContain('copied');
        expect(byId(element, 'copy-report-text')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('falls back to a labelled, selected text area when the clipboard refuses', async () => {
        setClipboard({ writeText: jest.fn().mockRejectedValue(new Error('NotAllowedError')) });
        const element = mount({ diagnosis, snapshot, status: null });
        byId(element, 'copy-report-button').click();
        await flush();
        const area = byId(element, 'copy-report-text');
        expect(area.value).toBe(formatReport(diagnosis, { snapshot, ...notRead }));
        expect(element.shadowRoot.activeElement).toBe(area);
        expect(area.selectionEnd - area.selectionStart).toBe(area.value.length);
        expect(byId(element, 'copy-report-message').textContent).toContain('Ctrl+C');
        await expect(element).toBeAccessible();
        byId(element, 'copy-report-close').click();
        await flush();
        expect(byId(element, 'copy-report-text')).toBeNull();
    });

    it('prints the logins when the diagnosis has them, and no "not read" line', async () => {
        setClipboard(undefined);
        const withLogins = {
            ...snapshot,
            logins: [{ LoginTime: '2026-11-29T09:00:00.000+0000', Status: 'Success', Application: 'HubSpot' }]
        };
        const element = mount({ diagnosis: evaluateAccess(withLogins), snapshot: withLogins });
        byId(element, 'copy-report-button').click();
        await flush();
        const text = byId(element, 'copy-report-text').value;
        expect(text).toContain('Logins, last 7 days');
        expect(text).not.toContain('Not read');
    });

    it('falls back when there is no clipboard API at all', async () => {
        setClipboard(undefined);
        const element = mount({ diagnosis, snapshot });
        byId(element, 'copy-report-button').click();
        await flush();
        expect(byId(element, 'copy-report-text').value).toContain('Contact');
    });

    it('is disabled until there is a diagnosis', () => {
        const element = mount({});
        expect(byId(element, 'copy-report-button').disabled).toBe(true);
    });
});
