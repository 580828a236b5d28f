import { createElement } from 'lwc';
import SyncErrorsBox from 'c/syncErrorsBox';
import getRecordTypePicklists from '@salesforce/apex/SyncDoctorController.getRecordTypePicklists';
import { DEFAULT_REQUIREMENTS, evaluateAccess, mergeRequirements, recordTypePicklistFacts, syncErrorsView } from 'c/syncDoctorCore';
import { byId, flush, resetDOM } from 'test-utils';

/** A field-permission suspension whose status carries Sync_Errors__c as the Apex hands it on: JSON text. */
const withSyncErrors = require('./data/status-sync-errors.json');
/** Sync errors of several kinds: a HubSpot contact's field, a validation rule, a duplicate rule, two picklists. */
const withKinds = require('./data/status-sync-errors-kinds.json');
const readOnlyField = require('../../suspensionPanel/__tests__/data/snapshot-read-only-mapped-field.json');
/** A field-permission group (Contact.Email), a record-access group on HubSpot's deals, and a validation rule. */
const withNow = require('./data/status-sync-errors-now.json');
const healthy = require('../../suspensionPanel/__tests__/data/snapshot-healthy.json');
/** Two picklist groups: Contact's LeadSource refused 'Webinar' (Contact's and Lead's), Lead.Industry refused 'Robotics'. */
const withPicklists = require('./data/status-sync-errors-picklist.json');
/** healthy, with its LeadSource picklists restricted to 5 active values without 'Webinar', and Lead.Industry's with 'Robotics'. */
const restrictedPicklists = require('./data/snapshot-restricted-picklists.json');
/**
 * getRecordTypePicklists' answer (SyncDoctorRecordTypePicklistReader's shape): Contact has no active
 * record type; Lead's Partner Lead offers neither 'Webinar' for LeadSource nor anything but Banking
 * and Robotics for Industry, its Webinar Lead offers both values.
 */
const leadRecordTypes = require('./data/record-types-lead.json');
/** Two inactive-owner groups (INACTIVE_OWNER_OR_USER): HubSpot's contacts owned by user 0055g00000AbCdEAAZ, tasks by 0055g00000ZyXwVAAZ. */
const withInactiveOwners = require('./data/status-sync-errors-owner.json');

/** "Update Records with Inactive Owners": a column only once Setup > User Interface turns it on. */
const INACTIVE_OWNERS = 'PermissionsUpdateWithInactiveOwner';

/** healthy, its permission sets read with the column: true on the set `grantedBy` only. */
function readWithInactiveOwners(grantedBy) {
    const snapshot = JSON.parse(JSON.stringify(healthy));
    for (const assignment of snapshot.assignments) assignment.PermissionSet[INACTIVE_OWNERS] = assignment.PermissionSet.Name === grantedBy;
    return snapshot;
}

async function mount(props) {
    const element = createElement('c-sync-errors-box', { is: SyncErrorsBox });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flush();
    return element;
}

const box = (element) => byId(element, 'sync-errors');
const lineTexts = (element) =>
    [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-line-text"]')].map((node) => node.textContent);

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
    // Its answers (mockResolvedValue) would otherwise carry into the next test.
    getRecordTypePicklists.mockReset();
});

describe("c-sync-errors-box: HubSpot's exported sync errors", () => {
    it('lists the groups of the JSON text in the core\'s words, under the suspension, with "more" and "checks"', async () => {
        expect(typeof withSyncErrors.syncErrors).toBe('string');
        const element = await mount({ status: withSyncErrors });
        const view = syncErrorsView(withSyncErrors, { lines: 10 });
        expect(box(element)).not.toBeNull();
        expect(byId(element, 'sync-errors-heading').textContent).toBe(view.heading);
        expect(view.heading).toBe("HubSpot's exported sync errors (received 2026-11-28 10:30 UTC): 400 rows");
        expect(lineTexts(element)).toEqual(view.lines.map((item) => item.text));
        expect(lineTexts(element)[0]).toMatch(/^Contact\.Email: Salesforce field permission, 312 rows/);
        expect(byId(element, 'sync-errors-more').textContent).toBe('and 2 smaller groups');
        expect(byId(element, 'sync-errors-checks').textContent).toBe(view.checks);
        expect(view.checks).toMatch(/^Sync Doctor checks the fields Contact\.Email\b.*\bContact\.Hub_Score__c\b/);
        // Exported after the suspension began: no warning.
        expect(byId(element, 'sync-errors-stale')).toBeNull();
        // A list named by the box's heading, for a screen reader's list navigation.
        const list = byId(element, 'sync-errors-lines');
        expect(list.tagName).toBe('UL');
        expect(list.getAttribute('aria-labelledby')).toBe(byId(element, 'sync-errors-heading').getAttribute('id'));
        // Without a diagnosis (no field table beside it), nothing links.
        expect(element.shadowRoot.querySelector('[data-id="sync-errors-row-link"]')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('links a group naming a field the diagnosis checked to its row (showrow), and no other', async () => {
        const diagnosis = evaluateAccess(readOnlyField);
        expect(diagnosis.fields.map((field) => field.name)).toContain('Contact.Email');
        const element = await mount({ status: withSyncErrors, diagnosis, findingLinks: true });
        const links = [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-row-link"]')];
        // Contact.Hub_Score__c is not in this diagnosis (not checked yet). A HubSpot contact's Email is
        // Contact's or Lead's: both rows are in the table, each linked. The LeadSource picklist group
        // links its fields too: the core judges their values now, and the row shows who may edit them.
        expect(links.map((link) => link.dataset.name)).toEqual(['Contact.Email', 'Lead.Email', 'Contact.LeadSource', 'Lead.LeadSource']);
        expect(links.slice(2).map((link) => link.closest('[data-id="sync-errors-line"]').dataset.kind)).toEqual(['picklist', 'picklist']);
        expect(links[0].dataset.kind).toBe('field');
        expect(links[0].closest('li').dataset.field).toBe('Contact.Email');
        expect(links[1].closest('li')).toBe(links[0].closest('li'));
        expect(links[0].textContent).toBe('Show Contact.Email in Field-level security');
        const heard = jest.fn();
        element.addEventListener('showrow', heard);
        links[0].click();
        expect(heard).toHaveBeenCalledTimes(1);
        expect(heard.mock.calls[0][0].detail).toEqual({ kind: 'field', name: 'Contact.Email' });
        await expect(element).toBeAccessible();
    });

    it('links the rows once the page shows its tables (finding-links turned on after the first render)', async () => {
        const element = await mount({ status: withSyncErrors, diagnosis: evaluateAccess(readOnlyField) });
        expect(element.shadowRoot.querySelector('[data-id="sync-errors-row-link"]')).toBeNull();
        element.findingLinks = true;
        await flush();
        expect(element.shadowRoot.querySelectorAll('[data-id="sync-errors-row-link"]').length).toBeGreaterThan(0);
        element.findingLinks = false;
        await flush();
        expect(element.shadowRoot.querySelector('[data-id="sync-errors-row-link"]')).toBeNull();
    });

    it("links an object-permission group to its object's row in the matrix (HubSpot's deals: Opportunity)", async () => {
        const summary = JSON.parse(withSyncErrors.syncErrors);
        summary.groups.push({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            errorType: 'Insufficient access',
            object: 'Deal',
            field: null,
            count: 3,
            example: null
        });
        const diagnosis = evaluateAccess(readOnlyField);
        expect(diagnosis.objects.map((object) => object.name)).toContain('Opportunity');
        const element = await mount({ status: { ...withSyncErrors, syncErrors: JSON.stringify(summary) }, diagnosis, findingLinks: true });
        const link = [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-row-link"]')].find(
            (node) => node.dataset.kind === 'object'
        );
        expect(link).toBeDefined();
        expect(link.dataset.name).toBe('Opportunity');
        expect(link.closest('li').textContent).toMatch(/^Deal: Insufficient access, 3 rows/);
        expect(link.textContent).toBe('Show in Object permissions: Opportunity');
        const heard = jest.fn();
        element.addEventListener('showrow', heard);
        link.click();
        expect(heard.mock.calls[0][0].detail).toEqual({ kind: 'object', name: 'Opportunity' });
        await expect(element).toBeAccessible();
    });

    it('warns, in words and not colour alone, when the export is older than the suspension', async () => {
        const later = { ...withSyncErrors, since: '2026-11-28T11:00:00.000Z' };
        const element = await mount({ status: later });
        const stale = byId(element, 'sync-errors-stale');
        expect(stale).not.toBeNull();
        expect(stale.textContent).toBe(`Warning: ${syncErrorsView(later).stale}`);
        expect(stale.textContent).toContain('Exported before this suspension began (2026-11-28 11:00 UTC)');
        expect(stale.querySelector('lightning-icon').iconName).toBe('utility:warning');
        await expect(element).toBeAccessible();
    });

    it('shows no box when the status carries no sync errors (any more), or none at all', async () => {
        const element = await mount({ status: withSyncErrors });
        expect(box(element)).not.toBeNull();
        element.status = { ...withSyncErrors, syncErrors: null };
        await flush();
        expect(box(element)).toBeNull();
        element.status = null;
        await flush();
        expect(box(element)).toBeNull();
        expect(element.shadowRoot.childNodes).toHaveLength(0);
    });

    it('shows nothing, and throws nothing, for a damaged Sync_Errors__c', async () => {
        const element = await mount({ status: withSyncErrors });
        expect(box(element)).not.toBeNull();
        for (const damaged of ['{"receivedAt": "2026-11-28T10:30:00.000Z", "rows": 4', '[1,2]', '{"rows": 3, "groups": []}']) {
            element.status = { ...withSyncErrors, syncErrors: damaged };
            // eslint-disable-next-line no-await-in-loop
            await flush();
            expect(box(element)).toBeNull();
        }
    });

    it('says under each group what kind of error it is and what to do, once per advice, and how to resync', async () => {
        const element = await mount({ status: withKinds });
        const view = syncErrorsView(withKinds, { lines: 10 });
        const lines = [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-line"]')];
        expect(lines.map((node) => node.dataset.kind)).toEqual(['field-permission', 'custom-code', 'duplicate', 'picklist', 'picklist']);
        const within = (node, id) => node.querySelector(`[data-id="${id}"]`);
        expect(lines.map((node) => within(node, 'sync-errors-line-label').textContent)).toEqual(view.lines.map((item) => item.label));
        expect(within(lines[1], 'sync-errors-line-label').textContent).toBe('Custom code in Salesforce');
        expect(within(lines[1], 'sync-errors-line-advice').textContent).toMatch(
            /^A validation rule \(or a flow's Custom Error\) refused the record with this message/
        );
        expect(within(lines[0], 'sync-errors-line-advice').textContent).toContain('Contact.Score__c or Lead.Score__c');
        expect(within(lines[2], 'sync-errors-line-label').textContent).toBe('Duplicates');
        // The second picklist group's advice is the first's: said once, under the first.
        expect(within(lines[3], 'sync-errors-line-advice').textContent).toBe(view.lines[3].advice);
        expect(view.lines[4].advice).toBeNull();
        expect(within(lines[4], 'sync-errors-line-label').textContent).toBe('Picklist value');
        expect(within(lines[4], 'sync-errors-line-advice')).toBeNull();
        // After the list, HubSpot's Resync.
        const resync = byId(element, 'sync-errors-resync');
        expect(resync.textContent).toBe(view.resync);
        expect(resync.compareDocumentPosition(byId(element, 'sync-errors-lines')) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy();
        await expect(element).toBeAccessible();
    });

    it("links a HubSpot contact's field to each candidate row the field table has (Contact's and Lead's)", async () => {
        const both = ['Contact.Score__c', 'Lead.Score__c'].map((name) => ({ name, access: ['read', 'edit'] }));
        const diagnosis = evaluateAccess(readOnlyField, mergeRequirements(DEFAULT_REQUIREMENTS, { fields: both }));
        expect(diagnosis.fields.map((field) => field.name)).toEqual(expect.arrayContaining(['Contact.Score__c', 'Lead.Score__c']));
        const element = await mount({ status: withKinds, diagnosis, findingLinks: true });
        // The field-permission line's links (the picklist groups after it link their own fields).
        const lineLinks = () =>
            [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-row-link"]')].filter(
                (link) => link.closest('[data-id="sync-errors-line"]').dataset.kind === 'field-permission'
            );
        const links = lineLinks();
        expect(links.map((link) => [link.dataset.kind, link.dataset.name])).toEqual([
            ['field', 'Contact.Score__c'],
            ['field', 'Lead.Score__c']
        ]);
        // Two links on one line: each names its own row, visibly.
        expect(links.map((link) => link.textContent)).toEqual([
            'Show Contact.Score__c in Field-level security',
            'Show Lead.Score__c in Field-level security'
        ]);
        const heard = jest.fn();
        element.addEventListener('showrow', heard);
        links[1].click();
        expect(heard.mock.calls[0][0].detail).toEqual({ kind: 'field', name: 'Lead.Score__c' });

        // A diagnosis with Contact's only (the org has no Lead.Score__c): the one link, worded as before.
        const contactOnly = evaluateAccess(readOnlyField, mergeRequirements(DEFAULT_REQUIREMENTS, { fields: both.slice(0, 1) }));
        element.diagnosis = contactOnly;
        await flush();
        expect(lineLinks().map((link) => link.textContent)).toEqual(['Show in Field-level security: Contact.Score__c']);
        await expect(element).toBeAccessible();
    });

    describe('what the diagnosis finds now of each group', () => {
        const nowOf = (line) => line.querySelector('[data-id="sync-errors-line-now"]');
        const linesOf = (element) => [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-line"]')];

        it('under the advice: still missing with a warning, the rights in place with a check, each said in words', async () => {
            const diagnosis = evaluateAccess(readOnlyField);
            const element = await mount({ status: withNow, diagnosis, findingLinks: true });
            const view = syncErrorsView(withNow, { lines: 10, diagnosis });
            const lines = linesOf(element);
            expect(lines.map((line) => line.dataset.kind)).toEqual(['field-permission', 'record-access', 'custom-code']);

            // Contact.Email is still read-only for the integration user.
            const missing = nowOf(lines[0]);
            expect(missing.dataset.now).toBe('missing');
            expect(missing.textContent).toBe('Now: the integration user still lacks edit on Contact.Email.');
            expect(missing.textContent).toBe(view.lines[0].now.text);
            const warning = missing.querySelector('lightning-icon');
            expect(warning.iconName).toBe('utility:warning');
            expect(warning.variant).toBe('warning');
            expect(warning.alternativeText).toBe('Still missing');
            expect(missing.classList).toContain('slds-text-body_small');
            // Under the group's advice, not above it.
            const advice = lines[0].querySelector('[data-id="sync-errors-line-advice"]');
            expect(advice.compareDocumentPosition(missing) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

            // Read and edit on Opportunity are there and no sharing limit shows: the records themselves.
            const records = nowOf(lines[1]);
            expect(records.dataset.now).toBe('ok');
            expect(records.textContent).toMatch(
                /^Now: read and edit on Opportunity are there and no sharing limit shows, so look at the records/
            );
            const check = records.querySelector('lightning-icon');
            expect(check.iconName).toBe('utility:success');
            expect(check.variant).toBe('success');
            expect(check.alternativeText).toBe('Fixed now');

            // No right settles a validation rule: nothing is said of it now.
            expect(nowOf(lines[2])).toBeNull();
            await expect(element).toBeAccessible();
        });

        it("a validation group: the rule the relay found sending its message, since the app's Apex cannot read validation rules", async () => {
            // The relay read the org's active rules when it carried the export (withValidationRules).
            const syncErrors = JSON.parse(withNow.syncErrors);
            syncErrors.groups[2].validationRules = [{ object: 'Contact', name: 'Phone_Has_10_Digits' }];
            syncErrors.groups[0].validationRules = [{ object: 'Contact', name: 'Not_Its_Kind' }];
            const status = { ...withNow, syncErrors: JSON.stringify(syncErrors) };
            const diagnosis = evaluateAccess(readOnlyField);
            const element = await mount({ status: status, diagnosis, findingLinks: true });
            const lines = linesOf(element);
            const rule = nowOf(lines[2]);
            expect(rule.textContent).toBe(
                "When the export arrived, the active validation rule Contact's Phone_Has_10_Digits sent this message (Setup > Object Manager > Contact > Validation Rules)."
            );
            expect(rule.textContent).toBe(syncErrorsView(status, { lines: 10, diagnosis }).lines[2].now.text);
            // No right is missing: information, not a "Still missing" warning.
            expect(rule.dataset.now).toBe('cause');
            expect(rule.querySelector('lightning-icon').alternativeText).toBe('What sends this message');
            // Rules on a group of another kind say nothing: its own Now line stands.
            expect(nowOf(lines[0]).textContent).toBe('Now: the integration user still lacks edit on Contact.Email.');
            await expect(element).toBeAccessible();
        });

        it('a field fixed since the export: resync; an org-wide default that hides records: still missing', async () => {
            const privateDeals = { ...healthy, organization: { ...healthy.organization, DefaultOpportunityAccess: 'None' } };
            const element = await mount({
                status: withNow,
                diagnosis: evaluateAccess(privateDeals)
            });
            const [field, deals] = linesOf(element).map(nowOf);
            expect(field.dataset.now).toBe('ok');
            // In the export's order: Contact's field first, then Lead's.
            expect(field.textContent).toBe(
                'Now: the integration user can read and edit Contact.Email and Lead.Email; resync these records.'
            );
            expect(field.querySelector('lightning-icon').alternativeText).toBe('Fixed now');
            expect(deals.dataset.now).toBe('missing');
            expect(deals.textContent).toMatch(
                /^Now: read and edit on Opportunity are there\. The org-wide default for Opportunity is Private/
            );
            expect(deals.querySelector('lightning-icon').alternativeText).toBe('Still missing');
            await expect(element).toBeAccessible();
        });

        it('a picklist group: the refused value still missing with a warning, the value there with a check, from the values read now', async () => {
            const diagnosis = evaluateAccess(restrictedPicklists);
            const element = await mount({ status: withPicklists, diagnosis, findingLinks: true });
            const view = syncErrorsView(withPicklists, { lines: 10, diagnosis });
            const lines = linesOf(element);
            expect(lines.map((line) => line.dataset.kind)).toEqual(['picklist', 'picklist']);

            // 'Webinar' is still no active value of either LeadSource, said once for both: where to add it, or what HubSpot may send.
            const missing = nowOf(lines[0]);
            expect(missing.dataset.now).toBe('missing');
            expect(missing.textContent).toBe(view.lines[0].now.text);
            expect(missing.textContent).toBe(
                "Now: Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar': add it (or activate it, if there but inactive) in Setup > Object Manager > Contact and Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send one of their 5 active values ('Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List' and 'Other')."
            );
            const warning = missing.querySelector('lightning-icon');
            expect(warning.iconName).toBe('utility:warning');
            expect(warning.variant).toBe('warning');
            expect(warning.alternativeText).toBe('Still missing');
            const advice = lines[0].querySelector('[data-id="sync-errors-line-advice"]');
            expect(advice.compareDocumentPosition(missing) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

            // 'Robotics' is an active value of Lead.Industry now: resync.
            const accepted = nowOf(lines[1]);
            expect(accepted.dataset.now).toBe('ok');
            expect(accepted.textContent).toBe(view.lines[1].now.text);
            expect(accepted.textContent).toMatch(/^Now: Lead\.Industry has 'Robotics' among its active values/);
            expect(accepted.textContent).toMatch(/resync these records/i);
            const check = accepted.querySelector('lightning-icon');
            expect(check.iconName).toBe('utility:success');
            expect(check.variant).toBe('success');
            expect(check.alternativeText).toBe('Fixed now');
            await expect(element).toBeAccessible();

            // The admin adds 'Webinar' to both picklists and checks again: the group is fixed now.
            const added = JSON.parse(JSON.stringify(restrictedPicklists));
            for (const name of ['Contact.LeadSource', 'Lead.LeadSource']) added.fields[name].picklistValues.push('Webinar');
            element.diagnosis = evaluateAccess(added);
            await flush();
            const fixed = nowOf(linesOf(element)[0]);
            expect(fixed.dataset.now).toBe('ok');
            expect(fixed.textContent).toMatch(
                /^Now: Contact\.LeadSource and Lead\.LeadSource have 'Webinar' among their active values\. Resync these records/
            );
            expect(fixed.querySelector('lightning-icon').alternativeText).toBe('Fixed now');

            // A snapshot without the values (an older app's read): nothing is said of the values.
            element.diagnosis = evaluateAccess(healthy);
            await flush();
            expect(linesOf(element).map(nowOf)).toEqual([null, null]);
        });

        it("an inactive-owner group: the owner's Id in the advice, and whether the integration user may update records whose owner is inactive", async () => {
            const lacking = evaluateAccess(readWithInactiveOwners(null));
            // Read, never required: the diagnosis carries it as a side grant, not granted.
            expect(lacking.sideGrants).toEqual([{ kind: 'systemPermission', name: INACTIVE_OWNERS, by: [], granted: false }]);
            const element = await mount({ status: withInactiveOwners, diagnosis: lacking, findingLinks: true });
            const view = syncErrorsView(withInactiveOwners, { lines: 10, diagnosis: lacking });
            const lines = linesOf(element);
            expect(lines.map((line) => line.dataset.kind)).toEqual(['owner', 'owner']);
            const adviceOf = (line) => line.querySelector('[data-id="sync-errors-line-advice"]');
            // Each group names the inactive user Salesforce named, to look up in Setup > Users.
            const textOf = (line) => line.querySelector('[data-id="sync-errors-line-text"]').textContent;
            expect(textOf(lines[0])).toContain('(owner 0055g00000AbCdEAAZ)');
            expect(textOf(lines[1])).toContain('(owner 0055g00000ZyXwVAAZ)');
            expect(adviceOf(lines[0]).textContent).toMatch(/^The records' Salesforce owner is inactive: give them an active owner/);
            // How to grant it, said once: not for tasks, which it does not cover.
            expect(adviceOf(lines[0]).textContent).toContain('leave "Set Audit Fields upon Record Creation" off');
            expect(adviceOf(lines[1]).textContent).not.toContain('Update Records with Inactive Owners');

            // The integration user lacks it: a warning, and how to grant only it.
            const missing = nowOf(lines[0]);
            expect(missing.dataset.now).toBe('missing');
            expect(missing.textContent).toBe(view.lines[0].now.text);
            expect(missing.textContent).toBe('Now: the integration user lacks "Update Records with Inactive Owners".');
            const warning = missing.querySelector('lightning-icon');
            expect(warning.iconName).toBe('utility:warning');
            expect(warning.variant).toBe('warning');
            expect(warning.alternativeText).toBe('Still missing');
            expect(adviceOf(lines[0]).compareDocumentPosition(missing) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
            // Salesforce's permission does not cover tasks: nothing is said of them now.
            expect(nowOf(lines[1])).toBeNull();
            await expect(element).toBeAccessible();

            // The admin grants it in a permission set and checks again: resync, with what it does not cover.
            element.diagnosis = evaluateAccess(readWithInactiveOwners('Sync_Integration_Extras'));
            await flush();
            const granted = nowOf(linesOf(element)[0]);
            expect(granted.dataset.now).toBe('ok');
            expect(granted.textContent).toBe(
                'Now: the integration user has "Update Records with Inactive Owners" (Permission set: Sync Integration Extras); resync these records. A record HubSpot creates still needs an active owner.'
            );
            const check = granted.querySelector('lightning-icon');
            expect(check.iconName).toBe('utility:success');
            expect(check.variant).toBe('success');
            expect(check.alternativeText).toBe('Fixed now');
            expect(nowOf(linesOf(element)[1])).toBeNull();
            await expect(element).toBeAccessible();

            // An org whose PermissionSet has no such column (the setting off): it says so, with a warning.
            element.diagnosis = evaluateAccess({ ...healthy, absentPermissions: [INACTIVE_OWNERS] });
            await flush();
            const absent = nowOf(linesOf(element)[0]);
            expect(absent.dataset.now).toBe('missing');
            expect(absent.textContent).toMatch(
                /^Now: this org does not offer "Update Records with Inactive Owners": its User Interface setting is off \(or the edition lacks it\)\.$/
            );
            expect(absent.querySelector('lightning-icon').alternativeText).toBe('Still missing');

            // A snapshot read without the column (an older app): nothing is said of it now.
            element.diagnosis = evaluateAccess(healthy);
            await flush();
            expect(linesOf(element).map(nowOf)).toEqual([null, null]);
        });

        it('says nothing now while there is no diagnosis (the org still being read), and follows the diagnosis given', async () => {
            const element = await mount({ status: withNow });
            expect(linesOf(element)).toHaveLength(3);
            expect(element.shadowRoot.querySelector('[data-id="sync-errors-line-now"]')).toBeNull();

            element.diagnosis = evaluateAccess(readOnlyField);
            await flush();
            expect(nowOf(linesOf(element)[0]).dataset.now).toBe('missing');

            // Fixed, and checked again.
            element.diagnosis = evaluateAccess(healthy);
            await flush();
            expect(nowOf(linesOf(element)[0]).dataset.now).toBe('ok');

            // "Check again" clears the diagnosis while it reads: the old answer is not kept.
            element.diagnosis = null;
            await flush();
            expect(element.shadowRoot.querySelector('[data-id="sync-errors-line-now"]')).toBeNull();
        });

        describe('a duplicate group a duplicate rule refused (DUPLICATES_DETECTED)', () => {
            /** healthy, with the scope objects' active duplicate rules as SyncDoctorDuplicateRuleReader writes them: by name. */
            function readWithDuplicateRules(rulesByObject) {
                const snapshot = JSON.parse(JSON.stringify(healthy));
                snapshot.duplicateRules = Object.entries(rulesByObject).map(([apiName, names]) => ({
                    apiName,
                    duplicateRules: names.map((name) => ({ name, active: true }))
                }));
                return snapshot;
            }
            const DUPLICATE_LINE = 2;

            it('names the active rules on Contact and Lead, read by name only, as what may refuse HubSpot', async () => {
                const diagnosis = evaluateAccess(
                    readWithDuplicateRules({ Contact: ['Standard Contact Duplicate Rule'], Lead: [], Account: [] })
                );
                const element = await mount({ status: withKinds, diagnosis });
                const rule = nowOf(linesOf(element)[DUPLICATE_LINE]);
                expect(rule.textContent).toBe(
                    "Now: the active duplicate rule Contact's Standard Contact Duplicate Rule refuses a duplicate HubSpot writes if it blocks or alerts, as its page in Setup > Duplicate Management > Duplicate Rules shows."
                );
                expect(rule.textContent).toBe(syncErrorsView(withKinds, { lines: 10, diagnosis }).lines[DUPLICATE_LINE].now.text);
                // The rule behind the refusal, not a missing right: information.
                expect(rule.dataset.now).toBe('cause');
                expect(rule.querySelector('lightning-icon').alternativeText).toBe('What sends this message');
                await expect(element).toBeAccessible();
            });

            it('says a resync is all when no duplicate rule is active on them now', async () => {
                const element = await mount({
                    status: withKinds,
                    diagnosis: evaluateAccess(readWithDuplicateRules({ Contact: [], Lead: [] }))
                });
                const rule = nowOf(linesOf(element)[DUPLICATE_LINE]);
                expect(rule.textContent).toBe('Now: no active duplicate rule on Contact or Lead blocks or alerts; resync these records.');
                expect(rule.dataset.now).toBe('ok');
            });

            it('says nothing when the rules were not read (an admin without View Setup)', async () => {
                const element = await mount({ status: withKinds, diagnosis: evaluateAccess(healthy) });
                expect(linesOf(element)[DUPLICATE_LINE].textContent).toMatch(/Duplicates/);
                expect(nowOf(linesOf(element)[DUPLICATE_LINE])).toBeNull();
            });
        });

        describe("a picklist group whose fields have the value now: the record types', read by the Apex", () => {
            /** restrictedPicklists with 'Webinar' added to both LeadSource picklists: only a record type can refuse it now. */
            function withWebinar() {
                const snapshot = JSON.parse(JSON.stringify(restrictedPicklists));
                for (const name of ['Contact.LeadSource', 'Lead.LeadSource']) snapshot.fields[name].picklistValues.push('Webinar');
                return snapshot;
            }

            it('asks for the fields only a record type can still refuse, and names the record types that do not offer the value', async () => {
                getRecordTypePicklists.mockResolvedValue(JSON.stringify(leadRecordTypes));
                const diagnosis = evaluateAccess(withWebinar());
                const element = await mount({ status: withPicklists, diagnosis });
                await flush();
                // Once, for the restricted picklists that have the refused value: both LeadSource and Lead.Industry.
                expect(getRecordTypePicklists).toHaveBeenCalledTimes(1);
                expect(JSON.parse(getRecordTypePicklists.mock.calls[0][0].fieldsJson)).toEqual({
                    fields: ['Contact.LeadSource', 'Lead.LeadSource', 'Lead.Industry']
                });
                const lines = linesOf(element);
                const leadSource = nowOf(lines[0]);
                expect(leadSource.textContent).toBe(
                    "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values; Lead's record type Partner Lead does not offer 'Webinar' for LeadSource: add it to it in Setup > Object Manager > Lead > Record Types (LeadSource's values)."
                );
                // The core's words for the same facts, as the CLI prints them.
                const facts = recordTypePicklistFacts(leadRecordTypes.objects);
                expect(leadSource.textContent).toBe(
                    syncErrorsView(withPicklists, { lines: 10, diagnosis: { ...diagnosis, recordTypePicklists: facts } }).lines[0].now.text
                );
                expect(leadSource.dataset.now).toBe('missing');
                expect(leadSource.querySelector('lightning-icon').alternativeText).toBe('Still missing');
                // Partner Lead does not offer Technology, but 'Robotics' is all HubSpot sent: every record type offers it.
                const industry = nowOf(lines[1]);
                expect(industry.dataset.now).toBe('ok');
                expect(industry.textContent).toMatch(
                    /^Now: Lead\.Industry has 'Robotics' among its active values\. Resync these records; every active record type offers it, so if they fail again, the picklist's controlling field does not allow it/
                );
                await expect(element).toBeAccessible();

                // The admin adds 'Webinar' to Partner Lead and checks again: read again for the new diagnosis, fixed.
                const offered = JSON.parse(JSON.stringify(leadRecordTypes));
                offered.objects[1].recordTypes[0].picklistFieldValues.LeadSource.values.push({ value: 'Webinar', label: 'Webinar' });
                getRecordTypePicklists.mockResolvedValue(JSON.stringify(offered));
                element.diagnosis = evaluateAccess(withWebinar());
                await flush();
                expect(getRecordTypePicklists).toHaveBeenCalledTimes(2);
                const fixed = nowOf(linesOf(element)[0]);
                expect(fixed.dataset.now).toBe('ok');
                expect(fixed.textContent).toMatch(/every active record type offers it/);
            });

            it('asks nothing when no field has the refused value (the field itself settles it) or there is no diagnosis yet', async () => {
                const element = await mount({ status: withPicklists });
                expect(getRecordTypePicklists).not.toHaveBeenCalled();
                // healthy read no picklist values: nothing for a record type to settle.
                element.diagnosis = evaluateAccess(healthy);
                await flush();
                expect(getRecordTypePicklists).not.toHaveBeenCalled();
            });

            it('keeps the caveat, and shows no error, when the record types could not be read', async () => {
                getRecordTypePicklists.mockRejectedValue({ body: { message: 'ConnectApi is not available' } });
                const element = await mount({ status: withPicklists, diagnosis: evaluateAccess(withWebinar()) });
                await flush();
                expect(getRecordTypePicklists).toHaveBeenCalledTimes(1);
                const leadSource = nowOf(linesOf(element)[0]);
                expect(leadSource.dataset.now).toBe('ok');
                expect(leadSource.textContent).toMatch(
                    /Resync these records; if they fail again, the records' record type does not offer the value \(add it there\)/
                );
                // Said as any read Sync Doctor could not make: why, and what the lines cannot say.
                expect(
                    [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-not-read"]')].map((node) => node.textContent)
                ).toEqual([
                    'Record types not read: ConnectApi is not available; the picklist groups do not say which record types offer the value.'
                ]);
                expect(nowOf(linesOf(element)[0]).textContent).not.toMatch(/ConnectApi/);
            });

            it('says why the Apex left record types unread (too many), and nothing once they are read', async () => {
                getRecordTypePicklists.mockResolvedValueOnce(
                    JSON.stringify({
                        objects: [],
                        notRead: ['more than 20 active record types on Contact and Lead, the most read at once']
                    })
                );
                const element = await mount({ status: withPicklists, diagnosis: evaluateAccess(withWebinar()) });
                await flush();
                const notRead = () =>
                    [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-not-read"]')].map((node) => node.textContent);
                expect(notRead()).toEqual([
                    'Record types not read: more than 20 active record types on Contact and Lead, the most read at once; the picklist groups do not say which record types offer the value.'
                ]);
                expect(nowOf(linesOf(element)[0]).textContent).toMatch(
                    /if they fail again, the records' record type does not offer the value/
                );
                await expect(element).toBeAccessible();
                getRecordTypePicklists.mockResolvedValueOnce(JSON.stringify(leadRecordTypes));
                element.diagnosis = evaluateAccess(withWebinar());
                await flush();
                expect(notRead()).toEqual([]);
                expect(nowOf(linesOf(element)[0]).textContent).toMatch(/Partner Lead does not offer 'Webinar'/);
            });

            it('never shows an answer for an older diagnosis against a newer one', async () => {
                let answerFirst;
                getRecordTypePicklists.mockImplementationOnce(
                    () =>
                        new Promise((resolve) => {
                            answerFirst = resolve;
                        })
                );
                getRecordTypePicklists.mockResolvedValueOnce(
                    JSON.stringify({
                        objects: [
                            { apiName: 'Contact', recordTypes: [] },
                            { apiName: 'Lead', recordTypes: [] }
                        ],
                        notRead: []
                    })
                );
                const element = await mount({ status: withPicklists, diagnosis: evaluateAccess(withWebinar()) });
                element.diagnosis = evaluateAccess(withWebinar());
                await flush();
                // The first read answers last, with Partner Lead lacking 'Webinar': not shown.
                answerFirst(JSON.stringify(leadRecordTypes));
                await flush();
                expect(nowOf(linesOf(element)[0]).textContent).toMatch(/every active record type offers it/);
            });
        });
    });
});
