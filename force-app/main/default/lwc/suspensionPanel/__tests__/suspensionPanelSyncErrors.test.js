import { createElement } from 'lwc';
import SuspensionPanel from 'c/suspensionPanel';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { evaluateAccess } from 'c/syncDoctorCore';
import { byId, flush, resetDOM } from 'test-utils';

// The box itself (its lines, links, "Now" lines and record types) is tested in c-sync-errors-box;
// here only what the panel owes it: the status it loaded, the diagnosis, the links, and its events.

/** A field-permission suspension whose status carries Sync_Errors__c as the Apex hands it on: JSON text. */
const withSyncErrors = require('../../syncErrorsBox/__tests__/data/status-sync-errors.json');
const suspended = require('./data/status-suspended.json');
const readOnlyField = require('./data/snapshot-read-only-mapped-field.json');

async function mount(props) {
    const element = createElement('c-suspension-panel', { is: SuspensionPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flush();
    return element;
}

const boxOf = (element) => element.shadowRoot.querySelector('c-sync-errors-box');
const inBox = (element, id) => boxOf(element).shadowRoot.querySelector(`[data-id="${id}"]`);

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
    jestMockReset();
});

describe("c-suspension-panel: HubSpot's exported sync errors", () => {
    it('hands the box the status it loaded, the diagnosis and the links, and passes its showrow on', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const diagnosis = evaluateAccess(readOnlyField);
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis, findingLinks: true });
        const box = boxOf(element);
        expect(box.status).toEqual(withSyncErrors);
        expect(box.diagnosis).toEqual(diagnosis);
        expect(box.findingLinks).toBe(true);
        // Under the suspension it belongs to.
        const current = byId(element, 'suspension-current');
        expect(current.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
        expect(inBox(element, 'sync-errors-heading').textContent).toMatch(/^HubSpot's exported sync errors/);

        const heard = jest.fn();
        element.addEventListener('showrow', heard);
        inBox(element, 'sync-errors-row-link').click();
        expect(heard).toHaveBeenCalledTimes(1);
        expect(heard.mock.calls[0][0].detail).toEqual({ kind: 'field', name: 'Contact.Email' });
        await expect(element).toBeAccessible();
    });

    it('empties the box when a refresh brings a status without sync errors, keeping the suspension', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(withSyncErrors));
        const element = await mount({ portalId: '12345678' });
        expect(inBox(element, 'sync-errors')).not.toBeNull();
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, syncErrors: null }));
        await element.refresh();
        await flush();
        expect(byId(element, 'suspension-current').dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
        expect(inBox(element, 'sync-errors')).toBeNull();
    });

    it('keeps the suspension, and shows no error, when Sync_Errors__c is damaged', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...withSyncErrors, syncErrors: '[1,2]' }));
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-current').dataset.reason).toBe('FIELD_PERMISSIONS_MISSING');
        expect(inBox(element, 'sync-errors')).toBeNull();
        expect(byId(element, 'suspension-error')).toBeNull();
    });
});
