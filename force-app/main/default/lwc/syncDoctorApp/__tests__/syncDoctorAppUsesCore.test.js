import { createElement } from 'lwc';
import SyncDoctorApp from 'c/syncDoctorApp';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { groupFindings } from 'c/syncDoctorCore';

// The verdict names its causes in the order of the core's groupFindings (the Findings card's), not
// in an order of its own: a core that orders the groups otherwise is followed here too.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    return { ...actual, groupFindings: jest.fn(actual.groupFindings) };
});

const missingObjectEdit = require('./data/snapshot-missing-object-edit.json');
const SETTINGS = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };

async function mountWith(snapshot) {
    getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
    getSnapshot.mockResolvedValue(JSON.stringify(snapshot));
    findIntegrationUserCandidates.mockResolvedValue('[]');
    getSuspensionStatus.mockResolvedValue('null');
    const element = createElement('c-sync-doctor-app', { is: SyncDoctorApp });
    document.body.appendChild(element);
    for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
    return element;
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jestMockReset();
});

const INACTIVE = 'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)';
const OBJECTS = 'Salesforce object permissions missing';

/** The org missing an object right, with its integration user deactivated: two causes that block. */
function inactiveAndMissingObjectEdit() {
    const several = JSON.parse(JSON.stringify(missingObjectEdit));
    several.user.IsActive = false;
    return several;
}

describe("c-sync-doctor-app names the verdict's causes with the core's groupFindings", () => {
    it("names them in the core's order", async () => {
        const element = await mountWith(inactiveAndMissingObjectEdit());
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe(
            `HubSpot cannot sync: ${INACTIVE} and ${OBJECTS}. Fix them below.`
        );
    });

    it("asks the core for the groups at the verdict's severity and names them in the core's order", async () => {
        const actual = jest.requireActual('c/syncDoctorCore');
        groupFindings.mockImplementation((findings, options) => actual.groupFindings(findings, options).reverse());
        const element = await mountWith(inactiveAndMissingObjectEdit());
        expect(groupFindings).toHaveBeenCalledWith(expect.any(Array), { severities: ['error'] });
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe(
            `HubSpot cannot sync: ${OBJECTS} and ${INACTIVE}. Fix them below.`
        );
        groupFindings.mockImplementation(actual.groupFindings);
    });
});
