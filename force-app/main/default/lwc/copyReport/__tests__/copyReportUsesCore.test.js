import { createElement } from 'lwc';
import CopyReport from 'c/copyReport';
import { evaluateAccess, formatReport } from 'c/syncDoctorCore';

// formatReport is watched (it still runs): the component must hand the core the snapshot's
// frozenRead and let the core word it, never a sentence of its own.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    // The Login History and connected app lines are the core's too: other words here must reach the report.
    return {
        ...actual,
        formatReport: jest.fn(actual.formatReport),
        LOGINS_NOT_READ_MESSAGE: 'Logins: the core says not read.',
        CONNECTED_APPS_NOT_READ_MESSAGE: 'Connected app: the core says not read.'
    };
});

const base = require('./data/snapshot-missing-object-edit.json');

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    formatReport.mockClear();
});

async function copy(snapshot) {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    const element = createElement('c-copy-report', { is: CopyReport });
    Object.assign(element, { diagnosis: evaluateAccess(snapshot), snapshot });
    document.body.appendChild(element);
    element.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
    expect(formatReport).toHaveBeenCalledTimes(1);
    return formatReport.mock.calls[0][1];
}

describe('c-copy-report words the frozen state with the core', () => {
    it.each(['needs-manage-users', 'no-user-login', 'error'])(
        "passes the snapshot's frozenRead (%s) to formatReport and no text of its own",
        async (cause) => {
            const frozenRead = { read: false, cause, message: 'Whether the user is frozen was not read: as the reader said.' };
            const context = await copy({ ...base, frozenRead });
            expect(context.frozenRead).toEqual(frozenRead);
            expect(context.frozenNotRead).toBeUndefined();
        }
    );

    it('passes no frozen state when IsFrozen was read', async () => {
        const context = await copy({ ...base, user: { ...base.user, IsFrozen: false }, frozenRead: { read: true, frozen: false } });
        expect(context.frozenRead).toBeUndefined();
        expect(context.frozenNotRead).toBeUndefined();
    });
});

describe('c-copy-report words Login History and the connected app not read with the core', () => {
    it("passes the core's sentences to formatReport, which prints them", async () => {
        const snapshot = { ...base };
        delete snapshot.connectedApps;
        delete snapshot.loginHistory;
        const context = await copy(snapshot);
        expect(context.loginsNotRead).toBe('Logins: the core says not read.');
        expect(context.connectedAppsNotRead).toBe('Connected app: the core says not read.');
        const report = formatReport.mock.results[0].value;
        expect(report).toContain('Logins: the core says not read.');
        expect(report).toContain('Connected app: the core says not read.');
    });
});
