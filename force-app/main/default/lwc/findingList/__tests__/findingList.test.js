import { createElement } from 'lwc';
import FindingList from 'c/findingList';
import { SUSPENSION_REASONS } from 'c/syncDoctorCore';
import { flush, resetDOM, byId } from 'test-utils';

const groupTitles = (element) =>
    [...element.shadowRoot.querySelectorAll('[data-id="finding-group-toggle"] strong')].map((title) => title.textContent);

const findings = require('./data/findings.json');

function mount(props) {
    const element = createElement('c-finding-list', { is: FindingList });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const groupsOf = (element) =>
    [...element.shadowRoot.querySelectorAll('[data-id="finding-group"]')].map((group) => ({
        severity: group.dataset.severity,
        reason: group.dataset.reason,
        count: Number(group.dataset.count),
        expanded: group.querySelector('[data-id="finding-group-toggle"]').getAttribute('aria-expanded'),
        shown: group.querySelectorAll('[data-id="finding"]').length
    }));

/** What the missing-permission-set demo org gives: 6 object errors, 49 field errors, 1 note. */
function manyFindings() {
    const list = [];
    for (const object of ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign', 'Task']) {
        list.push({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            severity: 'error',
            subject: object,
            message: `Cannot edit ${object}.`,
            remedy: `Grant Edit on ${object}.`
        });
    }
    for (let n = 0; n < 49; n += 1) {
        list.push({
            reason: 'FIELD_PERMISSIONS_MISSING',
            severity: 'error',
            subject: `Contact.Field${n}__c`,
            message: `Cannot read Field${n}.`,
            remedy: 'Grant Read.'
        });
    }
    list.push({ reason: 'OBJECT_PERMISSIONS_MISSING', severity: 'info', subject: 'User', message: 'Read only.', remedy: 'Nothing to do.' });
    return list;
}

afterEach(resetDOM);

describe('c-finding-list subjects', () => {
    it('names org limits and system permissions as Setup does, keeping the API name in data-subject', async () => {
        const element = mount({
            findings: [
                {
                    reason: 'STORAGE_LIMIT_EXCEEDED',
                    severity: 'error',
                    subject: 'DataStorageMB',
                    message: 'Full.',
                    remedy: 'Free some.'
                },
                {
                    reason: 'API_ACCESS_DISABLED',
                    severity: 'error',
                    subject: 'PermissionsApiEnabled',
                    message: 'No API.',
                    remedy: 'Turn it on.'
                },
                { reason: 'OBJECT_PERMISSIONS_MISSING', severity: 'error', subject: 'Contact', message: 'No edit.', remedy: 'Grant it.' }
            ]
        });
        await flush();
        const shown = [...element.shadowRoot.querySelectorAll('[data-id="finding"]')].map((item) => [
            item.dataset.subject,
            item.querySelector('strong').textContent
        ]);
        expect(shown).toEqual(
            expect.arrayContaining([
                ['DataStorageMB', 'Data storage'],
                ['PermissionsApiEnabled', 'API Enabled (system permission)'],
                ['Contact', 'Contact']
            ])
        );
    });
});

describe('c-finding-list', () => {
    it('groups errors first, then warnings, then notes, each with its count; the worst severity is open', async () => {
        const element = mount({ findings });
        expect(groupsOf(element)).toEqual([
            { severity: 'error', reason: 'OBJECT_PERMISSIONS_MISSING', count: 1, expanded: 'true', shown: 1 },
            { severity: 'warning', reason: 'API_LIMIT_EXCEEDED', count: 1, expanded: 'false', shown: 0 },
            { severity: 'info', reason: 'FIELD_MAPPINGS_MISSING', count: 1, expanded: 'false', shown: 0 }
        ]);
        await expect(element).toBeAccessible();
    });

    it("keeps a group's count in one piece and lets it wrap with the reason's title, not in a column of its own", async () => {
        const element = mount({ findings: manyFindings() });
        await flush();
        const count = byId(element, 'finding-group-count');
        expect(count.textContent.trim()).toBe('(6\u00a0findings)');
        // Title and count share one flex item: a narrow column wraps them as one line of text.
        expect(count.parentElement.querySelector('strong').textContent).toBe('Salesforce object permissions missing');
    });

    it('counts errors, warnings and notes in the header in the words of their badges', () => {
        const element = mount({ findings: manyFindings() });
        const counts = byId(element, 'finding-counts');
        expect(counts.textContent.trim()).toBe('55 findings block the sync, 0 risks, 1 note');
        expect({ ...counts.dataset }).toMatchObject({ errors: '55', warnings: '0', info: '1' });
        // The header never says "error" or "warning", words no badge below uses.
        expect(counts.textContent).not.toMatch(/error|warning/i);
    });

    it('says "1 finding blocks the sync, 1 risk" for one of each, as the badges "Blocks the sync" and "Risk" do', () => {
        const findings = [
            {
                severity: 'error',
                reason: 'OBJECT_PERMISSIONS_MISSING',
                subject: 'Contact',
                message: 'Contact lacks Edit.',
                remedy: 'Grant it.'
            },
            {
                severity: 'warning',
                reason: 'API_LIMIT_NEAR',
                subject: 'DailyApiRequests',
                message: 'API calls near the limit.',
                remedy: 'Wait.'
            }
        ];
        const element = mount({ findings });
        expect(byId(element, 'finding-counts').textContent.trim()).toBe('1 finding blocks the sync, 1 risk, 0 notes');
        const badges = [...element.shadowRoot.querySelectorAll('.slds-badge')].map((badge) => badge.textContent.trim());
        expect(badges).toEqual(expect.arrayContaining(['Blocks the sync', 'Risk']));
    });

    it('shows the first five of a long group and "Show N more", which reveals the rest and keeps the focus in the list', async () => {
        const element = mount({ findings: manyFindings() });
        const [objects, fields, note] = groupsOf(element);
        // A group of six shows all six: "Show 1 more" would cost as much as the finding.
        expect(objects).toMatchObject({ count: 6, shown: 6, expanded: 'true' });
        expect(fields).toMatchObject({ count: 49, shown: 5, expanded: 'true' });
        expect(note).toMatchObject({ count: 1, shown: 0, expanded: 'false' });
        expect(element.shadowRoot.querySelectorAll('[data-id="finding"]')).toHaveLength(11);

        const more = byId(element, 'finding-group-more');
        expect(more.textContent).toContain('Show 44 more');
        expect(more.textContent).toContain(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en);
        more.click();
        await flush();
        expect(groupsOf(element)[1].shown).toBe(49);
        expect(byId(element, 'finding-group-more')).toBeNull();
        expect(element.shadowRoot.activeElement.dataset.subject).toBe('Contact.Field5__c');
        await expect(element).toBeAccessible();
    });

    it('opens and closes a group from its button, saying so with aria-expanded', async () => {
        const element = mount({ findings: manyFindings() });
        const toggle = element.shadowRoot.querySelectorAll('[data-id="finding-group-toggle"]')[2];
        expect(toggle.tagName).toBe('BUTTON');
        expect(toggle.getAttribute('aria-controls')).toBeNull();
        toggle.click();
        await flush();
        expect(groupsOf(element)[2]).toMatchObject({ expanded: 'true', shown: 1 });
        expect(toggle.getAttribute('aria-controls')).toBeTruthy();
        const first = element.shadowRoot.querySelectorAll('[data-id="finding-group-toggle"]')[0];
        first.click();
        await flush();
        expect(groupsOf(element)[0]).toMatchObject({ expanded: 'false', shown: 0 });
    });

    it('opens the warnings when there is no error', () => {
        const element = mount({ findings: findings.filter((finding) => finding.severity !== 'error') });
        expect(groupsOf(element).map((group) => `${group.severity}:${group.expanded}`)).toEqual(['warning:true', 'info:false']);
    });

    it("names HubSpot's suspension reason from the core's catalog, with message, remedy and rule", async () => {
        const element = mount({ findings });
        const contact = element.shadowRoot.querySelector('[data-id="finding"][data-subject="Contact"]');
        expect(contact.dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
        expect(contact.closest('[data-id="finding-group"]').textContent).toContain(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en);
        expect(contact.textContent).toContain('The integration user cannot edit Contact records.');
        expect(contact.textContent).toContain('Grant Edit on Contact.');
        element.shadowRoot.querySelector('[data-id="finding-group"][data-reason="API_LIMIT_EXCEEDED"] button').click();
        await flush();
        const api = element.shadowRoot.querySelector('[data-subject="DailyApiRequests"]');
        expect(api.textContent).toContain('Rule: Salesforce refuses every call at 100%.');
    });

    it('names the rule in words, keeping its id only as data', () => {
        const element = mount({ findings: [{ ...findings[2], rule: 'object-permissions' }] });
        const rule = element.shadowRoot.querySelector('[data-id="finding"][data-subject="Contact"] [data-id="finding-rule"]');
        expect(rule.textContent).toBe('Rule: Object permissions (ObjectPermissions, Modify/View All Data)');
        expect(rule.dataset.rule).toBe('object-permissions');
        expect(element.shadowRoot.textContent).not.toContain('Rule: object-permissions');
    });

    it("gives HubSpot's stopped sync a group and heading of its own, not a refused login's reason", async () => {
        const element = mount({ findings: require('./data/syncStopped.json') });
        expect(groupTitles(element)).toEqual([
            "At risk: HubSpot's sync has stopped",
            `At risk: ${SUSPENSION_REASONS.API_ACCESS_DISABLED.riskTitle} (HubSpot's reason if it suspends: ${SUSPENSION_REASONS.API_ACCESS_DISABLED.titles.en})`
        ]);
        const groups = [...element.shadowRoot.querySelectorAll('[data-id="finding-group"]')];
        expect(groups.map((group) => [group.dataset.symptom, Number(group.dataset.count)])).toEqual([
            ['SYNC_STOPPED', 1],
            [undefined, 1]
        ]);
        expect(groups[0].querySelector('[data-id="finding"]').textContent).toContain('about every hour');
        // Revealed, it is announced under its own heading.
        const [stopped] = require('./data/syncStopped.json');
        expect(element.revealFinding(stopped)).toBe(true);
        await flush();
        expect(byId(element, 'finding-live').textContent).toContain("HubSpot's sync has stopped. 1 of 1.");
        await expect(element).toBeAccessible();
    });

    it('says so when there is nothing to report', async () => {
        const element = mount({ findings: [] });
        expect(byId(element, 'finding-none')).not.toBeNull();
        expect(byId(element, 'finding-counts')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it("says 'in what Sync Doctor could read', not in green, when checks were skipped (the core's unchecked)", async () => {
        const unchecked = [
            { check: 'frozen', label: 'frozen state', line: 'Not read.', byHand: 'Check by hand.', needs: '"Manage Users"' }
        ];
        const element = mount({ findings: [], unchecked });
        const none = byId(element, 'finding-none');
        expect(none.textContent).toBe('No problems found in what Sync Doctor could read.');
        expect(none.className).not.toContain('slds-text-color_success');
        await expect(element).toBeAccessible();
    });

    it('says a plain "No problems found." in green when every check was made', async () => {
        for (const unchecked of [[], undefined, null]) {
            const element = mount({ findings: [], unchecked });
            const none = byId(element, 'finding-none');
            expect(none.textContent).toBe('No problems found.');
            expect(none.className).toContain('slds-text-color_success');
            resetDOM();
        }
    });

    it('titles a risk "At risk: <what it forecasts>", never as the suspension having happened (api-limit-near, storage near full)', async () => {
        const element = mount({
            findings: [
                {
                    reason: 'API_LIMIT_EXCEEDED',
                    severity: 'warning',
                    subject: 'DailyApiRequests',
                    message: '96.5% used.',
                    remedy: 'Lower it.'
                },
                {
                    reason: 'STORAGE_LIMIT_EXCEEDED',
                    severity: 'warning',
                    subject: 'DataStorageMB',
                    message: '93% used.',
                    remedy: 'Free it.'
                },
                { reason: 'STORAGE_LIMIT_EXCEEDED', severity: 'error', subject: 'FileStorageMB', message: 'Full.', remedy: 'Free it.' }
            ]
        });
        await flush();
        expect(groupTitles(element)).toEqual([
            SUSPENSION_REASONS.STORAGE_LIMIT_EXCEEDED.titles.en,
            "At risk: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded)",
            "At risk: Salesforce org storage nearly full (HubSpot's reason if it suspends: Salesforce org storage limits exceeded)"
        ]);
    });
});

describe('c-finding-list revealFinding (a link from another card)', () => {
    let scrollIntoView;
    beforeEach(() => {
        // jsdom lays nothing out and has no scrollIntoView.
        scrollIntoView = jest.fn();
        Element.prototype.scrollIntoView = scrollIntoView;
    });
    afterEach(() => {
        delete Element.prototype.scrollIntoView;
    });

    const focused = (element) => element.shadowRoot.activeElement;

    it('opens a closed group, scrolls to the finding, focuses it and says which reason it is under', async () => {
        const element = mount({ findings: manyFindings() });
        await flush();
        expect(groupsOf(element)[2]).toMatchObject({ severity: 'info', expanded: 'false', shown: 0 });
        expect(element.revealFinding({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'User', message: 'Read only.' })).toBe(true);
        await flush();
        expect(groupsOf(element)[2]).toMatchObject({ expanded: 'true', shown: 1 });
        const item = focused(element);
        expect(item.dataset.id).toBe('finding');
        expect(item.dataset.subject).toBe('User');
        expect(item.dataset.severity).toBe('info');
        expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
        expect(byId(element, 'finding-live').textContent).toBe(
            `User: About HubSpot's reason "${SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en}". 1 of 1.`
        );
        await expect(element).toBeAccessible();
    });

    it('forgets what it said about a finding once the findings change (a fix and a check later)', async () => {
        const contact = {
            reason: 'OBJECT_PERMISSIONS_MISSING',
            severity: 'error',
            subject: 'Contact',
            message: 'Cannot edit Contact.',
            remedy: 'Grant Edit on Contact.'
        };
        const element = mount({ findings: [contact] });
        await flush();
        element.revealFinding({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Contact' });
        await flush();
        expect(byId(element, 'finding-live').textContent).toContain('Contact: ');
        element.findings = [];
        await flush();
        expect(byId(element, 'finding-none').textContent).toBe('No problems found.');
        // The visually hidden text must not go on naming a finding the card no longer holds.
        expect(byId(element, 'finding-live').textContent).toBe('');
    });

    it('keeps what it said while the same findings are set again', async () => {
        const list = manyFindings();
        const element = mount({ findings: list });
        await flush();
        element.revealFinding({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Account' });
        element.findings = list;
        await flush();
        expect(byId(element, 'finding-live').textContent).toContain('Account: ');
    });

    it('shows the whole group when the finding is past the first five', async () => {
        const element = mount({ findings: manyFindings() });
        await flush();
        element.revealFinding({ reason: 'FIELD_PERMISSIONS_MISSING', subject: 'Contact.Field30__c', message: 'Cannot read Field30.' });
        await flush();
        expect(groupsOf(element)[1]).toMatchObject({ reason: 'FIELD_PERMISSIONS_MISSING', count: 49, shown: 49 });
        expect(focused(element).dataset.subject).toBe('Contact.Field30__c');
        expect(byId(element, 'finding-live').textContent).toContain('31 of 49');
    });

    it('focuses a finding already on show, and reopens a group the admin closed', async () => {
        const element = mount({ findings: manyFindings() });
        await flush();
        element.revealFinding({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Account' });
        expect(focused(element).dataset.subject).toBe('Account');
        byId(element, 'finding-group-toggle').click();
        await flush();
        expect(groupsOf(element)[0].expanded).toBe('false');
        element.revealFinding({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Campaign' });
        await flush();
        expect(groupsOf(element)[0].expanded).toBe('true');
        expect(focused(element).dataset.subject).toBe('Campaign');
    });

    it('tells two findings about one subject apart by their message', async () => {
        const element = mount({
            findings: [
                {
                    reason: 'FIELD_PERMISSIONS_MISSING',
                    severity: 'error',
                    subject: 'Contact.Email',
                    message: 'Cannot read.',
                    remedy: 'Grant Read.'
                },
                {
                    reason: 'FIELD_PERMISSIONS_MISSING',
                    severity: 'error',
                    subject: 'Contact.Email',
                    message: 'Cannot edit.',
                    remedy: 'Grant Edit.'
                }
            ]
        });
        await flush();
        element.revealFinding({ reason: 'FIELD_PERMISSIONS_MISSING', subject: 'Contact.Email', message: 'Cannot edit.' });
        expect(focused(element).dataset.position).toBe('1');
    });

    it('answers false, moving nothing, for a finding it does not hold', async () => {
        const element = mount({ findings: manyFindings() });
        await flush();
        expect(element.revealFinding({ reason: 'API_ACCESS_DISABLED', subject: 'PermissionsApiEnabled' })).toBe(false);
        expect(element.revealFinding(null)).toBe(false);
        await flush();
        expect(focused(element)).toBeFalsy();
        expect(groupsOf(element)[2].expanded).toBe('false');
        expect(scrollIntoView).not.toHaveBeenCalled();
    });
});

describe('c-finding-list links to the row that proves a finding', () => {
    // As the core names them: the subject of a finding is the name of its ObjectResult or FieldResult.
    const objects = [{ name: 'Contact' }, { name: 'Account' }, { name: 'User' }];
    const fields = [{ name: 'Contact.Phone' }, { name: 'Contact.Hub_Score__c' }];
    const mixed = [
        {
            reason: 'OBJECT_PERMISSIONS_MISSING',
            severity: 'error',
            subject: 'Contact',
            message: 'Edit missing on Contact.',
            remedy: 'Grant Edit.'
        },
        {
            reason: 'FIELD_PERMISSIONS_MISSING',
            severity: 'error',
            subject: 'Contact.Phone',
            message: 'Field-level security missing on Contact.Phone.',
            remedy: 'Grant Read.'
        },
        { reason: 'API_ACCESS_DISABLED', severity: 'error', subject: 'PermissionsApiEnabled', message: 'No API.', remedy: 'Turn it on.' },
        { reason: 'USER_INACTIVE', severity: 'error', subject: 'hubspot@acme.com', message: 'Inactive.', remedy: 'Activate.' },
        // A field named without its object: no row judges it, so no link.
        { reason: 'FIELD_MAPPINGS_MISSING', severity: 'error', subject: 'Email', message: 'Not Object.Field.', remedy: 'Correct it.' },
        { reason: 'API_LIMIT_EXCEEDED', severity: 'error', subject: 'DailyApiRequests', message: 'Used up.', remedy: 'Wait.' }
    ];
    const linkOf = (element, subject) =>
        element.shadowRoot.querySelector(`[data-id="finding"][data-subject="${subject}"] [data-id="finding-row-link"]`);

    it('gives a finding about an object or a field a link named after the card that holds its row', async () => {
        const element = mount({ findings: mixed, objects, fields });
        await flush();
        expect(linkOf(element, 'Contact').textContent).toBe('Show in Object permissions: Contact');
        expect(linkOf(element, 'Contact').dataset.kind).toBe('object');
        expect(linkOf(element, 'Contact.Phone').textContent).toBe('Show in Field-level security: Contact.Phone');
        expect(linkOf(element, 'Contact.Phone').dataset.kind).toBe('field');
        for (const subject of ['PermissionsApiEnabled', 'hubspot@acme.com', 'Email', 'DailyApiRequests']) {
            expect(element.shadowRoot.querySelector(`[data-id="finding"][data-subject="${subject}"]`)).not.toBeNull();
            expect(linkOf(element, subject)).toBeNull();
        }
        await expect(element).toBeAccessible();
    });

    it('sends showrow with the kind of row and the subject when the link is clicked', async () => {
        const element = mount({ findings: mixed, objects, fields });
        await flush();
        const handler = jest.fn();
        element.addEventListener('showrow', handler);
        linkOf(element, 'Contact.Phone').click();
        linkOf(element, 'Contact').click();
        expect(handler.mock.calls.map(([event]) => event.detail)).toEqual([
            { kind: 'field', name: 'Contact.Phone' },
            { kind: 'object', name: 'Contact' }
        ]);
    });

    it('links only to rows the tables have (none for the list alone, nor for a name differing in case)', async () => {
        const alone = mount({ findings: mixed });
        const other = mount({ findings: mixed, objects: [{ name: 'contact' }], fields: null });
        const some = mount({ findings: mixed, objects: [], fields: [{ name: 'Contact.Phone' }] });
        await flush();
        expect(byId(alone, 'finding-row-link')).toBeNull();
        expect(byId(other, 'finding-row-link')).toBeNull();
        expect([...some.shadowRoot.querySelectorAll('[data-id="finding-row-link"]')].map((link) => link.dataset.subject)).toEqual([
            'Contact.Phone'
        ]);
    });
});
