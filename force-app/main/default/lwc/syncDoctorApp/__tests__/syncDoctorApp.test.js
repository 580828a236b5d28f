import { createElement } from 'lwc';
import SyncDoctorApp from 'c/syncDoctorApp';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import applyRemediation from '@salesforce/apex/SyncDoctorController.applyRemediation';
import { jestMockReset } from 'lightning/empApi';
import { DEFAULT_REQUIREMENTS, FROZEN_NOT_READ_MESSAGES, frozenNotReadLine, relayedVerdictSentence } from 'c/syncDoctorCore';

const healthy = require('./data/snapshot-healthy.json');
const missingObjectEdit = require('./data/snapshot-missing-object-edit.json');
const readOnlyField = require('./data/snapshot-read-only-mapped-field.json');
const apiDisabled = require('./data/snapshot-api-disabled.json');
const limitsExhausted = require('./data/snapshot-limits-exhausted.json');
const storageFull = require('./data/snapshot-storage-full.json');
const inactiveUser = require('./data/snapshot-inactive-user.json');
const unreadableLookup = require('./data/snapshot-lookup-to-unreadable-object.json');
const expiredAssignment = require('./data/snapshot-expired-assignment.json');
const sessionBasedSet = require('./data/snapshot-session-based-set.json');
const mutedGroup = require('./data/snapshot-muted-permission-set-group.json');
const restrictedIpLogins = require('./data/logins-restricted-ip.json');
const connectedAppsDefault = require('./data/connected-apps-default.json');

/**
 * The healthy org as an admin with every right reads it: the user's frozen state, its Login History
 * (no attempt) and HubSpot's connected app (not installed). The fixture lacks all three, so its
 * diagnosis is only partly checked.
 */
function allRead(snapshot = healthy) {
    const copy = JSON.parse(JSON.stringify(snapshot));
    copy.user.IsFrozen = false;
    copy.logins = [];
    copy.connectedApps = { apps: [], access: [] };
    return copy;
}

/** The healthy org with 90% of its daily API requests used: HubSpot still syncs, but not for long. */
function nearApiLimit() {
    const snapshot = JSON.parse(JSON.stringify(healthy));
    const api = snapshot.limits.DailyApiRequests;
    api.Remaining = Math.floor(api.Max * 0.1);
    return snapshot;
}

/** nearApiLimit with every optional part read: at risk, and nothing left unchecked to name. */
function nearApiLimitAllRead() {
    const snapshot = nearApiLimit();
    snapshot.user.IsFrozen = false;
    snapshot.logins = [];
    snapshot.connectedApps = { apps: [], access: [] };
    return snapshot;
}

/** The healthy org whose Login History shows Salesforce refusing HubSpot's logins ('Restricted IP'). */
function restrictedIp() {
    return { ...JSON.parse(JSON.stringify(healthy)), logins: restrictedIpLogins };
}

/**
 * The healthy org with HubSpot's connected app as the Apex reads it (ConnectedApplication,
 * SetupEntityAccess): admin-approved users only with no approval for the user, a high-assurance
 * session required, refresh tokens expiring 90 units after issue.
 */
function lockedDownApp(access = []) {
    return {
        ...JSON.parse(JSON.stringify(healthy)),
        connectedApps: {
            apps: [
                {
                    attributes: {
                        type: 'ConnectedApplication',
                        url: '/services/data/v64.0/sobjects/ConnectedApplication/0H45g00000HubSpAAA'
                    },
                    Id: '0H45g00000HubSpAAA',
                    Name: 'HubSpot',
                    OptionsAllowAdminApprovedUsersOnly: true,
                    OptionsHasSessionLevelPolicy: true,
                    OptionsRefreshTokenValidityMetric: false,
                    RefreshTokenValidityPeriod: 90
                }
            ],
            access
        }
    };
}

/** The healthy org whose frozen state the reader could not read, and why (the snapshot's frozenRead). */
function frozenUnread(cause, message) {
    return { ...JSON.parse(JSON.stringify(healthy)), frozenRead: { read: false, cause, message } };
}
const NEEDS_MANAGE_USERS = FROZEN_NOT_READ_MESSAGES['needs-manage-users'];

/** The healthy org with the integration user's UserLogin.IsFrozen read (the admin has Manage Users). */
function withFrozenFlag(IsFrozen) {
    const snapshot = JSON.parse(JSON.stringify(healthy));
    snapshot.user.IsFrozen = IsFrozen;
    return snapshot;
}

const SETTINGS = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };
const CANDIDATES = [
    { userId: '0055g00000HubSpUAAS', username: 'hubspot@acme.com', name: 'HubSpot Integration', isActive: true, sources: ['saved'] }
];

async function flush() {
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

function mount() {
    const element = createElement('c-sync-doctor-app', { is: SyncDoctorApp });
    document.body.appendChild(element);
    return element;
}

function $(element, selector) {
    return element.shadowRoot.querySelector(selector);
}

function child(element, tag) {
    return element.shadowRoot.querySelector(tag);
}

/** Every finding the list holds: its closed groups (the less severe ones) are opened first. */
async function findingsOf(element) {
    const list = child(element, 'c-finding-list');
    for (const toggle of list.shadowRoot.querySelectorAll('[data-id="finding-group-toggle"][aria-expanded="false"]')) toggle.click();
    await Promise.resolve();
    return [...list.shadowRoot.querySelectorAll('[data-id="finding"]')].map((node) => `${node.dataset.reason}:${node.dataset.subject}`);
}

async function mountWith(snapshot, settings = SETTINGS) {
    getSettings.mockResolvedValue(JSON.stringify(settings));
    getSnapshot.mockResolvedValue(JSON.stringify(snapshot));
    const element = mount();
    await flush();
    return element;
}

beforeEach(() => {
    findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    getSuspensionStatus.mockResolvedValue('null');
});

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jestMockReset();
});

describe('c-sync-doctor-app', () => {
    it('shows a spinner while the settings and the snapshot load', async () => {
        getSettings.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flush();
        expect($(element, '[data-id="loading"]')).not.toBeNull();
        // In words on screen, not only dots (the spinner's text is for screen readers alone).
        expect($(element, '[data-id="loading-text"]').textContent.trim()).toBe('Checking the integration user in Salesforce…');
        expect($(element, '[data-id="verdict"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('judges a healthy user healthy with the shared core and shows every card', async () => {
        const element = await mountWith(healthy);
        expect(getSnapshot).toHaveBeenCalledWith({ userId: SETTINGS.userId, scopeJson: expect.any(String) });
        expect($(element, '[data-id="loading"]')).toBeNull();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        expect(verdict.textContent).toContain('HubSpot Integration (hubspot@acme.com)');
        expect(await findingsOf(element)).toEqual([]);
        for (const tag of [
            'c-finding-list',
            'c-remediation-actions',
            'c-suspension-panel',
            'c-limits-card',
            'c-login-history-card',
            'c-object-matrix',
            'c-field-table',
            'c-copy-report'
        ]) {
            expect(child(element, tag)).not.toBeNull();
        }
        expect(child(element, 'c-suspension-panel').portalId).toBe('12345678');
        expect(child(element, 'c-suspension-panel').checksPass).toBe(true);
        expect(child(element, 'c-suspension-panel').checksRan).toBe(true);
        await expect(element).toBeAccessible();
    });

    it.each([
        ['a missing object right', missingObjectEdit, 'OBJECT_PERMISSIONS_MISSING:Contact'],
        ['a read-only mapped field', readOnlyField, 'FIELD_PERMISSIONS_MISSING:Contact.Email'],
        ['API access turned off', apiDisabled, 'API_ACCESS_DISABLED:PermissionsApiEnabled'],
        ['the API limit used up', limitsExhausted, 'API_LIMIT_EXCEEDED:DailyApiRequests'],
        ['full data storage', storageFull, 'STORAGE_LIMIT_EXCEEDED:DataStorageMB'],
        ['an inactive user', inactiveUser, 'API_ACCESS_DISABLED:hubspot@acme.com'],
        ['a lookup to an unreadable object', unreadableLookup, 'OBJECT_PERMISSIONS_MISSING:Account'],
        ['an expired permission set assignment', expiredAssignment, 'OBJECT_PERMISSIONS_MISSING:HubSpot Integration Permissions'],
        ['rights only in a session-based permission set', sessionBasedSet, 'OBJECT_PERMISSIONS_MISSING:HubSpot Session Access'],
        ['a right muted in a permission set group', mutedGroup, 'OBJECT_PERMISSIONS_MISSING:Opportunity']
    ])('shows the blocked verdict and the finding for %s', async (_label, snapshot, expected) => {
        const element = await mountWith(snapshot);
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('blocked');
        expect(await findingsOf(element)).toContain(expected);
        expect(child(element, 'c-suspension-panel').checksPass).toBe(false);
    });

    it.each([
        ['a missing object right', missingObjectEdit, 'HubSpot cannot sync: Salesforce object permissions missing. Fix it below.'],
        [
            'an inactive user',
            inactiveUser,
            'HubSpot cannot sync: Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled). Fix it below.'
        ],
        [
            'a limit close to its maximum',
            nearApiLimitAllRead(),
            // What the risk forecasts, as the Findings card heads it, not HubSpot's 'limit exceeded' as if it were.
            "HubSpot can sync now, but something below will suspend it soon or breaks part of the sync: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded)."
        ]
    ])('names what blocks or risks the sync in the verdict, not only "the findings below", for %s', async (_label, snapshot, text) => {
        const element = await mountWith(snapshot);
        expect($(element, '[data-id="verdict"] p').textContent).toBe(text);
    });

    it("names each cause once, at most three, in the Findings card's order", async () => {
        const several = JSON.parse(JSON.stringify(missingObjectEdit));
        several.user.IsActive = false;
        several.limits.DataStorageMB.Remaining = 0;
        several.limits.DailyApiRequests.Remaining = 0;
        const element = await mountWith(several);
        const headings = [
            ...child(element, 'c-finding-list').shadowRoot.querySelectorAll(
                '[data-id="finding-group"][data-severity="error"] [data-id="finding-group-toggle"] strong'
            )
        ].map((strong) => strong.textContent);
        expect(headings.length).toBeGreaterThan(3);
        expect(new Set(headings).size).toBe(headings.length);
        expect($(element, '[data-id="verdict"] p').textContent).toBe(
            `HubSpot cannot sync: ${headings[0]}, ${headings[1]}, ${headings[2]} and ${headings.length - 3} more. Fix them below.`
        );
    });

    it('tells the suspension panel nothing blocks when only risks remain (at risk is not blocked)', async () => {
        const element = await mountWith(nearApiLimit());
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('at-risk');
        expect(child(element, 'c-suspension-panel').checksPass).toBe(true);
    });

    it('counts the findings in the verdict, as the CLI header does, and puts the fix before the findings', async () => {
        const element = await mountWith(nearApiLimit());
        expect($(element, '[data-id="verdict-counts"]').textContent).toBe('0 findings block the sync, 1 risk, 0 notes');
        const column = child(element, 'c-finding-list').parentElement;
        expect([...column.children].map((node) => node.tagName.toLowerCase())).toEqual(['c-remediation-actions', 'c-finding-list']);
    });

    it('calls a user at risk when a limit is close, and marks the bar', async () => {
        const element = await mountWith(nearApiLimit());
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('at-risk');
        expect(await findingsOf(element)).toEqual(['API_LIMIT_EXCEEDED:DailyApiRequests']);
        const bar = child(element, 'c-limits-card').shadowRoot.querySelector('[data-limit="DailyApiRequests"]');
        expect(bar.dataset.state).toBe('warning');
        await expect(element).toBeAccessible();
    });

    it("shows HubSpot's refused logins beside the limits, and calls the user blocked though every right is there", async () => {
        const element = await mountWith(restrictedIp());
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('blocked');
        expect(await findingsOf(element)).toEqual(['API_ACCESS_DISABLED:hubspot@acme.com']);
        const card = child(element, 'c-login-history-card');
        expect(card.previousElementSibling.tagName.toLowerCase()).toBe('c-limits-card');
        // The core's diagnosis.logins, handed over as it is.
        expect(card.logins).toMatchObject({ attempts: 12, otherApplications: 1, failingSince: '2026-11-28T03:05:00.000+0000' });
        const since = card.shadowRoot.querySelector('[data-id="logins-refused-since"]');
        // In the core's time format, as the findings beside it give times (77216af).
        expect(since.textContent.replace(/\s+/g, ' ').trim()).toBe('Refused since 2026-11-28 03:05 UTC');
        const row = card.shadowRoot.querySelector('[data-id="login-failure"]');
        expect(row.dataset.status).toBe('Restricted IP');
        expect([...row.querySelectorAll('[data-id="login-failure-from"] li')].map((li) => li.textContent)).toEqual([
            '54.174.60.10',
            '54.174.60.11'
        ]);
        expect(card.shadowRoot.querySelector('[data-id="logins-others"]').textContent).toContain('1 attempt by other applications');
        await expect(element).toBeAccessible();
    });

    it('says the login history was not read when the snapshot has none (the admin lacks Manage Users)', async () => {
        const element = await mountWith(healthy);
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        const card = child(element, 'c-login-history-card');
        expect(card.logins).toBeUndefined();
        expect(card.shadowRoot.querySelector('[data-id="logins-not-read"]').textContent).toContain(
            'it needs the Manage Users or Monitor Login History permission'
        );
    });

    it("says in the verdict that HubSpot's connected app was not read, with the permissions it needs, and so does the report", async () => {
        // The healthy fixture has no connectedApps: the reader leaves it out when the admin may not read it.
        expect(healthy.connectedApps).toBeUndefined();
        const element = await mountWith(healthy);
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        const line = verdict.querySelector('[data-id="connected-apps-not-read"]');
        expect(line).not.toBeNull();
        expect(line.textContent.replace(/\s+/g, ' ').trim()).toBe(
            "HubSpot's connected app was not read, so its login policies were not checked: reading it needs Customize Application plus Modify All Data or Manage Connected Apps."
        );
        expect(line.classList.contains('slds-text-color_weak')).toBe(true);
        const report = child(element, 'c-copy-report');
        report.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
        await flush();
        expect(report.shadowRoot.querySelector('[data-id="copy-report-text"]').value).toContain(
            'HubSpot\'s connected app\n-----------------------\nNot read: reading HubSpot\'s connected app needs the "Customize Application" permission plus "Modify All Data" or "Manage Connected Apps"'
        );
        await expect(element).toBeAccessible();
    });

    it('says in the verdict, and the report under the user, that whether the user is frozen was not read (no Manage Users)', async () => {
        // The healthy fixture's user has no IsFrozen: the reader leaves it out when the admin may not read UserLogin.
        expect(healthy.user.IsFrozen).toBeUndefined();
        const element = await mountWith(frozenUnread('needs-manage-users', NEEDS_MANAGE_USERS));
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        const line = verdict.querySelector('[data-id="frozen-not-read"]');
        expect(line).not.toBeNull();
        expect(line.dataset.cause).toBe('needs-manage-users');
        expect(line.textContent.replace(/\s+/g, ' ').trim()).toBe(
            'Not checked whether HubSpot Integration is frozen: reading UserLogin needs the "Manage Users" permission. You do not have it.'
        );
        expect(line.classList.contains('slds-text-color_weak')).toBe(true);
        // Beside the other thing the verdict could not weigh, the user's own state first.
        expect(line.nextElementSibling.dataset.id).toBe('connected-apps-not-read');
        const report = child(element, 'c-copy-report');
        report.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
        await flush();
        const lines = report.shadowRoot.querySelector('[data-id="copy-report-text"]').value.split('\n');
        const user = lines.findIndex((text) => text.startsWith('Integration user: '));
        expect(user).toBeGreaterThan(-1);
        expect(lines[user + 1]).toBe('Whether the user is frozen was not read: reading UserLogin needs the "Manage Users" permission.');
        expect(lines[user + 1]).toBe(NEEDS_MANAGE_USERS);
        await expect(element).toBeAccessible();
    });

    it('names the user by its username when it has no name', async () => {
        const snapshot = frozenUnread('needs-manage-users', NEEDS_MANAGE_USERS);
        delete snapshot.user.Name;
        const element = await mountWith(snapshot);
        expect($(element, '[data-id="frozen-not-read"]').textContent.replace(/\s+/g, ' ').trim()).toBe(
            'Not checked whether hubspot@acme.com is frozen: reading UserLogin needs the "Manage Users" permission. You do not have it.'
        );
    });

    it('tells an admin who has Manage Users that the user has no UserLogin row, and does not send them for the permission', async () => {
        const element = await mountWith(frozenUnread('no-user-login', FROZEN_NOT_READ_MESSAGES['no-user-login']));
        const line = $(element, '[data-id="frozen-not-read"]');
        expect(line.dataset.cause).toBe('no-user-login');
        const text = line.textContent.replace(/\s+/g, ' ').trim();
        expect(text).toBe(
            'Not checked whether HubSpot Integration is frozen: Salesforce has no UserLogin row for it. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
        );
        // The core's line for the cause, after the page's opening: the same words as the report's.
        expect(text).toBe(
            `Not checked whether HubSpot Integration is frozen: ${frozenNotReadLine({ read: false, cause: 'no-user-login', message: '' }).replace(/^Whether the user is frozen was not read: /, '')}`
        );
        expect(text).not.toContain('Manage Users');
        const report = child(element, 'c-copy-report');
        report.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
        await flush();
        const reportText = report.shadowRoot.querySelector('[data-id="copy-report-text"]').value;
        expect(reportText).toContain(
            'Whether the user is frozen was not read: Salesforce has no UserLogin row for it. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
        );
        expect(reportText).not.toContain('"Manage Users" permission.');
        await expect(element).toBeAccessible();
    });

    it("gives Salesforce's own words when it refused the frozen state to an admin with Manage Users", async () => {
        const element = await mountWith(
            frozenUnread('error', "Whether the user is frozen was not read: sObject type 'UserLogin' is not supported.")
        );
        const text = $(element, '[data-id="frozen-not-read"]').textContent.replace(/\s+/g, ' ').trim();
        expect(text).toBe("Not checked whether HubSpot Integration is frozen: sObject type 'UserLogin' is not supported.");
    });

    it('names no permission when the snapshot does not say why the frozen state was not read', async () => {
        expect(healthy.frozenRead).toBeUndefined();
        const element = await mountWith(healthy);
        const text = $(element, '[data-id="frozen-not-read"]').textContent.replace(/\s+/g, ' ').trim();
        expect(text).toBe(
            'Not checked whether HubSpot Integration is frozen. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
        );
    });

    it('has no frozen not-read line, nor the report, when IsFrozen was read: a frozen user is a finding instead', async () => {
        const notFrozen = await mountWith(withFrozenFlag(false));
        expect($(notFrozen, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        expect(await findingsOf(notFrozen)).toEqual([]);
        expect($(notFrozen, '[data-id="frozen-not-read"]')).toBeNull();
        const report = child(notFrozen, 'c-copy-report');
        report.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
        await flush();
        // Neither the not-read line nor the frozen state among the checks to make by hand (Login
        // History, not read here, may still say a frozen user's logins show there).
        expect(report.shadowRoot.querySelector('[data-id="copy-report-text"]').value).not.toMatch(/frozen state|is frozen|Unfreeze/i);
        document.body.removeChild(notFrozen);

        const frozen = await mountWith(withFrozenFlag(true));
        expect($(frozen, '[data-id="verdict"]').dataset.verdict).toBe('blocked');
        expect(await findingsOf(frozen)).toEqual(['API_ACCESS_DISABLED:hubspot@acme.com']);
        expect($(frozen, '[data-id="frozen-not-read"]')).toBeNull();
    });

    it("has no not-read line, and the report no connected-app section, when HubSpot's connected app was read", async () => {
        const element = await mountWith({ ...JSON.parse(JSON.stringify(healthy)), connectedApps: connectedAppsDefault });
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        expect(await findingsOf(element)).toEqual([]);
        expect($(element, '[data-id="connected-apps-not-read"]')).toBeNull();
        const report = child(element, 'c-copy-report');
        report.shadowRoot.querySelector('[data-id="copy-report-button"]').click();
        await flush();
        const text = report.shadowRoot.querySelector('[data-id="copy-report-text"]').value;
        // The frozen state and Login History are not read here: the page's 'Partly checked', named.
        expect(text).toContain('Verdict: PARTLY CHECKED (frozen state and Login History not read)');
        expect(text).not.toContain("HubSpot's connected app");
    });

    it("shows HubSpot's connected app policies as findings about HubSpot, each with its fix, and calls the user blocked", async () => {
        const element = await mountWith(lockedDownApp());
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('blocked');
        expect(await findingsOf(element)).toEqual([
            'API_ACCESS_DISABLED:HubSpot',
            'API_ACCESS_DISABLED:HubSpot',
            'API_ACCESS_DISABLED:HubSpot'
        ]);
        const list = child(element, 'c-finding-list');
        const items = [...list.shadowRoot.querySelectorAll('[data-id="finding"][data-subject="HubSpot"]')];
        const approval = items.find((item) => item.dataset.severity === 'error');
        const [subject, message, fix, rule] = [...approval.querySelectorAll('p')].map((p) => p.textContent.trim());
        expect(subject).toBe('HubSpot');
        expect(message).toContain('admits admin-approved users only');
        expect(fix).toMatch(/^Fix: .*Manage Connected Apps, open "HubSpot" and add the profile "Minimum Access - API Only Integrations"/);
        expect(rule).toBe('Rule: Connected app: admin-approved users only (Permitted Users)');
        // No object or field is called HubSpot: no link to a row that does not exist.
        expect(approval.querySelector('[data-id="finding-row-link"]')).toBeNull();
        // The rule in words; its id stays as data.
        expect(items.map((item) => item.querySelector('p:last-child').dataset.rule)).toEqual([
            'connected-app-approval',
            'connected-app-session-policy',
            'connected-app-token-policy'
        ]);
        expect(items.map((item) => item.querySelector('p:last-child').textContent)).toEqual([
            'Rule: Connected app: admin-approved users only (Permitted Users)',
            'Rule: Connected app: High Assurance session required',
            'Rule: Connected app: Refresh Token Policy expires tokens'
        ]);
        // The other cards judge the rights, which are all there.
        expect(child(element, 'c-object-matrix')).not.toBeNull();
        expect(child(element, 'c-login-history-card')).not.toBeNull();
        expect($(element, '[data-id="connected-apps-not-read"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it("drops the approval finding once the user's profile is approved for HubSpot's app", async () => {
        const element = await mountWith(
            lockedDownApp([
                { attributes: { type: 'SetupEntityAccess' }, ParentId: '0PS5g00000ProfSGAQ', SetupEntityId: '0H45g00000HubSpAAA' }
            ])
        );
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('at-risk');
        const list = child(element, 'c-finding-list');
        await findingsOf(element);
        expect([...list.shadowRoot.querySelectorAll('[data-id="finding"]')].map((item) => item.dataset.severity)).toEqual([
            'warning',
            'warning'
        ]);
    });

    it('asks the Apex for the read scope of the requirements: the default mappings plus the saved extra fields', async () => {
        await mountWith(healthy, {
            ...SETTINGS,
            extraFields: [
                { name: 'Invoice__c.Amount__c', access: ['read'] },
                { name: 'contact.email', access: ['read', 'edit'] }
            ]
        });
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        const { userId, scopeJson } = getSnapshot.mock.calls[0][0];
        expect(userId).toBe(SETTINGS.userId);
        const scope = JSON.parse(scopeJson);
        expect(Object.keys(scope).sort()).toEqual(['fields', 'objects']);
        // The requirement objects, then the object the extra field brings: nothing else of the org.
        expect(scope.objects).toEqual(['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign', 'Task', 'User', 'Invoice__c']);
        const defaultFields = DEFAULT_REQUIREMENTS.fields.map((field) => field.name);
        expect(defaultFields).toEqual(expect.arrayContaining(['Contact.Email', 'Lead.Company', 'Account.Name', 'Opportunity.StageName']));
        // Every default mapping once (contact.email is Contact.Email), then the new extra field.
        expect(scope.fields).toEqual([...defaultFields, 'Invoice__c.Amount__c']);
    });

    it('sends only the default mappings when no extra field is saved', async () => {
        await mountWith(healthy);
        const scope = JSON.parse(getSnapshot.mock.calls[0][0].scopeJson);
        expect(scope.objects).toEqual(['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign', 'Task', 'User']);
        expect(scope.fields).toEqual(DEFAULT_REQUIREMENTS.fields.map((field) => field.name));
    });

    it('adds the saved extra mapped fields to the requirements', async () => {
        const element = await mountWith(healthy, {
            ...SETTINGS,
            extraFields: [{ name: 'Contact.Hub_Score__c', access: ['read', 'edit'] }]
        });
        const fields = child(element, 'c-field-table').fields.map((field) => field.name);
        expect(fields).toContain('Contact.Hub_Score__c');
        expect($(element, '[data-id="verdict"]').dataset.verdict).not.toBe('healthy');
    });

    it('shows an Apex error with a retry that loads again', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockRejectedValueOnce({ body: { message: 'You need the Sync_Doctor_Access custom permission.' }, status: 500 });
        const element = mount();
        await flush();
        const error = $(element, '[data-id="error"]');
        expect(error.textContent).toContain('You need the Sync_Doctor_Access custom permission.');
        expect($(element, '[data-id="verdict"]')).toBeNull();
        await expect(element).toBeAccessible();

        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        $(element, '[data-id="retry-button"]').click();
        await flush();
        expect($(element, '[data-id="error"]')).toBeNull();
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
    });

    it('gives the picker the checked user, so a failed look-up still names them instead of an Id', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        findIntegrationUserCandidates.mockRejectedValueOnce({ body: { message: 'Salesforce answered SERVER_UNAVAILABLE' } });
        const element = mount();
        await flush();
        const picker = child(element, 'c-integration-user-picker');
        expect(picker.shadowRoot.querySelector('[data-id="user-picker-error"]')).not.toBeNull();
        const current = picker.shadowRoot.querySelector('[data-id="user-picker-current"]').textContent;
        expect(current).toContain(healthy.user.Username);
        expect(current).not.toContain(SETTINGS.userId);
    });

    it('"Try again" looks for the integration user again, so the picker drops its look-up error', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockRejectedValueOnce({ body: { message: 'Salesforce answered SERVER_UNAVAILABLE' } });
        findIntegrationUserCandidates.mockRejectedValueOnce({ body: { message: 'Salesforce answered SERVER_UNAVAILABLE' } });
        const element = mount();
        await flush();
        const picker = child(element, 'c-integration-user-picker');
        expect(picker.shadowRoot.querySelector('[data-id="user-picker-error"]')).not.toBeNull();

        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        $(element, '[data-id="retry-button"]').click();
        await flush();
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        expect(findIntegrationUserCandidates).toHaveBeenCalledTimes(2);
        expect(picker.shadowRoot.querySelector('[data-id="user-picker-error"]')).toBeNull();
        expect(picker.shadowRoot.querySelector('[data-id="user-picker-current"]').textContent).toContain(
            'HubSpot Integration (hubspot@acme.com)'
        );
    });

    it('keeps "Check again" focusable while it checks, ignoring a second press', async () => {
        const element = await mountWith(healthy);
        let finish;
        getSettings.mockReturnValue(new Promise((resolve) => (finish = resolve)));
        const button = $(element, '[data-id="refresh-button"]');
        button.click();
        await flush();
        expect($(element, '[data-id="refreshing"]')).not.toBeNull();
        // A disabled button would drop the keyboard focus to the page.
        expect(button.disabled).toBeFalsy();
        button.click();
        await flush();
        expect(getSettings).toHaveBeenCalledTimes(2);
        finish(JSON.stringify(SETTINGS));
        await flush();
        expect($(element, '[data-id="verdict"]')).not.toBeNull();
    });

    it('refuses a snapshot that is not in the core format, saying where', async () => {
        const element = await mountWith({ capturedAt: 42 });
        expect($(element, '[data-id="error"]').textContent).toMatch(/not in Sync Doctor's format \(.*capturedAt/);
    });

    it('asks for the integration user when none is saved and does not read a snapshot', async () => {
        const element = await mountWith(healthy, { userId: null, portalId: null, extraFields: [] });
        expect($(element, '[data-id="no-user"]')).not.toBeNull();
        expect(getSnapshot).not.toHaveBeenCalled();
        expect(child(element, 'c-integration-user-picker')).not.toBeNull();
        // The instruction comes before the form it explains, not under its Save button.
        const hint = $(element, '[data-id="no-user"]');
        expect(hint.compareDocumentPosition(child(element, 'c-integration-user-picker')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
        await expect(element).toBeAccessible();
    });

    it('shows the empty states when the org snapshot holds no data', async () => {
        const element = await mountWith({ schemaVersion: 1, capturedAt: '2026-11-28T12:00:00.000Z' });
        expect($(element, '[data-id="verdict"]')).not.toBeNull();
        expect(child(element, 'c-limits-card').shadowRoot.querySelector('[data-id="limits-empty"]')).not.toBeNull();
        // The core says what it could not judge rather than calling an empty org healthy.
        expect((await findingsOf(element)).length).toBeGreaterThan(0);
        expect($(element, '[data-id="verdict"]').dataset.verdict).not.toBe('healthy');
        await expect(element).toBeAccessible();
    });

    it('reloads the snapshot when the user picker saved new settings', async () => {
        const element = await mountWith(missingObjectEdit);
        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        const other = { ...SETTINGS, userId: '0055g00000OtherUAAS' };
        child(element, 'c-integration-user-picker').dispatchEvent(new CustomEvent('settingschange', { detail: { settings: other } }));
        await flush();
        expect(getSnapshot).toHaveBeenLastCalledWith({ userId: '0055g00000OtherUAAS', scopeJson: expect.any(String) });
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
    });

    it("shows the chosen user's diagnosis when the previous user's slower snapshot comes in last", async () => {
        let answerPrevious;
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot
            .mockReturnValueOnce(
                new Promise((resolve) => {
                    answerPrevious = resolve;
                })
            )
            .mockResolvedValueOnce(JSON.stringify(healthy));
        const element = mount();
        await flush();
        const other = { ...SETTINGS, userId: '0055g00000OtherUAAS' };
        child(element, 'c-integration-user-picker').dispatchEvent(new CustomEvent('settingschange', { detail: { settings: other } }));
        await flush();
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        // The previous user's snapshot: its findings (and the fix planned from them) are not the chosen user's.
        answerPrevious(JSON.stringify(missingObjectEdit));
        await flush();
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        expect(child(element, 'c-remediation-actions').userId).toBe('0055g00000OtherUAAS');
        expect($(element, '[data-id="loading"]')).toBeNull();
    });

    it('reads the org again after a remediation and turns healthy', async () => {
        const element = await mountWith(missingObjectEdit);
        applyRemediation.mockResolvedValue(
            JSON.stringify({ permissionSetId: '0PS000000000001', assigned: true, objectPermissions: 1, fieldPermissions: 0 })
        );
        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        const actions = child(element, 'c-remediation-actions');
        actions.shadowRoot.querySelector('[data-id="remediation-apply"]').click();
        await flush();
        actions.shadowRoot.querySelector('[data-id="remediation-confirm"]').click();
        await flush();
        expect(applyRemediation).toHaveBeenCalledTimes(1);
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect($(element, '[data-id="verdict"]').dataset.verdict).toBe('healthy');
        // The button that opened the fix is gone: the focus goes to the new verdict, not to the page.
        await flush();
        expect(element.shadowRoot.activeElement).toBe($(element, '[data-id="verdict"]'));
    });

    it('passes the status the suspension panel loaded on to the copied report', async () => {
        const status = {
            portalId: '12345678',
            state: 'suspended',
            reason: 'OBJECT_PERMISSIONS_MISSING',
            title: null,
            since: '2026-11-28T10:00:00.000Z',
            lastSeenAt: null,
            clearedAt: null,
            source: 'email',
            excerpt: null,
            history: []
        };
        getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
        const element = await mountWith(missingObjectEdit);
        await flush();
        expect(child(element, 'c-copy-report').status).toEqual(status);
    });
});

describe('c-sync-doctor-app around the suspension panel', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    const suspension = (overrides = {}) => ({
        portalId: '12345678',
        state: 'suspended',
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

    it("puts HubSpot's suspension at the top, above the verdict, with the next step", async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(missingObjectEdit);
        await flush();
        const alert = $(element, '[data-id="suspension-alert"]');
        expect(alert).not.toBeNull();
        expect(alert.dataset.state).toBe('suspended');
        expect(alert.className).toContain('slds-alert_error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.querySelector('[data-id="suspension-alert-title"]').textContent).toBe(
            'HubSpot suspended the Salesforce sync: Salesforce object permissions missing'
        );
        // The findings block the sync: clearing first would only get it suspended again.
        expect(alert.querySelector('[data-id="suspension-alert-next"]').textContent).toBe(
            'Fix the findings below first, then clear the suspension in HubSpot.'
        );
        const verdict = $(element, '[data-id="verdict"]');
        expect(alert.compareDocumentPosition(verdict) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
        // The banner says to fix the findings first; the verdict names the cause, once.
        expect($(element, '[data-id="verdict"] p').textContent).toBe('HubSpot cannot sync: Salesforce object permissions missing.');

        // Cleared in HubSpot (the panel reports it live): the banner goes.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ state: 'cleared', clearedAt: '2026-11-29T10:00:00.000Z' }) } })
        );
        await flush();
        expect($(element, '[data-id="suspension-alert"]')).toBeNull();
        // No banner to say it: the verdict does.
        expect($(element, '[data-id="verdict"] p').textContent).toBe(
            'HubSpot cannot sync: Salesforce object permissions missing. Fix it below.'
        );
    });

    it("gives the fix card the relayed suspension: a frozen user's HubSpot step says to clear it, or how reconnecting lifts it", async () => {
        const hubspotSteps = (element) => {
            const card = child(element, 'c-remediation-actions');
            return [...card.shadowRoot.querySelectorAll('[data-id="remediation-hubspot"] li')].map((li) => li.textContent);
        };
        // HubSpot reports a suspension "Clear Suspension" lifts: clear it, no "if".
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'UNKNOWN_ERROR' })));
        const element = await mountWith(withFrozenFlag(true));
        await flush();
        expect(hubspotSteps(element)).toEqual([expect.stringMatching(/'hubspot@acme\.com', then clear the suspension\.$/)]);
        expect(hubspotSteps(element)[0]).not.toContain('if HubSpot suspended');

        // Cleared in HubSpot (the panel reports it live): the condition again, not an order.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ state: 'cleared', clearedAt: '2026-11-29T10:00:00.000Z' }) } })
        );
        await flush();
        expect(hubspotSteps(element)).toEqual([expect.stringMatching(/, then clear the suspension if HubSpot suspended the sync\.$/)]);

        // "API access disabled" (what a frozen user gets): reconnecting lifts it, as the banner says.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ reason: 'API_ACCESS_DISABLED' }) } })
        );
        await flush();
        expect($(element, '[data-id="suspension-alert-next"]').textContent).toContain('"Clear Suspension" is not the way out of this one');
        expect(hubspotSteps(element)).toEqual([expect.stringMatching(/'hubspot@acme\.com': reconnecting clears the suspension\.$/)]);
    });

    it('follows the reason\'s own way out in the banner: API access disabled is lifted by reconnecting, not by "Clear Suspension"', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'API_ACCESS_DISABLED' })));
        const element = await mountWith(apiDisabled);
        await flush();
        const next = $(element, '[data-id="suspension-alert-next"]').textContent;
        expect(next).toBe(
            'Fix the findings below first, then re-enter the integration user\'s Salesforce credentials in HubSpot (reconnect): "Clear Suspension" is not the way out of this one.'
        );
        expect(next).not.toContain('then clear the suspension');
    });

    it('never says a cause is gone when the step that decides it is in HubSpot (missing field mappings)', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'FIELD_MAPPINGS_MISSING' })));
        const element = await mountWith(allRead());
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        const text = verdict.querySelector('p').textContent;
        expect(text).not.toContain('gone');
        expect(text).toBe(
            'The integration user has everything HubSpot needs, but what decides the cause HubSpot reported ("Missing field mappings") is in HubSpot, which Sync Doctor cannot see. "Suspension reported by HubSpot" below says what to check there before you clear the suspension.'
        );
    });

    it('drops the banner when the admin saves the settings without a portal id, whose suspension it was', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(missingObjectEdit);
        await flush();
        expect($(element, '[data-id="suspension-alert"]')).not.toBeNull();
        const noPortal = { ...SETTINGS, portalId: null };
        child(element, 'c-integration-user-picker').dispatchEvent(new CustomEvent('settingschange', { detail: { settings: noPortal } }));
        await flush();
        await flush();
        expect($(element, '[data-id="suspension-alert"]')).toBeNull();
        expect(getSuspensionStatus).toHaveBeenCalledTimes(1);
    });

    it("says the banner's and the read time in the core's words, as the findings and the Logins card do", async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = await mountWith(missingObjectEdit);
        await flush();
        // The locale's "Nov 28, 2026, 02:00 AM PST" beside the findings' UTC read as another moment.
        expect(element.shadowRoot.querySelectorAll('lightning-formatted-date-time')).toHaveLength(0);
        expect($(element, '[data-id="suspension-alert-since"]').textContent).toBe('Since 2026-11-28 10:00 UTC.');
        expect($(element, '[data-id="verdict-read-at"]').textContent).toBe('Read from Salesforce 2026-11-28 12:00 UTC');
    });

    it("points a healthy org's admin to the panel for when to clear, and warns (not errs) for a suspected suspension", async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
        getSuspensionStatus.mockResolvedValue(
            JSON.stringify(suspension({ state: 'suspected', reason: null, title: 'Sync stalled', since: null }))
        );
        const element = await mountWith(healthy);
        await flush();
        const alert = $(element, '[data-id="suspension-alert"]');
        expect(alert.dataset.state).toBe('suspected');
        expect(alert.className).toContain('slds-alert_warning');
        expect(alert.querySelector('[data-id="suspension-alert-title"]').textContent).toBe(
            'HubSpot may have suspended the Salesforce sync: Sync stalled'
        );
        expect(alert.querySelector('[data-id="suspension-alert-next"]').textContent).toContain('"Suspension reported by HubSpot"');
        expect(alert.textContent).not.toContain('Since');
    });

    it('never puts a green "Healthy" under a suspension whose cause Sync Doctor cannot see: access OK, sync suspended', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'ORG_LOCKED' })));
        const element = await mountWith(allRead());
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        const badge = verdict.querySelector('h2 span');
        expect(badge.textContent).toBe('Access OK, sync suspended');
        expect(badge.className).not.toContain('slds-theme_success');
        expect(verdict.querySelector('p').textContent).toBe(
            'The integration user has everything HubSpot needs, but HubSpot suspended the sync for "Salesforce org locked", which is outside what Sync Doctor checks. "Suspension reported by HubSpot" below says what to check.'
        );

        // A suspected suspension: "Access OK", the cause named as the relay titled it.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ state: 'suspected', reason: null, title: 'Sync stalled' }) } })
        );
        await flush();
        expect(verdict.querySelector('h2 span').textContent).toBe('Access OK');
        expect(verdict.querySelector('p').textContent).toContain('HubSpot may have suspended the sync for "Sync stalled"');

        // A cause Sync Doctor checks and finds gone now (room in storage).
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ reason: 'STORAGE_LIMIT_EXCEEDED' }) } })
        );
        await flush();
        expect(verdict.querySelector('p').textContent).toContain('is gone now');

        // Cleared: "Healthy" again.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ state: 'cleared', clearedAt: '2026-11-29T10:00:00.000Z' }) } })
        );
        await flush();
        expect(verdict.querySelector('h2 span').textContent).toBe('Healthy');
    });

    it("words a healthy org's suspension in the core's sentence, the one the CLI and the copied report say", async () => {
        const noDailyRequests = allRead();
        delete noDailyRequests.limits.DailyApiRequests;
        const cases = [
            // [snapshot, status, the agreement of the reason's steps, the reason's title]
            [allRead(), suspension({ reason: 'STORAGE_LIMIT_EXCEEDED' }), 'fixed-since', 'Salesforce org storage limits exceeded'],
            [allRead(), suspension({ state: 'suspected', reason: 'FIELD_MAPPINGS_MISSING' }), 'check-in-hubspot', 'Missing field mappings'],
            [noDailyRequests, suspension({ reason: 'API_LIMIT_EXCEEDED' }), 'not-judged', 'Salesforce org API limit exceeded'],
            [allRead(), suspension({ state: 'suspected', reason: 'ORG_LOCKED' }), 'not-visible', 'Salesforce org locked'],
            [allRead(), suspension({ reason: null, title: 'Sync stalled' }), null, 'Sync stalled']
        ];
        for (const [snapshot, status, agreement, title] of cases) {
            getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
            // eslint-disable-next-line no-await-in-loop
            const element = await mountWith(snapshot);
            // eslint-disable-next-line no-await-in-loop
            await flush();
            const verdict = $(element, '[data-id="verdict"]');
            expect(verdict.dataset.verdict).toBe('healthy');
            expect(verdict.querySelector('p').textContent).toBe(
                relayedVerdictSentence(agreement, title, { reported: status.state === 'suspended' })
            );
            document.body.removeChild(element);
        }
    });

    it('never says an at-risk org syncs under the suspension: "At risk, sync suspended", no "can sync now"', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'API_LIMIT_EXCEEDED' })));
        const element = await mountWith(nearApiLimitAllRead());
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('at-risk');
        expect(verdict.querySelector('h2 span').textContent).toBe('At risk, sync suspended');
        const text = verdict.querySelector('p').textContent;
        expect(text).not.toContain('can sync now');
        expect(text).toMatch(/^Something below can get the sync suspended/);

        // Cleared: the sync works again, at risk.
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: suspension({ state: 'cleared', clearedAt: '2026-11-29T10:00:00.000Z' }) } })
        );
        await flush();
        expect(verdict.querySelector('h2 span').textContent).toBe('At risk');
        expect(verdict.querySelector('p').textContent).toMatch(/^HubSpot can sync now/);
    });

    it('never says a cause Sync Doctor could not check is gone (limits read without the daily API requests)', async () => {
        const unread = allRead();
        delete unread.limits.DailyApiRequests;
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension({ reason: 'API_LIMIT_EXCEEDED' })));
        const element = await mountWith(unread);
        await flush();
        const verdict = $(element, '[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('healthy');
        expect(verdict.querySelector('h2 span').textContent).toBe('Access OK, sync suspended');
        const text = verdict.querySelector('p').textContent;
        expect(text).not.toContain('is gone now');
        expect(text).toContain('Sync Doctor could not check');
    });

    it("takes the admin from a step's finding to that finding in the Findings card, opened and focused", async () => {
        Element.prototype.scrollIntoView = jest.fn();
        try {
            getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
            const element = await mountWith(missingObjectEdit);
            await flush();
            const panel = child(element, 'c-suspension-panel');
            const list = child(element, 'c-finding-list');
            expect(panel.findingLinks).toBe(true);
            // The admin closed the group: the link opens it again.
            const toggle = list.shadowRoot.querySelector(
                '[data-id="finding-group"][data-reason="OBJECT_PERMISSIONS_MISSING"] [data-id="finding-group-toggle"]'
            );
            toggle.click();
            await flush();
            expect(toggle.getAttribute('aria-expanded')).toBe('false');

            panel.shadowRoot.querySelector('[data-id="suspension-step-findings"] [data-id="suspension-finding-link"]').click();
            await flush();
            expect(toggle.getAttribute('aria-expanded')).toBe('true');
            const focused = list.shadowRoot.activeElement;
            expect(focused.dataset.id).toBe('finding');
            expect(focused.dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
            expect(focused.dataset.subject).toBe('Contact');
            expect(Element.prototype.scrollIntoView).toHaveBeenCalled();
            await expect(element).toBeAccessible();
        } finally {
            delete Element.prototype.scrollIntoView;
        }
    });

    it('lists the findings as text, without links, while there is no Findings card', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockRejectedValue({ body: { message: 'API_DISABLED_FOR_ORG' } });
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspension()));
        const element = mount();
        await flush();
        expect(child(element, 'c-finding-list')).toBeNull();
        expect(child(element, 'c-suspension-panel').findingLinks).toBe(false);
    });

    it('still shows the relayed suspension when the org cannot be read', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockRejectedValue({ body: { message: 'API_DISABLED_FOR_ORG' } });
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
        getSuspensionStatus.mockResolvedValue('null');
        const element = mount();
        await flush();
        expect($(element, '[data-id="error"]')).not.toBeNull();
        const panel = child(element, 'c-suspension-panel');
        expect(panel).not.toBeNull();
        expect(panel.checksPass).toBe(false);
        expect(panel.checksRan).toBe(false);
        expect(getSuspensionStatus).toHaveBeenCalledWith({ portalId: '12345678' });
    });

    it('"Check again" reads the org and the suspension status again', async () => {
        getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
        getSnapshot.mockResolvedValue(JSON.stringify(healthy));
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
        getSuspensionStatus.mockResolvedValue('null');
        const element = mount();
        await flush();
        $(element, '[data-id="refresh-button"]').click();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(getSuspensionStatus).toHaveBeenCalledTimes(2);
    });
});

describe('c-sync-doctor-app between the findings and the rows that prove them', () => {
    beforeEach(() => {
        // jsdom lays nothing out and has no scrollIntoView.
        Element.prototype.scrollIntoView = jest.fn();
    });
    afterEach(() => {
        delete Element.prototype.scrollIntoView;
    });

    const rowLink = (list, subject) =>
        list.shadowRoot.querySelector(`[data-id="finding"][data-subject="${subject}"] [data-id="finding-row-link"]`);

    it("takes the admin from an object's finding to its row in the object matrix, focused", async () => {
        const element = await mountWith(missingObjectEdit);
        const list = child(element, 'c-finding-list');
        const matrix = child(element, 'c-object-matrix');
        rowLink(list, 'Contact').click();
        await flush();
        const focused = matrix.shadowRoot.activeElement;
        expect(focused.dataset.id).toBe('object-row');
        expect(focused.dataset.object).toBe('Contact');
        expect(focused.classList).toContain('sd-row_revealed');
        expect(Element.prototype.scrollIntoView).toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it("takes the admin from a field's finding to its row in the field table, through its filters", async () => {
        const element = await mountWith(readOnlyField);
        const list = child(element, 'c-finding-list');
        const table = child(element, 'c-field-table');
        // The admin narrowed the table to another object first.
        const filter = table.shadowRoot.querySelector('[data-id="field-object-filter"]');
        const other = [...filter.options].map((option) => option.value).find((value) => value && value !== 'Contact');
        filter.value = other;
        filter.dispatchEvent(new CustomEvent('change'));
        await flush();
        expect(table.shadowRoot.querySelector('[data-field="Contact.Email"]')).toBeNull();

        rowLink(list, 'Contact.Email').click();
        await flush();
        const focused = table.shadowRoot.activeElement;
        expect(focused.dataset.id).toBe('field-row');
        expect(focused.dataset.field).toBe('Contact.Email');
        expect(table.shadowRoot.querySelector('[data-id="field-reveal-note"]').textContent).toContain('the object filter');
    });

    it("takes the admin from a finding under an object's row to that finding in the Findings card", async () => {
        const element = await mountWith(missingObjectEdit);
        const list = child(element, 'c-finding-list');
        const matrix = child(element, 'c-object-matrix');
        expect(matrix.findingLinks).toBe(true);
        const toggle = list.shadowRoot.querySelector(
            '[data-id="finding-group"][data-reason="OBJECT_PERMISSIONS_MISSING"] [data-id="finding-group-toggle"]'
        );
        toggle.click();
        await flush();
        expect(toggle.getAttribute('aria-expanded')).toBe('false');

        matrix.shadowRoot.querySelector('[data-id="object-row"][data-object="Contact"] [data-id="object-finding-link"]').click();
        await flush();
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        const focused = list.shadowRoot.activeElement;
        expect(focused.dataset.id).toBe('finding');
        expect(focused.dataset.subject).toBe('Contact');
    });

    it('ignores a showrow it cannot place', async () => {
        const element = await mountWith(missingObjectEdit);
        const list = child(element, 'c-finding-list');
        list.dispatchEvent(new CustomEvent('showrow', { detail: { kind: 'user', name: 'hubspot@acme.com' } }));
        list.dispatchEvent(new CustomEvent('showrow', { detail: { kind: 'object', name: 'NoSuchObject__c' } }));
        list.dispatchEvent(new CustomEvent('showrow'));
        await flush();
        expect(child(element, 'c-object-matrix').shadowRoot.activeElement).toBeNull();
        expect(child(element, 'c-field-table').shadowRoot.activeElement).toBeNull();
        expect(Element.prototype.scrollIntoView).not.toHaveBeenCalled();
        // The page still answers the next one it can place.
        list.dispatchEvent(new CustomEvent('showrow', { detail: { kind: 'object', name: 'Contact' } }));
        await flush();
        expect(child(element, 'c-object-matrix').shadowRoot.activeElement.dataset.object).toBe('Contact');
    });
});
