import { createElement } from 'lwc';
import CopyReport from 'c/copyReport';
import { findingCountsText } from 'c/syncDoctorUtils';
import { FROZEN_NOT_READ_MESSAGES, evaluateAccess, formatReport, frozenNotReadLine } from 'c/syncDoctorCore';

// The admin may not read UserLogin (no Manage Users): the reader leaves IsFrozen out and says why.
const snapshot = {
    ...require('./data/snapshot-missing-object-edit.json'),
    frozenRead: {
        read: false,
        cause: 'needs-manage-users',
        message: FROZEN_NOT_READ_MESSAGES['needs-manage-users']
    }
};
const connectedAppsRead = require('./data/connected-apps-default.json');
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
// The fixture has no Login History, no HubSpot connected app and no IsFrozen on its user: the
// package's reader leaves each out when the admin may not read it.
const notRead = {
    frozenRead: snapshot.frozenRead,
    loginsNotRead: 'Not read: reading the integration user\'s logins needs the "Manage Users" or "Monitor Login History" permission.',
    connectedAppsNotRead:
        'Not read: reading HubSpot\'s connected app needs the "Customize Application" permission plus "Modify All Data" or "Manage Connected Apps"; its policies were not checked.'
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
        const lines = text.split('\n');
        // The core's words for the cause, not a copy of the component's.
        const frozenLine = lines[lines.findIndex((line) => line.startsWith('Integration user: ')) + 1];
        expect(frozenLine).toBe(FROZEN_NOT_READ_MESSAGES['needs-manage-users']);
        expect(frozenLine).toBe('Whether the user is frozen was not read: reading UserLogin needs the "Manage Users" permission.');
        expect(text).toContain('Logins\n------\nNot read: reading the integration user');
        expect(text).toContain(
            'HubSpot\'s connected app\n-----------------------\nNot read: reading HubSpot\'s connected app needs the "Customize Application" permission plus "Modify All Data" or "Manage Connected Apps"'
        );
        expect(byId(element, 'copy-report-message').textContent).toContain('copied');
        expect(byId(element, 'copy-report-text')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it("says what the page says: its verdict counts and badges ('blocks the sync', 'Risk'), never errors and warnings", async () => {
        const writeText = jest.fn().mockResolvedValue(undefined);
        setClipboard({ writeText });
        const element = mount({ diagnosis, snapshot, status });
        byId(element, 'copy-report-button').click();
        await flush();
        const text = writeText.mock.calls[0][0];
        const counts = { error: 0, warning: 0, info: 0 };
        for (const finding of diagnosis.findings) counts[finding.severity] += 1;
        expect(counts.error).toBeGreaterThan(0);
        expect(text).toContain(`Verdict: BLOCKED (${findingCountsText(counts)})`);
        expect(text).toMatch(/^1\. \[Blocks the sync\] /m);
        expect(text).not.toMatch(/\[(ERROR|WARNING|INFO)\]|\d+ (errors?|warnings?)\b/);
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
            user: { ...snapshot.user, IsFrozen: false },
            connectedApps: connectedAppsRead,
            logins: [{ LoginTime: '2026-11-29T09:00:00.000+0000', Status: 'Success', Application: 'HubSpot' }]
        };
        const element = mount({ diagnosis: evaluateAccess(withLogins), snapshot: withLogins });
        byId(element, 'copy-report-button').click();
        await flush();
        const text = byId(element, 'copy-report-text').value;
        expect(text).toContain('Logins, last 7 days');
        expect(text).not.toContain('Not read');
    });

    it("says nothing of HubSpot's connected app when the snapshot has it: its findings speak for it", async () => {
        setClipboard(undefined);
        const withApp = { ...snapshot, connectedApps: connectedAppsRead };
        const element = mount({ diagnosis: evaluateAccess(withApp), snapshot: withApp });
        byId(element, 'copy-report-button').click();
        await flush();
        const text = byId(element, 'copy-report-text').value;
        expect(text).toBe(
            formatReport(evaluateAccess(withApp), {
                snapshot: withApp,
                frozenRead: notRead.frozenRead,
                loginsNotRead: notRead.loginsNotRead
            })
        );
        expect(text).not.toContain("HubSpot's connected app");
        expect(text).toContain('Logins\n------\nNot read');
    });

    it('names no permission under the user when the admin has Manage Users and Salesforce has no UserLogin row for the user', async () => {
        setClipboard(undefined);
        const noRow = {
            ...snapshot,
            frozenRead: {
                read: false,
                cause: 'no-user-login',
                message: FROZEN_NOT_READ_MESSAGES['no-user-login']
            }
        };
        const element = mount({ diagnosis: evaluateAccess(noRow), snapshot: noRow });
        byId(element, 'copy-report-button').click();
        await flush();
        const lines = byId(element, 'copy-report-text').value.split('\n');
        const frozenLine = lines[lines.findIndex((line) => line.startsWith('Integration user: ')) + 1];
        expect(frozenLine).toBe(frozenNotReadLine(noRow.frozenRead));
        expect(frozenLine).toBe(
            'Whether the user is frozen was not read: Salesforce has no UserLogin row for it. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
        );
    });

    it("gives Salesforce's own words under the user when it refused UserLogin to an admin with Manage Users", async () => {
        setClipboard(undefined);
        const refused = {
            ...snapshot,
            frozenRead: {
                read: false,
                cause: 'error',
                errorCode: 'INVALID_TYPE',
                message: "Whether the user is frozen was not read: sObject type 'UserLogin' is not supported."
            }
        };
        const element = mount({ diagnosis: evaluateAccess(refused), snapshot: refused });
        byId(element, 'copy-report-button').click();
        await flush();
        const text = byId(element, 'copy-report-text').value;
        expect(text).toBe(
            formatReport(evaluateAccess(refused), {
                snapshot: refused,
                frozenRead: refused.frozenRead,
                loginsNotRead: notRead.loginsNotRead,
                connectedAppsNotRead: notRead.connectedAppsNotRead
            })
        );
        expect(text).toContain("\nWhether the user is frozen was not read: sObject type 'UserLogin' is not supported.\n");
        expect(text).not.toContain('Manage Users" permission.\n');
    });

    it('still says the frozen state was not read when the snapshot has no IsFrozen and does not say why', async () => {
        setClipboard(undefined);
        const { frozenRead, ...unsaid } = snapshot;
        expect(frozenRead).toBeDefined();
        const element = mount({ diagnosis: evaluateAccess(unsaid), snapshot: unsaid });
        byId(element, 'copy-report-button').click();
        await flush();
        const lines = byId(element, 'copy-report-text').value.split('\n');
        expect(lines[lines.findIndex((line) => line.startsWith('Integration user: ')) + 1]).toBe(
            'Whether the user is frozen was not read.'
        );
    });

    it('says nothing of the frozen state when the snapshot has IsFrozen, frozen or not: it was read', async () => {
        setClipboard(undefined);
        for (const IsFrozen of [false, true]) {
            const read = { ...snapshot, user: { ...snapshot.user, IsFrozen } };
            const element = mount({ diagnosis: evaluateAccess(read), snapshot: read });
            byId(element, 'copy-report-button').click();
            // eslint-disable-next-line no-await-in-loop
            await flush();
            const text = byId(element, 'copy-report-text').value;
            expect(text).toBe(
                formatReport(evaluateAccess(read), {
                    snapshot: read,
                    loginsNotRead: notRead.loginsNotRead,
                    connectedAppsNotRead: notRead.connectedAppsNotRead
                })
            );
            expect(text).not.toContain('frozen was not read');
            document.body.removeChild(element);
        }
    });

    it("claims nothing of HubSpot's connected app without the snapshot it would be read from", async () => {
        setClipboard(undefined);
        const element = mount({ diagnosis });
        byId(element, 'copy-report-button').click();
        await flush();
        expect(byId(element, 'copy-report-text').value).not.toContain("HubSpot's connected app");
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
