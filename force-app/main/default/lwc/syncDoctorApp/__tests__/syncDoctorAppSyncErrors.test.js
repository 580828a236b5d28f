import { createElement } from 'lwc';
import SyncDoctorApp from 'c/syncDoctorApp';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { resetDOM } from 'test-utils';

const healthy = require('./data/snapshot-healthy.json');

const SETTINGS = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };
const CANDIDATES = [
    { userId: '0055g00000HubSpUAAS', username: 'hubspot@acme.com', name: 'HubSpot Integration', isActive: true, sources: ['saved'] }
];
/** A custom field mapped only in HubSpot: no default mapping, no saved extra field names it. */
const HUBSPOT_ONLY_FIELD = 'Contact.Hub_Score__c';

/** The healthy org as an admin with every right reads it: nothing left unchecked to hedge the verdict. */
function allRead(snapshot = healthy) {
    const copy = JSON.parse(JSON.stringify(snapshot));
    copy.user.IsFrozen = false;
    copy.logins = [];
    copy.connectedApps = { apps: [], access: [] };
    return copy;
}

/** allRead, with the HubSpot-only field described and granted by the HubSpot set (Edit as given). */
function withHubSpotOnlyField({ edit }) {
    const snapshot = allRead();
    snapshot.fields[HUBSPOT_ONLY_FIELD] = { permissionable: true, calculated: false, nillable: true, type: 'double', referenceTo: [] };
    const granted = snapshot.fieldPermissions.find((row) => row.Field === 'Contact.Email');
    snapshot.fieldPermissions.push({
        ...granted,
        Id: '01k00000000000HUB1',
        Field: HUBSPOT_ONLY_FIELD,
        PermissionsRead: true,
        PermissionsEdit: edit
    });
    return snapshot;
}

/** Sync_Errors__c as the Apex hands it on: the relay's JSON text, naming the HubSpot-only field. */
const SYNC_ERRORS = JSON.stringify({
    receivedAt: '2026-11-28T10:30:00.000Z',
    rows: 40,
    groups: [
        {
            reason: 'FIELD_PERMISSIONS_MISSING',
            errorType: 'Salesforce field permission',
            object: 'Contact',
            field: 'Hub_Score__c',
            count: 40,
            example: null
        }
    ],
    groupsLeftOut: 0
});

const fieldSuspension = (overrides = {}) => ({
    portalId: '12345678',
    state: 'suspended',
    reason: 'FIELD_PERMISSIONS_MISSING',
    title: null,
    since: '2026-11-28T10:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source: 'sync-errors',
    excerpt: null,
    history: [],
    syncErrors: SYNC_ERRORS,
    ...overrides
});

async function flush() {
    for (let i = 0; i < 8; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

/** A promise answered when the test says so: a read still under way. */
function pending() {
    let answer;
    const promise = new Promise((resolve) => {
        answer = resolve;
    });
    return { promise, answer: (snapshot) => answer(JSON.stringify(snapshot)) };
}

function mount() {
    const element = createElement('c-sync-doctor-app', { is: SyncDoctorApp });
    document.body.appendChild(element);
    return element;
}

const child = (element, tag) => element.shadowRoot.querySelector(tag);
/** The sync errors box inside the suspension panel (c-sync-errors-box): its shadow root. */
const syncErrorsBoxOf = (element) => child(element, 'c-suspension-panel').shadowRoot.querySelector('c-sync-errors-box').shadowRoot;
const scopeFieldsOf = (call) => JSON.parse(getSnapshot.mock.calls[call][0].scopeJson).fields;
const tableFields = (element) => child(element, 'c-field-table').fields.map((field) => field.name);
const agreementOf = (element) => {
    const box = child(element, 'c-suspension-panel').shadowRoot.querySelector('[data-id="suspension-agreement"]');
    return box ? box.dataset.agreement : null;
};

beforeEach(() => {
    findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(CANDIDATES));
    getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
});

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
    jestMockReset();
});

describe("c-sync-doctor-app checks the fields HubSpot's sync errors name", () => {
    it('reads the org again, once, with the named field in the scope, when the status comes while the snapshot is read', async () => {
        const first = pending();
        getSuspensionStatus.mockResolvedValue(JSON.stringify(fieldSuspension()));
        getSnapshot.mockReturnValueOnce(first.promise).mockResolvedValue(JSON.stringify(withHubSpotOnlyField({ edit: true })));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        // The first read began before the status came, without the field; the second asks for it.
        expect(scopeFieldsOf(0)).not.toContain(HUBSPOT_ONLY_FIELD);
        expect(scopeFieldsOf(1)).toContain(HUBSPOT_ONLY_FIELD);
        expect(getSnapshot.mock.calls[1][0].userId).toBe(SETTINGS.userId);
        expect(tableFields(element)).toContain(HUBSPOT_ONLY_FIELD);

        // The older read answers last, with the field not granted: the latest read still wins.
        first.answer(allRead());
        await flush();
        expect(tableFields(element)).toContain(HUBSPOT_ONLY_FIELD);
        expect(element.shadowRoot.querySelector('[data-id="verdict"]').dataset.verdict).toBe('healthy');

        // The same fields again (a live event, "Check again" of the panel): no other read.
        await child(element, 'c-suspension-panel').refresh();
        await flush();
        child(element, 'c-suspension-panel').dispatchEvent(new CustomEvent('statuschange', { detail: { status: fieldSuspension() } }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
    });

    it('reads the org again when the status comes after the snapshot, and passes on the status with its sync errors', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        getSnapshot
            .mockResolvedValueOnce(JSON.stringify(allRead()))
            .mockResolvedValue(JSON.stringify(withHubSpotOnlyField({ edit: false })));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        expect(tableFields(element)).not.toContain(HUBSPOT_ONLY_FIELD);

        const status = fieldSuspension();
        child(element, 'c-suspension-panel').dispatchEvent(new CustomEvent('statuschange', { detail: { status } }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(scopeFieldsOf(1)).toContain(HUBSPOT_ONLY_FIELD);
        expect(tableFields(element)).toContain(HUBSPOT_ONLY_FIELD);
        // The field lacks Edit: blocked, and the cards are given the status that names it.
        expect(element.shadowRoot.querySelector('[data-id="verdict"]').dataset.verdict).toBe('blocked');
        expect(child(element, 'c-remediation-actions').status.syncErrors).toBe(SYNC_ERRORS);
        expect(child(element, 'c-copy-report').status.syncErrors).toBe(SYNC_ERRORS);

        child(element, 'c-suspension-panel').dispatchEvent(new CustomEvent('statuschange', { detail: { status: fieldSuspension() } }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
    });

    it('reads no more when the sync errors name only fields already checked (a saved extra field)', async () => {
        // A HubSpot contact's field may be a Lead's too: the admin saved both.
        const extraFields = [
            { name: 'contact.hub_score__c', access: ['read', 'edit'] },
            { name: 'Lead.Hub_Score__c', access: ['read', 'edit'] }
        ];
        getSettings.mockResolvedValue(JSON.stringify({ ...SETTINGS, extraFields }));
        getSuspensionStatus.mockResolvedValue(JSON.stringify(fieldSuspension()));
        getSnapshot.mockResolvedValue(JSON.stringify(withHubSpotOnlyField({ edit: true })));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        // The panel links the sync error to the row the settings' spelling named.
        const link = syncErrorsBoxOf(element).querySelector('[data-id="sync-errors-row-link"]');
        expect(link.dataset.name).toBe('contact.hub_score__c');
        // Asked for once, as the settings spell it: the sync errors' spelling is the same field.
        const asked = scopeFieldsOf(0).filter((name) => name.toLowerCase() === HUBSPOT_ONLY_FIELD.toLowerCase());
        expect(asked).toEqual(['contact.hub_score__c']);
    });

    it('reads the org again, once, for an object only an object-permission sync error names', async () => {
        const objectErrors = JSON.stringify({
            receivedAt: '2026-11-28T10:30:00.000Z',
            rows: 12,
            groups: [
                {
                    reason: 'OBJECT_PERMISSIONS_MISSING',
                    errorType: 'Salesforce object permission',
                    object: 'Invoice__c',
                    field: null,
                    count: 12,
                    example: null
                }
            ],
            groupsLeftOut: 0
        });
        getSuspensionStatus.mockResolvedValue('null');
        getSnapshot.mockResolvedValue(JSON.stringify(allRead()));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        expect(JSON.parse(getSnapshot.mock.calls[0][0].scopeJson).objects).not.toContain('Invoice__c');

        const status = fieldSuspension({ reason: 'OBJECT_PERMISSIONS_MISSING', syncErrors: objectErrors });
        child(element, 'c-suspension-panel').dispatchEvent(new CustomEvent('statuschange', { detail: { status } }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(JSON.parse(getSnapshot.mock.calls[1][0].scopeJson).objects).toContain('Invoice__c');
        // The object is judged now: the org has none, which the object matrix says.
        expect(child(element, 'c-object-matrix').objects.map((object) => object.name)).toContain('Invoice__c');

        child(element, 'c-suspension-panel').dispatchEvent(new CustomEvent('statuschange', { detail: { status } }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
    });

    it('reads the org again for the field a picklist sync error names, and says whether its picklist takes the refused value now', async () => {
        // A HubSpot contact's custom picklist, mapped only in HubSpot: Salesforce refused 'Platinum'.
        const picklist = 'Contact.Hub_Tier__c';
        const picklistErrors = JSON.stringify({
            receivedAt: '2026-11-28T10:30:00.000Z',
            rows: 7,
            groups: [
                {
                    reason: null,
                    errorType: 'Picklist value',
                    object: 'Contact',
                    field: 'Hub_Tier__c',
                    count: 7,
                    example:
                        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Hub Tier: bad value for restricted picklist field: Platinum: [Hub_Tier__c]'
                }
            ],
            groupsLeftOut: 0
        });
        // The second read as the Apex writes it: the picklist's active values, restricted; Lead has no such field.
        const reread = allRead();
        reread.fields[picklist] = {
            permissionable: true,
            calculated: false,
            autoNumber: false,
            nillable: true,
            type: 'picklist',
            referenceTo: [],
            exists: true,
            picklistValues: ['Bronze', 'Silver', 'Gold'],
            restrictedPicklist: true
        };
        reread.fields['Lead.Hub_Tier__c'] = {
            permissionable: false,
            calculated: false,
            autoNumber: false,
            nillable: true,
            referenceTo: [],
            exists: false
        };
        const granted = reread.fieldPermissions.find((row) => row.Field === 'Contact.Email');
        reread.fieldPermissions.push({
            ...granted,
            Id: '01k00000000000HUB3',
            Field: picklist,
            PermissionsRead: true,
            PermissionsEdit: true
        });
        getSuspensionStatus.mockResolvedValue('null');
        getSnapshot.mockResolvedValueOnce(JSON.stringify(allRead())).mockResolvedValue(JSON.stringify(reread));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        expect(scopeFieldsOf(0)).not.toContain(picklist);

        // The relayed status comes in live: the panel reads it, then tells the page.
        const status = fieldSuspension({ reason: null, syncErrors: picklistErrors });
        getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
        const panel = child(element, 'c-suspension-panel');
        await panel.refresh();
        await flush();
        // Read again, with the picklist (Contact's, and Lead's copy if the org has one) in the scope.
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(scopeFieldsOf(1)).toEqual(expect.arrayContaining([picklist, 'Lead.Hub_Tier__c']));
        expect(getSnapshot.mock.calls[1][0].userId).toBe(SETTINGS.userId);

        // Judged with its values as read: 'Platinum' is still not one of them.
        const now = syncErrorsBoxOf(element).querySelector('[data-id="sync-errors-line-now"]');
        expect(now.dataset.now).toBe('missing');
        expect(now.textContent).toMatch(
            /^Now: Contact\.Hub_Tier__c still has no active value 'Platinum': add it \(or activate it, if there but inactive\) in Setup > Object Manager > Contact > Fields & Relationships > Hub_Tier__c/
        );
        expect(now.textContent).toContain("one of its 3 active values ('Bronze', 'Silver' and 'Gold')");
        expect(now.textContent).not.toContain('Lead.Hub_Tier__c');

        // The same status again: nothing more to read.
        await panel.refresh();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
    });

    it.each([
        [true, 'fixed-since'],
        [false, 'confirmed']
    ])(
        'turns a field-permission suspension from "check in HubSpot" to what the named field shows once read (Edit %s: %s)',
        async (edit, after) => {
            getSuspensionStatus.mockResolvedValue('null');
            const reread = pending();
            getSnapshot.mockResolvedValueOnce(JSON.stringify(allRead())).mockReturnValueOnce(reread.promise);
            const element = mount();
            await flush();
            const panel = child(element, 'c-suspension-panel');
            // The suspension comes in live: the panel reads it, then tells the page.
            getSuspensionStatus.mockResolvedValue(JSON.stringify(fieldSuspension()));
            await panel.refresh();
            await flush();
            // Every field Sync Doctor knows of passes; the one HubSpot named is not read yet.
            expect(agreementOf(element)).toBe('check-in-hubspot');
            expect(getSnapshot).toHaveBeenCalledTimes(2);

            reread.answer(withHubSpotOnlyField({ edit }));
            await flush();
            expect(agreementOf(element)).toBe(after);
            const link = syncErrorsBoxOf(element).querySelector('[data-id="sync-errors-row-link"]');
            expect(link.dataset.name).toBe(HUBSPOT_ONLY_FIELD);
            link.click();
            await flush();
            const table = child(element, 'c-field-table');
            expect(table.shadowRoot.activeElement.dataset.field).toBe(HUBSPOT_ONLY_FIELD);
        }
    );

    it('judges again, without reading again, when the sync errors ask more rights of a name already read', async () => {
        // The admin checks a company field for read only; HubSpot's export says it could not write it.
        const field = 'Account.Hub_Score__c';
        getSettings.mockResolvedValue(JSON.stringify({ ...SETTINGS, extraFields: [{ name: field, access: ['read'] }] }));
        getSuspensionStatus.mockResolvedValue('null');
        const snapshot = allRead();
        snapshot.fields[field] = { permissionable: true, calculated: false, nillable: true, type: 'double', referenceTo: [] };
        const granted = snapshot.fieldPermissions.find((row) => row.Field === 'Account.Industry');
        snapshot.fieldPermissions.push({
            ...granted,
            Id: '01k00000000000HUB2',
            Field: field,
            PermissionsRead: true,
            PermissionsEdit: false
        });
        getSnapshot.mockResolvedValue(JSON.stringify(snapshot));
        const element = mount();
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        expect(scopeFieldsOf(0)).toContain(field);
        const verdict = () => element.shadowRoot.querySelector('[data-id="verdict"]').dataset.verdict;
        expect(verdict()).toBe('healthy');

        const syncErrors = JSON.stringify({
            receivedAt: '2026-11-28T10:30:00.000Z',
            rows: 9,
            groups: [
                {
                    reason: 'FIELD_PERMISSIONS_MISSING',
                    errorType: 'Salesforce field permission',
                    object: 'Company',
                    field: 'Hub_Score__c',
                    count: 9,
                    example: null
                }
            ],
            groupsLeftOut: 0
        });
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', { detail: { status: fieldSuspension({ syncErrors }) } })
        );
        await flush();
        // The snapshot holds every right of the field (the core's scopeUnread finds nothing unread):
        // the same snapshot judged for edit now, the field's Edit missing.
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        expect(verdict()).toBe('blocked');

        // The default Contact object, asked by an object-permission sync error: read already, asked nothing more.
        const objectErrors = JSON.stringify({
            receivedAt: '2026-11-28T10:30:00.000Z',
            rows: 3,
            groups: [
                {
                    reason: 'OBJECT_PERMISSIONS_MISSING',
                    errorType: 'Salesforce object permission',
                    object: 'Contact',
                    field: null,
                    count: 3,
                    example: null
                }
            ],
            groupsLeftOut: 0
        });
        const fieldsBefore = child(element, 'c-field-table').fields;
        child(element, 'c-suspension-panel').dispatchEvent(
            new CustomEvent('statuschange', {
                detail: { status: fieldSuspension({ reason: 'OBJECT_PERMISSIONS_MISSING', syncErrors: objectErrors }) }
            })
        );
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(1);
        // The field's errors no longer speak: judged for read only again.
        expect(verdict()).toBe('healthy');
        expect(child(element, 'c-field-table').fields).not.toBe(fieldsBefore);
    });
});
