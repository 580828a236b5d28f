import { createElement } from 'lwc';
import RemediationActions from 'c/remediationActions';
import applyRemediation from '@salesforce/apex/SyncDoctorController.applyRemediation';
import { SHOW_TOAST_EVENT_NAME } from 'lightning/platformShowToastEvent';
import { evaluateAccess, planRemediation } from 'c/syncDoctorCore';
import { flush, resetDOM } from 'test-utils';

// The permission set the fix writes into is the core's REMEDIATION_PERMISSION_SET: named here as
// another set, the dialog and the toast must follow it, which a name of the component's would not.
// The rights it grants are said in the core's words (objectGrantLines, here marked), not words of its own.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    return {
        ...actual,
        REMEDIATION_PERMISSION_SET: 'Acme_Fix_Set',
        objectGrantLines: (plan) => actual.objectGrantLines(plan).map((line) => ({ ...line, text: `core: ${line.text}` }))
    };
});

const missingObjectEdit = require('./data/snapshot-missing-object-edit.json');

afterEach(resetDOM);

describe('c-remediation-actions names the remediation permission set as the core does', () => {
    it('in the dialog and in the toast after the fix', async () => {
        const plan = planRemediation(evaluateAccess(missingObjectEdit));
        const element = createElement('c-remediation-actions', { is: RemediationActions });
        element.diagnosis = evaluateAccess(missingObjectEdit);
        element.userId = '0055g00000HubSpUAAS';
        const toast = jest.fn();
        element.addEventListener(SHOW_TOAST_EVENT_NAME, toast);
        document.body.appendChild(element);
        await flush();
        element.shadowRoot.querySelector('[data-id="remediation-apply"]').click();
        await flush();
        const dialog = element.shadowRoot.querySelector('.slds-modal__content').textContent.replace(/\s+/g, ' ');
        expect(dialog).toContain('into the permission set Acme_Fix_Set and assign it to the integration user.');
        expect(dialog).not.toContain('Sync_Doctor_Remediation');
        const grants = [...element.shadowRoot.querySelectorAll('[data-id="remediation-object-grant"]')].map((li) => li.textContent.trim());
        expect(grants.length).toBeGreaterThan(0);
        expect(grants).toEqual(
            jest
                .requireActual('c/syncDoctorCore')
                .objectGrantLines(plan)
                .map((line) => `core: ${line.text}`)
        );

        applyRemediation.mockResolvedValue(
            JSON.stringify({
                permissionSetId: '0PS5g00000RemedAAA',
                assigned: ['Acme Fix Set'],
                objectPermissions: plan.objectPermissions.length,
                fieldPermissions: 0
            })
        );
        element.shadowRoot.querySelector('[data-id="remediation-confirm"]').click();
        await flush();
        const message = toast.mock.calls[0][0].detail.message;
        expect(message).toBe(`Acme_Fix_Set now grants ${plan.objectRights.length} object rights to the integration user.`);
    });
});
