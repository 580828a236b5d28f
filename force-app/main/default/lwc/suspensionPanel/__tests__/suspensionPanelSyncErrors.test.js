import { createElement } from 'lwc';
import SuspensionPanel from 'c/suspensionPanel';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { evaluateAccess, syncErrorsView } from 'c/syncDoctorCore';
import { byId, flush, resetDOM } from 'test-utils';

/** A field-permission suspension whose status carries Sync_Errors__c as the Apex hands it on: JSON text. */
const withSyncErrors = require('./data/status-sync-errors.json');
const suspended = require('./data/status-suspended.json');
const readOnlyField = require('./data/snapshot-read-only-mapped-field.json');

async function mount(props) {
    const element = createElement('c-suspension-panel', { is: SuspensionPanel });
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
    jestMockReset();
});

describe("c-suspension-panel: HubSpot's exported sync errors", () => {
    it('lists the groups of the JSON text in the core\'s words, under the suspension, with "more" and "checks"', async () => {
        expect(typeof withSyncErrors.syncErrors).toBe('string');
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const element = await mount({ portalId: '12345678' });
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
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const diagnosis = evaluateAccess(readOnlyField);
        expect(diagnosis.fields.map((field) => field.name)).toContain('Contact.Email');
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis, findingLinks: true });
        const links = [...element.shadowRoot.querySelectorAll('[data-id="sync-errors-row-link"]')];
        // Contact.Hub_Score__c is not in this diagnosis (not checked yet), LeadSource is no field-permission group.
        expect(links.map((link) => link.dataset.name)).toEqual(['Contact.Email']);
        expect(links[0].dataset.kind).toBe('field');
        expect(links[0].closest('li').dataset.field).toBe('Contact.Email');
        expect(links[0].textContent).toBe('Show in Field-level security: Contact.Email');
        const heard = jest.fn();
        element.addEventListener('showrow', heard);
        links[0].click();
        expect(heard).toHaveBeenCalledTimes(1);
        expect(heard.mock.calls[0][0].detail).toEqual({ kind: 'field', name: 'Contact.Email' });
        await expect(element).toBeAccessible();
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
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...withSyncErrors, syncErrors: JSON.stringify(summary) }));
        const diagnosis = evaluateAccess(readOnlyField);
        expect(diagnosis.objects.map((object) => object.name)).toContain('Opportunity');
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis, findingLinks: true });
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
        getSuspensionStatus.mockResolvedValue(JSON.stringify(later));
        const element = await mount({ portalId: '12345678' });
        const stale = byId(element, 'sync-errors-stale');
        expect(stale).not.toBeNull();
        expect(stale.textContent).toBe(`Warning: ${syncErrorsView(later).stale}`);
        expect(stale.textContent).toContain('Exported before this suspension began (2026-11-28 11:00 UTC)');
        expect(stale.querySelector('lightning-icon').iconName).toBe('utility:warning');
        await expect(element).toBeAccessible();
    });

    it('shows no box when the status carries no sync errors (any more)', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const element = await mount({ portalId: '12345678' });
        expect(box(element)).not.toBeNull();
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, syncErrors: null }));
        await element.refresh();
        await flush();
        expect(byId(element, 'suspension-current').dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
        expect(box(element)).toBeNull();
    });

    it('shows nothing, and no error, for a damaged Sync_Errors__c', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const element = await mount({ portalId: '12345678' });
        expect(box(element)).not.toBeNull();
        for (const damaged of ['{"receivedAt": "2026-11-28T10:30:00.000Z", "rows": 4', '[1,2]', '{"rows": 3, "groups": []}']) {
            getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...withSyncErrors, syncErrors: damaged }));
            // eslint-disable-next-line no-await-in-loop
            await element.refresh();
            // eslint-disable-next-line no-await-in-loop
            await flush();
            expect(byId(element, 'suspension-current').dataset.reason).toBe('FIELD_PERMISSIONS_MISSING');
            expect(box(element)).toBeNull();
            expect(byId(element, 'suspension-error')).toBeNull();
        }
    });
});
