import { createElement } from 'lwc';
import SyncDoctorApp from 'c/syncDoctorApp';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { FROZEN_NOT_READ_MESSAGES } from 'c/syncDoctorCore';
import { flush } from 'test-utils';

const healthy = require('./data/snapshot-healthy.json');

const SETTINGS = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };
const CANDIDATES = [
    { userId: '0055g00000HubSpUAAS', username: 'hubspot@acme.com', name: 'HubSpot Integration', isActive: true, sources: ['saved'] }
];

/**
 * The healthy org as an admin without Manage Users, Monitor Login History and Customize
 * Application reads it (the Apex reader's frozenRead, no logins, no connectedApps).
 */
function adminWithoutUserRights() {
    return {
        ...JSON.parse(JSON.stringify(healthy)),
        frozenRead: { read: false, cause: 'needs-manage-users', message: FROZEN_NOT_READ_MESSAGES['needs-manage-users'] }
    };
}

/** The healthy org with every optional part read. */
function allRead() {
    const snapshot = JSON.parse(JSON.stringify(healthy));
    snapshot.user.IsFrozen = false;
    snapshot.logins = [];
    snapshot.connectedApps = { apps: [], access: [] };
    return snapshot;
}

/** HubSpot logged in every hour for three days, then stopped three days before the snapshot. */
function syncStopped() {
    const snapshot = allRead();
    const capturedAt = Date.parse(snapshot.capturedAt);
    const logins = [];
    for (let hour = 72; hour < 144; hour++) {
        logins.push({
            attributes: { type: 'LoginHistory' },
            LoginTime: new Date(capturedAt - hour * 3600000).toISOString().replace('Z', '+0000'),
            Status: 'Success',
            Application: 'HubSpot',
            LoginType: 'Remote Access 2.0',
            SourceIp: '54.174.60.10'
        });
    }
    snapshot.logins = logins;
    return snapshot;
}

const suspension = (overrides = {}) => ({
    portalId: '12345678',
    state: 'suspended',
    // As the demo's restricted-ip org reports it: a reason HubSpot lifts with "Clear Suspension".
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: null,
    since: '2026-11-28T10:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source: 'webhook',
    excerpt: null,
    history: [],
    ...overrides
});

function mount() {
    const element = createElement('c-sync-doctor-app', { is: SyncDoctorApp });
    document.body.appendChild(element);
    return element;
}

async function mountWith(snapshot) {
    getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
    getSnapshot.mockResolvedValue(JSON.stringify(snapshot));
    const element = mount();
    await flush();
    await flush();
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const panelOf = (element) => $(element, 'c-suspension-panel');
const inPanel = (element, selector) => panelOf(element).shadowRoot.querySelector(selector);

beforeEach(() => {
    findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    getSuspensionStatus.mockResolvedValue('null');
});

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jestMockReset();
});

describe('c-sync-doctor-app, partly checked', () => {
    it('does not call a diagnosis with unread checks "Healthy": it names what was not checked and who can check it', async () => {
        const element = await mountWith(adminWithoutUserRights());
        const verdict = $(element, '[data-id="verdict"]');
        // The core's verdict is kept (a pipeline keys on it); the words qualify it.
        expect(verdict.dataset.verdict).toBe('healthy');
        expect(verdict.dataset.partlyChecked).toBe('true');
        const badge = verdict.querySelector('h2 span');
        expect(badge.textContent).toBe('Partly checked');
        expect(badge.className).not.toContain('slds-theme_success');
        const text = verdict.querySelector('p').textContent;
        expect(text).toMatch(
            /^No problems found in what Sync Doctor could read\. Not checked: frozen state, Login History and HubSpot's connected app\./
        );
        expect(text).toContain('"Manage Users"');
        expect(text).toContain('"Customize Application"');
    });

    it('at risk with checks unread: names the risks and what was not checked', async () => {
        const snapshot = adminWithoutUserRights();
        // 96.5% of the org's daily API requests used: a risk, not a block.
        snapshot.limits.DailyApiRequests.Remaining = 3500;
        const element = await mountWith(snapshot);
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('at-risk');
        expect(verdict.dataset.partlyChecked).toBe('true');
        const text = verdict.querySelector('p').textContent;
        expect(text).toContain('Salesforce org API limit nearly reached');
        expect(text).toContain("Not checked: frozen state, Login History and HubSpot's connected app.");
    });

    it('says "Healthy" when every check was made', async () => {
        const element = await mountWith(allRead());
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.querySelector('h2 span').textContent).toBe('Healthy');
        expect(verdict.dataset.partlyChecked).toBe('false');
    });

    it('tells the Findings card what was not checked: no bare "No problems found." under a partly checked verdict', async () => {
        const partly = await mountWith(adminWithoutUserRights());
        const list = $(partly, 'c-finding-list');
        expect(list.unchecked.map((u) => u.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
        expect(list.shadowRoot.querySelector('[data-id="finding-none"]').textContent).toBe(
            'No problems found in what Sync Doctor could read.'
        );
        document.body.removeChild(partly);

        // Every check made: nothing to qualify (the card then says a plain "No problems found.").
        const all = await mountWith(allRead());
        expect($(all, 'c-finding-list').unchecked).toBeUndefined();
    });

    it('under a suspension, says neither "Access OK" nor "Safe to click": the unread checks come first, by hand', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(adminWithoutUserRights());
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.querySelector('h2 span').textContent).toBe('Partly checked, sync suspended');
        expect(verdict.textContent).not.toContain('Access OK');
        expect(verdict.querySelector('p').textContent).toContain(
            'could not check the frozen state, where a frozen user would show; Login History, where'
        );

        const advice = inPanel(element, '[data-id="suspension-clear-advice"]');
        expect(advice.dataset.advice).toBe('check-by-hand');
        expect(advice.textContent).not.toContain('Safe to click');
        const steps = [...panelOf(element).shadowRoot.querySelectorAll('[data-id="suspension-by-hand-step"]')];
        expect(steps.map((li) => li.dataset.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
        expect(steps[0].textContent).toContain('Unfreeze');
        // The permission set's steps are done, but the box is no "fixed": it says to check by hand before clearing.
        expect(inPanel(element, '[data-id="suspension-agreement"]').dataset.agreement).toBe('partly-checked');
        expect(inPanel(element, '[data-id="suspension-agreement-summary"]').textContent).toContain(
            "Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app)"
        );
    });

    it.each([
        ['no suspension', null, 'Partly checked', 'No problems found in what Sync Doctor could read.'],
        [
            'a suspected one',
            'suspected',
            'Partly checked',
            "Sync Doctor finds nothing blocking in what it could read, but HubSpot may have suspended the sync, and Sync Doctor could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where its policies refusing the integration user would show."
        ],
        [
            'a reported one',
            'suspended',
            'Partly checked, sync suspended',
            "Sync Doctor finds nothing blocking in what it could read, but HubSpot suspended the sync, and Sync Doctor could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where its policies refusing the integration user would show."
        ]
    ])('with %s: the label and sentence the CLI and the copied report say too', async (_, state, label, sentence) => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(state ? suspension({ state }) : null));
        const element = await mountWith(adminWithoutUserRights());
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.querySelector('h2 span').textContent).toBe(label);
        // Under a suspension the sentence names each check not made: what follows does not name
        // them again (it said "Not checked: ..." after "could not check the ..." until the core's
        // unnamed words were used there). Without one, the sentence names none, so it does.
        const notChecked = state ? '' : "Not checked: frozen state, Login History and HubSpot's connected app. ";
        expect(verdict.querySelector('p').textContent).toBe(
            `${sentence} ${notChecked}Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"; Login History: "Manage Users" or "Monitor Login History"; HubSpot's connected app: "Customize Application" with "Modify All Data" or "Manage Connected Apps".`
        );
        expect(verdict.querySelector('p').textContent.includes('Not checked:')).toBe(!state);
    });

    it('does not call "API access disabled" gone while a frozen or IP-blocked user would not show', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'API_ACCESS_DISABLED' })));
        const element = await mountWith(adminWithoutUserRights());
        await flush();
        expect(inPanel(element, '[data-id="suspension-agreement"]').dataset.agreement).toBe('not-judged');
        expect($(element, '[data-id="verdict"] p').textContent).not.toContain('is gone now');
    });

    it('with every check made, still calls the cause fixed and says to clear the suspension', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(allRead());
        await flush();
        expect($(element, '[data-id="verdict"] h2 span').textContent).toBe('Access OK, sync suspended');
        // The panel's box says it, once: no "Safe to click" under "Clear the suspension in HubSpot".
        expect(inPanel(element, '[data-id="suspension-agreement"]').dataset.agreement).toBe('fixed-since');
        // The box states the fact; the "Clear Suspension" step says to clear, once.
        const summary = inPanel(element, '[data-id="suspension-agreement-summary"]').textContent;
        expect(summary).toBe('The HubSpot permission set is assigned and every required object right is granted now.');
        const steps = [...panelOf(element).shadowRoot.querySelectorAll('[data-id="suspension-step-text"]')].map((step) => step.textContent);
        expect(steps[steps.length - 1]).toBe('Click "Clear Suspension" in HubSpot\'s Salesforce integration settings.');
        expect(inPanel(element, '[data-id="suspension-clear-advice"]')).toBeNull();
    });
});

describe('c-sync-doctor-app, the frozen state not read by an admin who holds Manage Users', () => {
    /** Everything read but the frozen state, for the Apex reader's cause. */
    function frozenUnread(cause, message) {
        const snapshot = allRead();
        delete snapshot.user.IsFrozen;
        snapshot.frozenRead = { read: false, cause, message };
        return snapshot;
    }
    const noRow = () => frozenUnread('no-user-login', FROZEN_NOT_READ_MESSAGES['no-user-login']);
    const refused = () => frozenUnread('error', 'Whether the user is frozen was not read: An unexpected error occurred.');
    const textOf = (element) => {
        const panel = panelOf(element);
        return `${element.shadowRoot.textContent} ${panel ? panel.shadowRoot.textContent : ''}`;
    };

    it.each([
        ['no UserLogin row', noRow],
        ['Salesforce refused the query', refused]
    ])('%s: the verdict asks for a check by hand, never for a right the admin holds', async (_, snapshot) => {
        const element = await mountWith(snapshot());
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.partlyChecked).toBe('true');
        expect(verdict.querySelector('p').textContent).toBe(
            'No problems found in what Sync Doctor could read. Not checked: frozen state. Check it by hand.'
        );
        expect($(element, 'c-finding-list').unchecked).toEqual([expect.objectContaining({ check: 'frozen', needs: '' })]);
        expect(textOf(element)).not.toContain('Manage Users');
    });

    it('under a suspension too: the panel sends the admin to Setup > Users, and names no right', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(noRow());
        await flush();
        expect($(element, '[data-id="verdict"] p').textContent).toMatch(
            /could not check the frozen state, where a frozen user would show\. Check it by hand\.$/
        );
        const steps = [...panelOf(element).shadowRoot.querySelectorAll('[data-id="suspension-by-hand-step"]')];
        expect(steps.map((li) => li.dataset.check)).toEqual(['frozen']);
        expect(steps[0].textContent).toContain('Setup > Users');
        expect(textOf(element)).not.toContain('Manage Users');
    });

    it('an admin without Manage Users is still told to ask for it', async () => {
        const element = await mountWith(frozenUnread('needs-manage-users', FROZEN_NOT_READ_MESSAGES['needs-manage-users']));
        expect($(element, '[data-id="verdict"] p').textContent).toContain(
            'Not checked: frozen state. Check it by hand, or ask an admin who has this to check again: frozen state: "Manage Users".'
        );
    });
});

describe('c-sync-doctor-app, checking again', () => {
    it('keeps the last results on screen, marked busy, until the new ones come in', async () => {
        const element = await mountWith(allRead());
        expect($(element, '[data-id="results"]').getAttribute('aria-busy')).toBe('false');
        let finish;
        getSnapshot.mockReturnValue(new Promise((resolve) => (finish = resolve)));
        $(element, '[data-id="refresh-button"]').click();
        await flush();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        // The page does not collapse to a spinner: the verdict and the cards stay, busy.
        expect($(element, '[data-id="verdict"]')).not.toBeNull();
        expect($(element, 'c-finding-list')).not.toBeNull();
        expect($(element, '[data-id="loading"]')).toBeNull();
        const results = $(element, '[data-id="results"]');
        expect(results.getAttribute('aria-busy')).toBe('true');
        expect($(element, '[data-id="refreshing"]').getAttribute('role')).toBe('status');
        // The panel keeps judging from the last diagnosis, not "could not check the org".
        expect(panelOf(element).checksRan).toBe(true);

        const next = allRead();
        next.limits.DailyApiRequests.Remaining = 3000;
        finish(JSON.stringify(next));
        await flush();
        await flush();
        expect($(element, '[data-id="refreshing"]')).toBeNull();
        expect(results.getAttribute('aria-busy')).toBe('false');
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('at-risk');
    });

    it('tells the suspension panel the org is being checked, not that it could not be, on the first read', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'OBJECT_PERMISSIONS_MISSING' })));
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flush();
        await flush();
        expect($(element, '[data-id="loading"]')).not.toBeNull();
        const advice = inPanel(element, '[data-id="suspension-clear-advice"]');
        expect(advice.dataset.advice).toBe('checking');
        expect(advice.textContent).not.toContain('could not check the org');
    });
});

describe('c-sync-doctor-app, blocked by a stopped sync', () => {
    it('does not say "HubSpot can sync now" beside a finding that its sync has stopped', async () => {
        // The core makes a stopped sync an error: blocked, its cause unknown, where to see why.
        const element = await mountWith(syncStopped());
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('blocked');
        const text = verdict.querySelector('p').textContent;
        expect(text).not.toContain('HubSpot can sync now');
        expect(text).toBe(
            "HubSpot's sync has stopped and Sync Doctor found no cause in Salesforce: open HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) to see why."
        );
    });

    it('names the reason HubSpot reported for a stopped sync instead of sending the admin to look it up in HubSpot', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'API_ACCESS_DISABLED' })));
        const element = await mountWith(syncStopped());
        await flush();
        const text = $(element, '[data-id="verdict"]').querySelector('p').textContent;
        expect(text).toBe(
            'HubSpot\'s sync has stopped and Sync Doctor found no cause in Salesforce, but HubSpot reported "Salesforce org API access disabled": "Suspension reported by HubSpot" below says what to check.'
        );
        expect(text).not.toContain('to see why');
    });
});
