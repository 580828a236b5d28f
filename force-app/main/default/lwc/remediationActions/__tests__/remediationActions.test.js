import { createElement } from 'lwc';
import RemediationActions from 'c/remediationActions';
import ObjectMatrix from 'c/objectMatrix';
import assignIntegrationPermissionSet from '@salesforce/apex/SyncDoctorController.assignIntegrationPermissionSet';
import applyRemediation from '@salesforce/apex/SyncDoctorController.applyRemediation';
import getFixRights from '@salesforce/apex/SyncDoctorController.getFixRights';
import { SHOW_TOAST_EVENT_NAME } from 'lightning/platformShowToastEvent';
import { DEFAULT_REQUIREMENTS, evaluateAccess, friendlyPermission, mergeRequirements, planRemediation } from 'c/syncDoctorCore';
import { byId, flush, resetDOM } from 'test-utils';

const healthy = require('./data/snapshot-healthy.json');
const missingObjectEdit = require('./data/snapshot-missing-object-edit.json');
const readOnlyField = require('./data/snapshot-read-only-mapped-field.json');
const storageFull = require('./data/snapshot-storage-full.json');
// Storage full, and HubSpot's hourly logins stopped nine hours before the capture (its sync stopped).
const storageFullLoginsStopped = require('./data/snapshot-storage-full-logins-stopped.json');
// The healthy org with HubSpot's connected app admitting admin-approved users only, none of the
// integration user's sources approved (HubSpot Sales, the sales extension, is left out by the core).
const adminApprovedApp = require('./data/snapshot-admin-approved-app.json');
// The healthy org, HubSpot's last login refused as "User is Inactive", and the user active again:
// the one step left is in HubSpot (log in again).
const loginFailureCleared = require('./data/snapshot-login-failure-cleared.json');
// HubSpot's logins refused as 'Restricted IP' (the demo org restricted-ip's Login History).
const restrictedIpLogins = require('./data/logins-restricted-ip.json');

const USER_ID = '0055g00000HubSpUAAS';

/** The healthy org without the HubSpot permission set assigned: the plan assigns it. */
function withoutHubSpotPermissionSet(base = healthy) {
    const snapshot = JSON.parse(JSON.stringify(base));
    snapshot.assignments = snapshot.assignments.filter(
        (assignment) => assignment.PermissionSet.Label !== 'HubSpot Integration Permissions'
    );
    return snapshot;
}

/** The healthy org with Contact read only, as on the demo org read-only-contacts. */
function readOnlyContacts() {
    const snapshot = JSON.parse(JSON.stringify(healthy));
    for (const row of snapshot.objectPermissions) {
        if (row.SobjectType === 'Contact') Object.assign(row, { PermissionsCreate: false, PermissionsEdit: false });
    }
    return snapshot;
}

function mount(snapshot, listeners = {}) {
    const element = createElement('c-remediation-actions', { is: RemediationActions });
    element.diagnosis = evaluateAccess(snapshot);
    element.userId = USER_ID;
    for (const [name, listener] of Object.entries(listeners)) element.addEventListener(name, listener);
    document.body.appendChild(element);
    return element;
}

/** The dialog's first sentence as read: whitespace collapsed, none before a comma or full stop. */
const intro = (element) => byId(element, 'remediation-intro').textContent.replace(/\s+/g, ' ').trim();

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
});

describe('c-remediation-actions', () => {
    it("shows the core's plan and offers only the fix it needs", async () => {
        const element = mount(missingObjectEdit);
        await flush();
        const plan = planRemediation(evaluateAccess(missingObjectEdit));
        expect(byId(element, 'remediation-summary').textContent).toBe(plan.summary);
        expect(byId(element, 'remediation-apply').disabled).toBe(false);
        // No greyed-out button for a fix the plan does not have.
        expect(byId(element, 'remediation-assign')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says in the dialog which permission sets "Grant the missing rights" assigns too, with a space before the set name', async () => {
        // Apex applies the whole plan: its assignPermissionSets are assigned with Sync_Doctor_Remediation.
        const snapshot = withoutHubSpotPermissionSet();
        const plan = planRemediation(evaluateAccess(snapshot));
        expect(plan.assignPermissionSets).toEqual(['HubSpot Integration Permissions']);
        const element = mount(snapshot);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        expect([...byId(element, 'remediation-set-assignments').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
            'HubSpot Integration Permissions'
        ]);
        const text = element.shadowRoot.querySelector('.slds-modal__content').textContent.replace(/\s+/g, ' ');
        expect(text).toContain('into the permission set Sync_Doctor_Remediation and assign it to the integration user.');
        await expect(element).toBeAccessible();

        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: ['Sync Doctor Remediation', 'HubSpot Integration Permissions'],
                objectPermissions: plan.objectPermissions.length,
                fieldPermissions: 0
            })
        );
        const toast = jest.fn();
        element.addEventListener(SHOW_TOAST_EVENT_NAME, toast);
        byId(element, 'remediation-confirm').click();
        await flush();
        const message = toast.mock.calls[0][0].detail.message;
        expect(message).toMatch(
            new RegExp(`^Sync_Doctor_Remediation now grants ${plan.objectRights.length} object rights.* to the integration user\\. `)
        );
        // Sync Doctor Remediation itself is the sentence's subject, not "also assigned".
        expect(message.endsWith(' Also assigned: HubSpot Integration Permissions.')).toBe(true);
    });

    it('names a system permission as Setup does and says in the toast that it was granted', async () => {
        const snapshot = JSON.parse(JSON.stringify(healthy));
        for (const assignment of snapshot.assignments) assignment.PermissionSet.PermissionsApiEnabled = false;
        const plan = planRemediation(evaluateAccess(snapshot));
        expect(plan.systemPermissions).toEqual(['PermissionsApiEnabled']);
        applyRemediation.mockResolvedValue(
            JSON.stringify({ permissionSetId: '0PS5g00000RemedAAA', assigned: [], objectPermissions: 0, fieldPermissions: 0 })
        );
        const toast = jest.fn();
        const element = mount(snapshot, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-system-grants').textContent).toBe('API Enabled (PermissionsApiEnabled)');
        byId(element, 'remediation-confirm').click();
        await flush();
        // Not "0 object and 0 field permission(s)", which reads as if nothing was granted.
        expect(toast.mock.calls[0][0].detail.message).toBe(
            'Sync_Doctor_Remediation now grants API Enabled (PermissionsApiEnabled) to the integration user.'
        );
    });

    it("names every system permission with the core's label, as the findings do (no label map of its own)", async () => {
        const snapshot = JSON.parse(JSON.stringify(healthy));
        for (const assignment of snapshot.assignments) assignment.PermissionSet.PermissionsViewAllUsers = false;
        const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
            objects: [],
            fields: [],
            permissionSets: [],
            systemPermissions: ['PermissionsViewAllUsers']
        });
        const diagnosis = evaluateAccess(snapshot, requirements);
        expect(planRemediation(diagnosis).systemPermissions).toEqual(['PermissionsViewAllUsers']);
        expect(friendlyPermission('PermissionsViewAllUsers')).toBe('View All Users');
        const element = createElement('c-remediation-actions', { is: RemediationActions });
        element.diagnosis = diagnosis;
        element.userId = USER_ID;
        document.body.appendChild(element);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-system-grants').textContent).toBe('View All Users (PermissionsViewAllUsers)');
        expect(intro(element)).toBe(
            'Sync Doctor will put exactly these rights into the permission set Sync_Doctor_Remediation and assign it to the integration user.'
        );
        // The finding says the same name.
        expect(diagnosis.findings.some((finding) => finding.message.includes('"View All Users"'))).toBe(true);
    });

    it('approves the integration user for an admin-approved-only HubSpot app through Sync_Doctor_Remediation', async () => {
        const plan = planRemediation(evaluateAccess(adminApprovedApp));
        expect(plan.connectedApps).toEqual([{ id: '0H45g000000HubSpAAA', name: 'HubSpot' }]);
        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: ['Sync Doctor Remediation'],
                objectPermissions: 0,
                fieldPermissions: 0,
                connectedApps: ['HubSpot']
            })
        );
        const toast = jest.fn();
        const element = mount(adminApprovedApp, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        // The approval alone is a fix the button applies, not a step by hand.
        expect(byId(element, 'remediation-manual')).toBeNull();
        byId(element, 'remediation-apply').click();
        await flush();
        expect([...byId(element, 'remediation-app-grants').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
            'Approve for the connected app "HubSpot"'
        ]);
        // The approval is no right put into the set: the set is approved for the app.
        expect(intro(element)).toBe(
            'Sync Doctor will approve the permission set Sync_Doctor_Remediation for the connected app below and assign it to the integration user.'
        );
        await expect(element).toBeAccessible();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(JSON.parse(applyRemediation.mock.calls[0][0].planJson).connectedApps).toEqual(plan.connectedApps);
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'success',
            message: 'Sync_Doctor_Remediation now approves the integration user for the connected app "HubSpot".'
        });
    });

    it('lists an app approval next to the other grants, and says both in the toast', async () => {
        const snapshot = { ...JSON.parse(JSON.stringify(missingObjectEdit)), connectedApps: adminApprovedApp.connectedApps };
        const plan = planRemediation(evaluateAccess(snapshot));
        expect(plan.objectPermissions).toHaveLength(2);
        expect(plan.connectedApps).toHaveLength(1);
        // An answer without connectedApps (a server older than the approval): the plan's names.
        applyRemediation.mockResolvedValue(
            JSON.stringify({ permissionSetId: '0PS5g00000RemedAAA', assigned: [], objectPermissions: 2, fieldPermissions: 0 })
        );
        const toast = jest.fn();
        const element = mount(snapshot, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        // Read on Account first, said why: Salesforce refuses Contact's rights in a set without it.
        expect([...byId(element, 'remediation-object-grants').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
            'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact)',
            'Contact: Edit; Read (already granted elsewhere; Salesforce needs it in the same permission set for Edit on Contact)'
        ]);
        expect(byId(element, 'remediation-app-grants').textContent).toBe('Approve for the connected app "HubSpot"');
        expect(intro(element)).toBe(
            'Sync Doctor will put exactly these rights into the permission set Sync_Doctor_Remediation, approve it for the connected app below and assign it to the integration user.'
        );
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe(
            'Sync_Doctor_Remediation now grants 3 object rights to the integration user and approves the user for the connected app "HubSpot".'
        );
    });

    it('names every approved app in the toast', async () => {
        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: [],
                objectPermissions: 0,
                fieldPermissions: 0,
                connectedApps: ['HubSpot', 'HubSpot CRM']
            })
        );
        const toast = jest.fn();
        const element = mount(adminApprovedApp, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe(
            'Sync_Doctor_Remediation now approves the integration user for the connected apps "HubSpot" and "HubSpot CRM".'
        );
    });

    it('says nothing changed when the app was approved already (a second run)', async () => {
        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: [],
                objectPermissions: 0,
                fieldPermissions: 0,
                connectedApps: []
            })
        );
        const toast = jest.fn();
        const element = mount(adminApprovedApp, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe('The integration user already had these rights; nothing changed.');
    });

    it('lists exactly the rights to grant in the confirmation dialog, focused and labelled', async () => {
        const element = mount(readOnlyField);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        const dialog = byId(element, 'remediation-dialog');
        expect(dialog.getAttribute('role')).toBe('dialog');
        expect(dialog.getAttribute('aria-modal')).toBe('true');
        expect([...byId(element, 'remediation-field-grants').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
            'Contact.Email: Read, Edit'
        ]);
        expect([...byId(element, 'remediation-object-grants').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
            'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact)',
            'Contact: Read (already granted elsewhere; Salesforce needs it in the same permission set for the field permissions on Contact)'
        ]);
        expect(element.shadowRoot.activeElement).toBe(byId(element, 'remediation-cancel'));
        await expect(element).toBeAccessible();
    });

    it('changes nothing on cancel', async () => {
        const remediated = jest.fn();
        const element = mount(missingObjectEdit, { remediated });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-cancel').click();
        await flush();
        expect(byId(element, 'remediation-dialog')).toBeNull();
        expect(applyRemediation).not.toHaveBeenCalled();
        expect(remediated).not.toHaveBeenCalled();
    });

    it('closes the dialog with Escape and keeps Tab inside it', async () => {
        const element = mount(missingObjectEdit);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        const dialog = byId(element, 'remediation-dialog');
        byId(element, 'remediation-confirm').focus();
        const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
        byId(element, 'remediation-confirm').dispatchEvent(tab);
        expect(tab.defaultPrevented).toBe(true);
        // Round to the first stop: the scrolling list of grants, then Cancel.
        expect(element.shadowRoot.activeElement).toBe(byId(element, 'remediation-dialog-content'));
        const shiftTab = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true });
        byId(element, 'remediation-dialog-content').dispatchEvent(shiftTab);
        expect(shiftTab.defaultPrevented).toBe(true);
        expect(element.shadowRoot.activeElement).toBe(byId(element, 'remediation-confirm'));
        dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        await flush();
        expect(byId(element, 'remediation-dialog')).toBeNull();
        expect(applyRemediation).not.toHaveBeenCalled();
    });

    it('applies the plan on confirm, toasts, and asks the page to read the org again', async () => {
        applyRemediation.mockResolvedValue(
            JSON.stringify({ permissionSetId: '0PS5g00000RemedAAA', assigned: true, objectPermissions: 1, fieldPermissions: 0 })
        );
        const remediated = jest.fn();
        const toast = jest.fn();
        const element = mount(missingObjectEdit, { remediated, [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(applyRemediation).toHaveBeenCalledTimes(1);
        const { userId, planJson } = applyRemediation.mock.calls[0][0];
        expect(userId).toBe(USER_ID);
        expect(JSON.parse(planJson)).toEqual(planRemediation(evaluateAccess(missingObjectEdit)));
        // Each row's saving wave goes along: Apex saves the rows by it and works out no order itself.
        expect(JSON.parse(planJson).objectPermissions.map((grant) => [grant.sobjectType, grant.saveWave])).toEqual([
            ['Account', 0],
            ['Contact', 1]
        ]);
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'success',
            title: 'Missing rights granted',
            message: 'Sync_Doctor_Remediation now grants 3 object rights to the integration user.'
        });
        expect(remediated).toHaveBeenCalledTimes(1);
        expect(remediated.mock.calls[0][0].detail.action).toBe('apply');
        expect(byId(element, 'remediation-dialog')).toBeNull();
    });

    it('says the fix is being applied while Apex works, keeps the focus in the dialog and sends it once', async () => {
        let finish;
        applyRemediation.mockReturnValue(
            new Promise((resolve) => {
                finish = resolve;
            })
        );
        const element = mount(missingObjectEdit);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        const status = byId(element, 'remediation-working');
        expect(status.getAttribute('role')).toBe('status');
        expect(status.textContent).toBe('');
        const confirm = byId(element, 'remediation-confirm');
        confirm.focus();
        confirm.click();
        await flush();
        // A disabled button drops the keyboard focus to the page: it says it is busy instead.
        expect(confirm.disabled).toBe(false);
        expect(confirm.getAttribute('aria-disabled')).toBe('true');
        expect(byId(element, 'remediation-cancel').getAttribute('aria-disabled')).toBe('true');
        expect(element.shadowRoot.activeElement).toBe(confirm);
        expect(byId(element, 'remediation-dialog').getAttribute('aria-busy')).toBe('true');
        expect(status.textContent).toBe('Applying the fix in Salesforce…');
        confirm.click();
        byId(element, 'remediation-cancel').click();
        await flush();
        expect(applyRemediation).toHaveBeenCalledTimes(1);
        expect(byId(element, 'remediation-dialog')).not.toBeNull();
        finish(JSON.stringify({ permissionSetId: '0PS5g00000RemedAAA', assigned: [], objectPermissions: 1, fieldPermissions: 0 }));
        await flush();
        expect(byId(element, 'remediation-dialog')).toBeNull();
    });

    it.each([
        ['grants rights', () => mount(missingObjectEdit), 'remediation-apply', 'Grant and assign'],
        ['only approves a connected app', () => mount(adminApprovedApp), 'remediation-apply', 'Approve and assign'],
        ['assigns the HubSpot permission set', () => mount(withoutHubSpotPermissionSet()), 'remediation-assign', 'Assign permission set']
    ])('names what the confirming button does to the org when the fix %s, not a bare "Confirm"', async (_label, open, button, label) => {
        const element = open();
        await flush();
        byId(element, button).click();
        await flush();
        expect(byId(element, 'remediation-confirm').textContent.trim()).toBe(label);
        expect(byId(element, 'remediation-cancel').textContent.trim()).toBe('Cancel');
    });

    it('has one primary button: "Assign" when assigning the set is the plan\'s first step, "Grant" the alternative', async () => {
        // The missing-permission-set demo: assigning HubSpot's set alone fixed everything, while the
        // primary button offered 9 object rights and 49 field permissions in a set of its own.
        const snapshot = withoutHubSpotPermissionSet();
        const plan = planRemediation(evaluateAccess(snapshot));
        expect(plan.assignFirst).toBe(true);
        const element = mount(snapshot);
        await flush();
        expect(byId(element, 'remediation-assign').variant).toBe('brand');
        expect(byId(element, 'remediation-apply').variant).toBe('neutral');
        // First in the row, as first in the plan; the summary says to check again after it.
        const buttons = [...element.shadowRoot.querySelectorAll('lightning-button')].map((button) => button.dataset.id);
        expect(buttons).toEqual(['remediation-assign', 'remediation-apply']);
        expect(byId(element, 'remediation-summary').textContent).toMatch(
            /^Assign 'HubSpot Integration Permissions' first, then check again: Sync Doctor cannot see what it grants until it is assigned/
        );
        // The alternative's dialog says why Assign comes first.
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-assign-first').textContent.replace(/\s+/g, ' ')).toContain(
            'These are the rights missing without HubSpot Integration Permissions'
        );
        await expect(element).toBeAccessible();
    });

    it('keeps "Grant the missing rights" primary when nothing is to be assigned', async () => {
        const element = mount(missingObjectEdit);
        await flush();
        expect(byId(element, 'remediation-apply').variant).toBe('brand');
        expect(byId(element, 'remediation-assign')).toBeNull();
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-assign-first')).toBeNull();
    });

    it('after assigning the set, says the page checks again for what is still missing', async () => {
        assignIntegrationPermissionSet.mockResolvedValue(
            JSON.stringify({ assigned: true, permissionSet: 'HubSpot Integration Permissions' })
        );
        const toast = jest.fn();
        const element = mount(withoutHubSpotPermissionSet(), { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-assign').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe(
            'HubSpot Integration Permissions is now assigned to the integration user. Sync Doctor checks again for what is still missing.'
        );
    });

    it('assigns the HubSpot permission set when it is what is missing', async () => {
        assignIntegrationPermissionSet.mockResolvedValue(
            JSON.stringify({ assigned: true, permissionSet: 'HubSpot Integration Permissions' })
        );
        const remediated = jest.fn();
        const element = mount(withoutHubSpotPermissionSet(), { remediated });
        await flush();
        byId(element, 'remediation-assign').click();
        await flush();
        expect(byId(element, 'remediation-dialog').textContent).toContain('HubSpot Integration Permissions');
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(assignIntegrationPermissionSet).toHaveBeenCalledWith({ userId: USER_ID });
        expect(applyRemediation).not.toHaveBeenCalled();
        expect(remediated.mock.calls[0][0].detail.action).toBe('assign');
    });

    it('offers, in the grant dialog that says to assign first, the Assign it speaks of: it assigns, closes and gives the focus back', async () => {
        assignIntegrationPermissionSet.mockResolvedValue(
            JSON.stringify({ assigned: true, permissionSet: 'HubSpot Integration Permissions' })
        );
        const remediated = jest.fn();
        const element = mount(withoutHubSpotPermissionSet(), { remediated });
        await flush();
        const opener = byId(element, 'remediation-apply');
        const focusOpener = jest.spyOn(opener, 'focus');
        opener.click();
        await flush();
        // The text names the button, and the button is there: no Cancel and hunt on the card.
        const said = byId(element, 'remediation-assign-first').textContent.replace(/\s+/g, ' ');
        const assign = byId(element, 'remediation-dialog-assign');
        expect(assign).not.toBeNull();
        expect(said).toContain(`"${assign.textContent.trim()}" below does that`);
        expect(assign.textContent.trim()).toBe('Assign HubSpot Integration Permissions');
        // In the focus trap, before the dialog's own action, which stays last and primary.
        expect(assign.className).toContain('slds-button_neutral');
        expect(byId(element, 'remediation-confirm').className).toContain('slds-button_brand');
        const stops = [...element.shadowRoot.querySelectorAll('[data-focusable="true"]')].map((stop) => stop.dataset.id);
        expect(stops).toEqual(['remediation-dialog-content', 'remediation-cancel', 'remediation-dialog-assign', 'remediation-confirm']);
        // The dialog keeps its name and its named region.
        const dialog = byId(element, 'remediation-dialog');
        const heading = element.shadowRoot.querySelector('.slds-modal__title');
        expect(dialog.getAttribute('aria-labelledby')).toBe(heading.id);
        expect(heading.textContent).toBe('Grant the missing rights?');
        expect(byId(element, 'remediation-dialog-content').getAttribute('aria-label')).toBe('What Sync Doctor will grant');
        await expect(element).toBeAccessible();

        assign.click();
        await flush();
        expect(assignIntegrationPermissionSet).toHaveBeenCalledWith({ userId: USER_ID });
        expect(applyRemediation).not.toHaveBeenCalled();
        expect(remediated.mock.calls[0][0].detail.action).toBe('assign');
        expect(byId(element, 'remediation-dialog')).toBeNull();
        expect(focusOpener).toHaveBeenCalled();
    });

    it('offers no second action in a dialog that has nothing to assign first, nor in the assign dialog itself', async () => {
        const element = mount(missingObjectEdit);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-dialog-assign')).toBeNull();
        const other = mount(withoutHubSpotPermissionSet());
        await flush();
        byId(other, 'remediation-assign').click();
        await flush();
        expect(byId(other, 'remediation-dialog-assign')).toBeNull();
    });

    it('says nothing changed, not "now assigned", when Apex found the set already assigned (someone assigned it since the check)', async () => {
        assignIntegrationPermissionSet.mockResolvedValue(
            JSON.stringify({ assigned: false, permissionSet: 'HubSpot Integration Permissions' })
        );
        const remediated = jest.fn();
        const toast = jest.fn();
        const element = mount(withoutHubSpotPermissionSet(), { remediated, [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-assign').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toEqual({
            variant: 'info',
            title: 'Already assigned',
            message: 'The integration user already holds HubSpot Integration Permissions; nothing changed.'
        });
        // The page reads the org again all the same: its diagnosis is out of date.
        expect(remediated).toHaveBeenCalledTimes(1);
    });

    it('shows Apex refusing in a toast that stays and in the card until the next attempt, and reloads nothing', async () => {
        applyRemediation.mockRejectedValue({ body: { message: 'You cannot assign permission sets.' } });
        const remediated = jest.fn();
        const toast = jest.fn();
        const element = mount(missingObjectEdit, { remediated, [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        // A dismissible toast is gone after a few seconds, with the dialog closed: a long Salesforce
        // message (a permission dependency, a license) must stay until the admin has read it.
        expect(toast.mock.calls[0][0].detail).toEqual({
            variant: 'error',
            title: 'The fix was not applied',
            message: 'You cannot assign permission sets.',
            mode: 'sticky'
        });
        const alert = byId(element, 'remediation-error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe('The fix was not applied: You cannot assign permission sets.');
        expect(remediated).not.toHaveBeenCalled();

        applyRemediation.mockResolvedValue(
            JSON.stringify({ permissionSetId: '0PS000000000001', assigned: [], objectPermissions: 1, fieldPermissions: 0 })
        );
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(byId(element, 'remediation-error')).toBeNull();
        expect(remediated).toHaveBeenCalledTimes(1);
    });

    it('forgets an earlier refusal when a new diagnosis arrives', async () => {
        applyRemediation.mockRejectedValue({ body: { message: 'Permission Read Contacts depends on permission(s): Read Accounts' } });
        const element = mount(missingObjectEdit);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(byId(element, 'remediation-error')).not.toBeNull();
        element.diagnosis = { ...element.diagnosis };
        await flush();
        expect(byId(element, 'remediation-error')).toBeNull();
    });

    it('lists the steps only a person can do, with no button to press', async () => {
        const element = mount(storageFull);
        await flush();
        expect(byId(element, 'remediation-manual').textContent).toContain('storage');
        expect(byId(element, 'remediation-apply')).toBeNull();
        expect(byId(element, 'remediation-assign')).toBeNull();
    });

    it('names what a step by hand is about as Setup does, not by its API name', async () => {
        const element = mount(storageFull);
        await flush();
        const steps = [...byId(element, 'remediation-manual').querySelectorAll('li')].map((item) => item.textContent);
        expect(steps).toHaveLength(1);
        expect(steps[0]).toMatch(/^Data storage: Free data storage/);
        expect(steps[0]).not.toContain('DataStorageMB');
    });

    it("does not copy a finding's remedy, which the Findings card shows as its Fix: its first clause, and where the rest is", async () => {
        const element = mount(storageFull);
        await flush();
        const step = byId(element, 'remediation-manual').querySelector('li').textContent;
        const remedy = element.diagnosis.findings.find((f) => f.subject === 'DataStorageMB').remedy;
        expect(remedy.length).toBeGreaterThan(40);
        expect(step).not.toContain(remedy);
        expect(step).toBe('Data storage: Free data storage (its "Fix:" in the Findings card says how).');
    });

    it("says a long step's action itself, not where its Fix: is, and not after the integration user's name", async () => {
        const element = mount({ ...JSON.parse(JSON.stringify(healthy)), logins: restrictedIpLogins });
        await flush();
        const steps = [...byId(element, 'remediation-manual').querySelectorAll('li')].map((item) => item.textContent);
        expect(steps).toEqual([
            'Set IP Relaxation of HubSpot\'s connected app to "Relax IP restrictions" (Setup > App Manager > HubSpot > Manage > Edit Policies), then click "Clear Suspension" in HubSpot.'
        ]);
    });

    it('lists a step done in HubSpot under its own heading and counts each place in the summary', async () => {
        const element = mount(storageFullLoginsStopped);
        await flush();
        const headings = [...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent);
        expect(headings).toEqual(['To do by hand in Salesforce', 'To do in HubSpot']);
        const items = (id) => [...byId(element, id).querySelectorAll('li')].map((item) => item.textContent);
        expect(items('remediation-manual')).toEqual([expect.stringMatching(/^Data storage: Free data storage/)]);
        // The stopped sync's action, in the core's words (ManualStep.action), not a pointer to the
        // Findings card, nor led by the integration user's name: the whole plan is about that user.
        const step = planRemediation(element.diagnosis).manualSteps.find((m) => m.where === 'hubspot');
        expect(step.action).toMatch(/^Open HubSpot's .*Sync Health.* to see why the sync stopped\.$/);
        expect(items('remediation-hubspot')).toEqual([step.action]);
        expect(byId(element, 'remediation-summary').textContent).toBe('Do 1 step by hand in Salesforce; do 1 step in HubSpot.');
        await expect(element).toBeAccessible();
    });

    it("ends a frozen user's HubSpot step by the relayed status: clear the suspension once HubSpot reports one", async () => {
        const frozen = JSON.parse(JSON.stringify(healthy));
        frozen.user.IsFrozen = true;
        const element = mount(frozen);
        await flush();
        const hubspot = () => [...byId(element, 'remediation-hubspot').querySelectorAll('li')].map((item) => item.textContent);
        // No status given: a condition (a healthy org whose user was frozen may never have been suspended).
        expect(hubspot()).toEqual([expect.stringMatching(/, then clear the suspension if HubSpot suspended the sync\.$/)]);
        element.status = { portalId: '12345678', state: 'suspected', reason: null, title: 'Something', history: [] };
        await flush();
        expect(hubspot()).toEqual([expect.stringMatching(/'hubspot@acme\.com', then clear the suspension\.$/)]);
        expect(hubspot()[0]).not.toContain('if HubSpot suspended');
        element.status = null;
        await flush();
        expect(hubspot()[0]).toContain('if HubSpot suspended the sync');
    });

    it('shows no HubSpot heading when every step is done in Salesforce', async () => {
        const element = mount(storageFull);
        await flush();
        expect([...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['To do by hand in Salesforce']);
        expect(byId(element, 'remediation-hubspot')).toBeNull();
        expect(byId(element, 'remediation-summary').textContent).toBe('Do 1 step by hand in Salesforce.');
    });

    describe('title', () => {
        const title = (element) => byId(element, 'remediation-title').textContent;

        it('says Salesforce when every fix is made there', async () => {
            const element = mount(storageFull);
            await flush();
            expect(title(element)).toBe('Fix it in Salesforce');
        });

        it('says HubSpot when the only step is done in HubSpot', async () => {
            const element = mount(loginFailureCleared);
            await flush();
            expect([...element.shadowRoot.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['To do in HubSpot']);
            expect(byId(element, 'remediation-manual')).toBeNull();
            expect(title(element)).toBe('Fix it in HubSpot');
            expect(byId(element, 'remediation-summary').textContent).toBe('Do 1 step in HubSpot.');
            await expect(element).toBeAccessible();
        });

        it('names both places when steps are done in Salesforce and in HubSpot', async () => {
            const element = mount(storageFullLoginsStopped);
            await flush();
            expect(title(element)).toBe('Fix it in Salesforce and HubSpot');
        });
    });

    it('leaves out the subject when the step already names it (an inactive user)', async () => {
        const snapshot = JSON.parse(JSON.stringify(healthy));
        snapshot.user.IsActive = false;
        const element = mount(snapshot);
        await flush();
        const step = byId(element, 'remediation-manual').querySelector('li').textContent;
        expect(step).toMatch(/^Reactivate /);
        expect(step).toContain(snapshot.user.Username);
    });

    it('says there is nothing to grant for a healthy user', async () => {
        const element = mount(healthy);
        await flush();
        expect(byId(element, 'remediation-nothing')).not.toBeNull();
        expect(byId(element, 'remediation-apply')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('counts object rights in one unit, from the plan, in the matrix, the summary, the dialog and the toast', async () => {
        // The read-only-contacts demo: Contact read only. The card said "2 missing", the fix "3 object
        // rights", the dialog listed 4 and the toast said "2 object permissions" (Apex's rows).
        const snapshot = readOnlyContacts();
        const diagnosis = evaluateAccess(snapshot);
        const plan = planRemediation(diagnosis);
        const matrix = createElement('c-object-matrix', { is: ObjectMatrix });
        Object.assign(matrix, { objects: diagnosis.objects, findings: diagnosis.findings });
        document.body.appendChild(matrix);
        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: [],
                objectPermissions: plan.objectPermissions.length,
                fieldPermissions: 0
            })
        );
        const toast = jest.fn();
        const element = mount(snapshot, { [SHOW_TOAST_EVENT_NAME]: toast });
        await flush();
        const matrixSummary = matrix.shadowRoot.querySelector('[data-id="object-matrix-summary"]').textContent;
        expect(matrixSummary).toContain('2 required object rights are missing');
        // The card shows the core's summary as the core words it (the core decides how it counts there).
        const summary = byId(element, 'remediation-summary').textContent;
        expect(summary).toBe(plan.summary);
        expect(summary).toContain('Create and Edit on Contact');
        expect(summary).toContain('Read on Account and Contact');
        byId(element, 'remediation-apply').click();
        await flush();
        expect(byId(element, 'remediation-object-count').textContent).toBe(
            '4 object rights: 2 missing, 2 already granted elsewhere that Salesforce needs in the same permission set'
        );
        const lines = [...byId(element, 'remediation-object-grants').querySelectorAll('li')].map((li) => li.textContent);
        expect(lines).toEqual([
            'Account: Read (already granted elsewhere; Salesforce needs it in the same permission set for the rights on Contact)',
            'Contact: Create, Edit; Read (already granted elsewhere; Salesforce needs it in the same permission set for Create and Edit on Contact)'
        ]);
        // The lines name 4 rights: Read; Create, Edit; Read.
        const named = lines
            .map((line) =>
                line
                    .replace(/ \(.*\)$/, '')
                    .replace(/^\w+: /, '')
                    .split(/[;,] /)
            )
            .flat();
        expect(named).toHaveLength(plan.objectRights.length);
        byId(element, 'remediation-confirm').click();
        await flush();
        expect(toast.mock.calls[0][0].detail.message).toBe('Sync_Doctor_Remediation now grants 4 object rights to the integration user.');
    });

    it('lists the fields by object, then by field, in a scrolling region the keyboard reaches', async () => {
        const snapshot = withoutHubSpotPermissionSet();
        const plan = planRemediation(evaluateAccess(snapshot));
        const sorted = [...plan.fieldPermissions]
            .sort((a, b) => a.sobjectType.localeCompare(b.sobjectType) || a.field.localeCompare(b.field))
            .map((grant) => grant.field);
        // The plan's own order (the requirements') is not sorted: the dialog sorts it.
        expect(plan.fieldPermissions.map((grant) => grant.field)).not.toEqual(sorted);
        const element = mount(snapshot);
        await flush();
        byId(element, 'remediation-apply').click();
        await flush();
        const fields = [...byId(element, 'remediation-field-grants').querySelectorAll('li')].map((li) => li.textContent.split(':')[0]);
        expect(fields).toEqual(sorted);
        expect(byId(element, 'remediation-field-count').textContent).toBe(`${plan.fieldPermissions.length} field permissions`);
        // axe's scrollable-region-focusable: the long list scrolls in the content, which takes the focus.
        const region = byId(element, 'remediation-dialog-content');
        expect(region.getAttribute('tabindex')).toBe('0');
        expect(region.getAttribute('role')).toBe('region');
        expect(region.getAttribute('aria-label')).toBe('What Sync Doctor will grant');
        expect(region.dataset.focusable).toBe('true');
        await expect(element).toBeAccessible();
    });

    describe("the running user's own rights to apply fixes (getFixRights)", () => {
        const VIEWER = {
            canFix: false,
            canAssign: false,
            missingRights: ['Assign Permission Sets', 'Manage Profiles and Permission Sets']
        };
        const note = (element) => byId(element, 'remediation-rights-note');
        afterEach(() => getFixRights.mockReset());

        it('disables Assign and Grant for a user without the rights, says which to ask for and keeps the steps by hand', async () => {
            getFixRights.mockResolvedValue(JSON.stringify(VIEWER));
            // Both buttons and a step by hand: the full-storage org without HubSpot's set.
            const element = mount(withoutHubSpotPermissionSet(storageFull));
            await flush();
            expect(getFixRights).toHaveBeenCalledTimes(1);
            expect(byId(element, 'remediation-assign').disabled).toBe(true);
            expect(byId(element, 'remediation-apply').disabled).toBe(true);
            expect(note(element).textContent).toBe(
                'To apply fixes you need "Assign Permission Sets" and "Manage Profiles and Permission Sets": ask a Salesforce admin, or follow the steps by hand below.'
            );
            expect(byId(element, 'remediation-manual').textContent).toContain('storage');
            await expect(element).toBeAccessible();
        });

        it('disables both for a Sync_Doctor_Viewer holder whose profile may assign, naming the custom permission Sync_Doctor_Apply_Fixes', async () => {
            // SyncDoctorAccess.fixRights: without Sync_Doctor_Apply_Fixes neither fix is possible,
            // whatever the user's own Assign Permission Sets (the controller refuses both).
            getFixRights.mockResolvedValue(JSON.stringify({ canFix: false, canAssign: false, missingRights: ['Sync Doctor Apply Fixes'] }));
            const element = mount(withoutHubSpotPermissionSet(storageFull));
            await flush();
            expect(byId(element, 'remediation-assign').disabled).toBe(true);
            expect(byId(element, 'remediation-apply').disabled).toBe(true);
            expect(note(element).textContent).toBe(
                'To apply fixes you need "Sync Doctor Apply Fixes": ask a Salesforce admin, or follow the steps by hand below.'
            );
        });

        it('says no steps below when the plan has none', async () => {
            getFixRights.mockResolvedValue(JSON.stringify(VIEWER));
            const element = mount(missingObjectEdit);
            await flush();
            expect(byId(element, 'remediation-apply').disabled).toBe(true);
            expect(note(element).textContent).toBe(
                'To apply fixes you need "Assign Permission Sets" and "Manage Profiles and Permission Sets": ask a Salesforce admin.'
            );
        });

        it('leaves Assign to a user who may assign but not edit permission sets, and names only the right lacking', async () => {
            getFixRights.mockResolvedValue(
                JSON.stringify({ canFix: false, canAssign: true, missingRights: ['Manage Profiles and Permission Sets'] })
            );
            const element = mount(withoutHubSpotPermissionSet());
            await flush();
            expect(byId(element, 'remediation-assign').disabled).toBe(false);
            expect(byId(element, 'remediation-apply').disabled).toBe(true);
            expect(note(element).textContent).toMatch(
                /^To apply fixes you need "Manage Profiles and Permission Sets": ask a Salesforce admin/
            );
        });

        it.each([
            ['an answer without canFix (an older controller)', () => getFixRights.mockResolvedValue('{}')],
            ['no answer', () => getFixRights.mockResolvedValue(undefined)],
            ['a refused call', () => getFixRights.mockRejectedValue({ body: { message: 'boom' } })],
            [
                'a user who may fix',
                () => getFixRights.mockResolvedValue(JSON.stringify({ canFix: true, canAssign: true, missingRights: [] }))
            ]
        ])('keeps the fixes enabled after %s', async (_name, answer) => {
            answer();
            const element = mount(withoutHubSpotPermissionSet());
            await flush();
            expect(getFixRights).toHaveBeenCalledTimes(1);
            expect(byId(element, 'remediation-assign').disabled).toBe(false);
            expect(byId(element, 'remediation-apply').disabled).toBe(false);
            expect(note(element)).toBeNull();
            expect(byId(element, 'remediation-error')).toBeNull();
        });
    });
});
