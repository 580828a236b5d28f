import { createElement } from 'lwc';
import SyncDoctorApp from 'c/syncDoctorApp';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { jestMockReset } from 'lightning/empApi';
import { partlyCheckedVerdictLabel, partlyCheckedVerdictSentence, verdictSentence, verdictUncheckedSentence } from 'c/syncDoctorCore';

// The verdict's sentence is the core's (verdictSentence, the report's too), not one the app composes:
// a core that words it otherwise is followed here too.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    return {
        ...actual,
        verdictSentence: jest.fn(actual.verdictSentence),
        partlyCheckedVerdictLabel: jest.fn(actual.partlyCheckedVerdictLabel),
        partlyCheckedVerdictSentence: jest.fn(actual.partlyCheckedVerdictSentence),
        verdictUncheckedSentence: jest.fn(actual.verdictUncheckedSentence)
    };
});
const CORE_WORDS = { verdictSentence, partlyCheckedVerdictLabel, partlyCheckedVerdictSentence, verdictUncheckedSentence };

const healthy = require('./data/snapshot-healthy.json');
const missingObjectEdit = require('./data/snapshot-missing-object-edit.json');
const adminApprovedApp = require('./data/snapshot-admin-approved-app.json');
const expiredAssignment = require('./data/snapshot-expired-assignment.json');
const SETTINGS = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };

async function mountWith(snapshot, status = null) {
    getSettings.mockResolvedValue(JSON.stringify(SETTINGS));
    getSnapshot.mockResolvedValue(JSON.stringify(snapshot));
    findIntegrationUserCandidates.mockResolvedValue('[]');
    getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
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
    for (const [name, fn] of Object.entries(CORE_WORDS)) fn.mockImplementation(jest.requireActual('c/syncDoctorCore')[name]);
});

const INACTIVE = 'Integration user inactive (HubSpot would suspend with: Salesforce org API access disabled)';
const OBJECTS = 'Salesforce object permissions missing';

/** The org missing an object right, with its integration user deactivated: two causes that block. */
function inactiveAndMissingObjectEdit() {
    const several = JSON.parse(JSON.stringify(missingObjectEdit));
    several.user.IsActive = false;
    return several;
}

describe("c-sync-doctor-app says the verdict in the core's words (verdictSentence)", () => {
    it("names them in the core's order", async () => {
        const element = await mountWith(inactiveAndMissingObjectEdit());
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe(
            `HubSpot cannot sync: ${INACTIVE} and ${OBJECTS}. Fix them below.`
        );
    });

    it("shows the core's sentence for a blocked verdict, asked with the suspension and the plan's set to assign first", async () => {
        verdictSentence.mockImplementation(() => 'The core says so.');
        const element = await mountWith(inactiveAndMissingObjectEdit());
        expect(verdictSentence).toHaveBeenCalledWith(expect.objectContaining({ verdict: 'blocked' }), {
            suspended: false,
            assignFirst: [],
            // No status relayed: the core words a stopped sync without HubSpot's reason.
            status: null
        });
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe('The core says so.');
    });

    it('says a refusal still to come as what will happen, in the words of the report', async () => {
        const element = await mountWith(adminApprovedApp);
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe(
            "HubSpot still syncs, but Salesforce will refuse it from its next login on: Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled). Fix it below."
        );
    });

    it('says most findings may come from the set the plan assigns first', async () => {
        const element = await mountWith(expiredAssignment);
        expect(element.shadowRoot.querySelector('[data-id="verdict"] p').textContent).toBe(
            "HubSpot cannot sync: Salesforce object permissions missing and Salesforce field permissions missing. Most findings may come from 'HubSpot Integration Permissions' not being assigned: assign it first, then check again."
        );
    });
});

/** The healthy fixture lacks the frozen state, Login History and the connected app: partly checked. */
const partlyChecked = () => JSON.parse(JSON.stringify(healthy));
const SUSPENDED = {
    portalId: '12345678',
    state: 'suspended',
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: null,
    since: '2026-11-28T10:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source: 'webhook',
    excerpt: null,
    history: []
};

describe("c-sync-doctor-app says a partly checked verdict in the core's words, as the CLI and the report do", () => {
    it("shows the core's label and sentence for a healthy verdict partly checked, asked with the suspension", async () => {
        partlyCheckedVerdictLabel.mockImplementation(() => 'Core label');
        partlyCheckedVerdictSentence.mockImplementation(() => 'The core says so.');
        verdictUncheckedSentence.mockImplementation(() => 'Check it by hand, says the core.');
        const element = await mountWith(partlyChecked(), SUSPENDED);
        await Promise.resolve();
        const verdict = element.shadowRoot.querySelector('[data-id="verdict"]');
        expect(verdict.querySelector('h2 span').textContent).toBe('Core label');
        expect(verdict.querySelector('p').textContent).toBe('The core says so. Check it by hand, says the core.');
        expect(partlyCheckedVerdictSentence).toHaveBeenLastCalledWith(
            expect.objectContaining({ verdict: 'healthy' }),
            expect.objectContaining({ state: 'suspended' })
        );
    });

    it("adds the core's sentence on the checks not made to an at-risk verdict", async () => {
        verdictUncheckedSentence.mockImplementation(() => 'Check it by hand, says the core.');
        const snapshot = partlyChecked();
        // 96.5% of the org's daily API requests used: a risk, not a block.
        snapshot.limits.DailyApiRequests.Remaining = 3500;
        const element = await mountWith(snapshot);
        const verdict = element.shadowRoot.querySelector('[data-id="verdict"]');
        expect(verdict.dataset.verdict).toBe('at-risk');
        expect(verdict.querySelector('p').textContent).toMatch(
            /Salesforce org API limit nearly reached.* Check it by hand, says the core\.$/
        );
    });
});
