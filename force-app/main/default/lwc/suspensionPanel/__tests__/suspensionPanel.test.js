import { createElement } from 'lwc';
import SuspensionPanel from 'c/suspensionPanel';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import {
    subscribe,
    unsubscribe,
    jestMockPublish,
    jestMockSubscriptions,
    jestMockReset,
    jestMockStreamError,
    jestMockErrorListeners
} from 'lightning/empApi';
import { SUSPENSION_REASONS, evaluateAccess, nothingRelayedText, relayedReasonTitle } from 'c/syncDoctorCore';
import { byId, flush, resetDOM } from 'test-utils';

const suspended = require('./data/status-suspended.json');
const cleared = require('./data/status-cleared.json');

const CHANNEL = '/event/Sync_Doctor_Event__e';

/** Snapshots of the core's fixtures (copies of packages/core/test/fixtures), diagnosed by the core. */
const SNAPSHOTS = {
    healthy: require('./data/snapshot-healthy.json'),
    'missing-object-edit': require('./data/snapshot-missing-object-edit.json'),
    'read-only-mapped-field': require('./data/snapshot-read-only-mapped-field.json'),
    'inactive-user': require('./data/snapshot-inactive-user.json'),
    'storage-full': require('./data/snapshot-storage-full.json')
};
const diagnosisOf = (name) => evaluateAccess(SNAPSHOTS[name]);
/**
 * The healthy snapshot as an admin with every right reads it (frozen state, Login History, HubSpot's
 * connected app): the fixture lacks the three, so its diagnosis is partly checked.
 */
function allRead() {
    const snapshot = JSON.parse(JSON.stringify(SNAPSHOTS.healthy));
    snapshot.user.IsFrozen = false;
    snapshot.logins = [];
    snapshot.connectedApps = { apps: [], access: [] };
    return snapshot;
}
const stepsOf = (element) =>
    [...element.shadowRoot.querySelectorAll('[data-id="suspension-step"]')].map((li) => ({
        status: li.dataset.status,
        badge: li.querySelector('[data-id="suspension-step-status"]').textContent,
        icon: li.querySelector('lightning-icon').iconName,
        text: li.querySelector('[data-id="suspension-step-text"]').textContent,
        evidence: li.querySelector('[data-id="suspension-step-evidence"]').textContent.trim(),
        findings: [...li.querySelectorAll('[data-id="suspension-step-findings"] li')].map((f) => f.textContent)
    }));

async function mount(props) {
    const element = createElement('c-suspension-panel', { is: SuspensionPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    await flush();
    return element;
}

function event(payload) {
    return {
        channel: CHANNEL,
        data: { schema: 'x', payload: { CreatedDate: '2026-11-28T12:00:00.000Z', ...payload }, event: { replayId: 7 } }
    };
}

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
    jestMockReset();
});

describe('c-suspension-panel', () => {
    it("says every time in the core's words (since, last seen, each change of the history, the clearing), as the findings do", async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksPass: false });
        // The locale's "Nov 28, 2026, 02:00 AM PST" beside the findings' UTC read as another moment.
        expect(element.shadowRoot.querySelectorAll('lightning-formatted-date-time')).toHaveLength(0);
        expect(byId(element, 'suspension-since').textContent.trim()).toBe('2026-11-28 10:00 UTC');
        expect(byId(element, 'suspension-last-seen-time').textContent).toBe('2026-11-28 11:30 UTC');
        const when = [...element.shadowRoot.querySelectorAll('[data-id="suspension-history-time"]')].map((cell) => cell.textContent);
        expect(when).toEqual(['2026-11-28 10:00 UTC', '2026-11-20 08:00 UTC']);

        getSuspensionStatus.mockResolvedValue(JSON.stringify(cleared));
        await element.refresh();
        await flush();
        expect(byId(element, 'suspension-cleared').textContent.replace(/\s+/g, ' ').trim()).toBe(
            'The last suspension was cleared 2026-11-28 12:00 UTC.'
        );
        expect(element.shadowRoot.querySelectorAll('lightning-formatted-date-time')).toHaveLength(0);
    });

    it('shows the current suspension with the remedy steps of the core catalog', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksPass: false });
        expect(getSuspensionStatus).toHaveBeenCalledWith({ portalId: '12345678' });
        const current = byId(element, 'suspension-current');
        expect(current.dataset.state).toBe('suspended');
        expect(current.dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
        expect(byId(element, 'suspension-title').textContent).toBe(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en);
        expect(byId(element, 'suspension-since').textContent.trim()).toBe('2026-11-28 10:00 UTC');
        expect(byId(element, 'suspension-excerpt').textContent).toContain('missing object permissions');
        const steps = [...byId(element, 'suspension-remedy').querySelectorAll('li')].map((li) => li.textContent);
        expect(steps).toEqual(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.remedy);
        await expect(element).toBeAccessible();
    });

    it('marks each step done from the diagnosis: the HubSpot set is assigned, only Edit on Contact is to do', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis: diagnosisOf('missing-object-edit') });
        const steps = stepsOf(element);
        // The catalog's text stays, word for word.
        expect(steps.map((step) => step.text)).toEqual(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.remedy);
        expect(steps.map((step) => [step.status, step.badge, step.icon])).toEqual([
            ['done', 'Done', 'utility:success'],
            ['todo', 'To do', 'utility:warning'],
            // Step 3 (a related object's rights) follows step 2, which is still to do (d4e1c1d).
            ['unknown', 'Not the cause now', 'utility:info'],
            // Not "Unknown": Sync Doctor cannot see this step (it is done in HubSpot), as the agreement box words it.
            ['unknown', 'Not checked', 'utility:help']
        ]);
        expect(steps[0].evidence).toContain('The permission set "HubSpot Integration Permissions" is assigned directly.');
        expect(steps[0].findings).toEqual([]);
        expect(steps[1].evidence).toBe('Missing: Edit on Contact.');
        expect(steps[1].findings).toHaveLength(1);
        expect(steps[1].findings[0]).toMatch(/^Contact: 'hubspot@acme.com' cannot Edit Contact records/);
        expect(steps[3].evidence).toContain('This step is in HubSpot, which Sync Doctor cannot see');
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.dataset.agreement).toBe('confirmed');
        // Under "HubSpot's reason confirmed", not "Sync Doctor sees this cause too" again: what to read.
        expect(agreement.querySelector('strong').textContent).toBe("HubSpot's reason confirmed");
        expect(byId(element, 'suspension-agreement-summary').textContent).toBe(
            'The steps marked "to do" name the findings that say what is missing.'
        );
        await expect(element).toBeAccessible();
    });

    it('says once that clearing is safe when only risks remain, with the risks: in the box, not again under it', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'OBJECT_PERMISSIONS_MISSING' }));
        // The healthy org with 97% of its daily API requests used: a warning, nothing blocking.
        const nearLimit = allRead();
        nearLimit.limits.DailyApiRequests.Remaining = 3000;
        const diagnosis = evaluateAccess(nearLimit);
        expect(diagnosis.verdict).toBe('at-risk');
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis });
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('fixed-since');
        const summary = byId(element, 'suspension-agreement-summary').textContent;
        expect(summary).not.toContain('Clear the suspension');
        expect(summary).toContain('review them too');
        // "Safe to click "Clear Suspension"" right under "Clear the suspension in HubSpot" said it twice.
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        const panel = byId(element, 'suspension-panel').textContent;
        expect(panel).not.toContain('Safe to click');
        expect(panel.match(/review/gi)).toHaveLength(1);
    });

    it('asks "fixed since?" when HubSpot reports missing object permissions but every required right is granted now', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'OBJECT_PERMISSIONS_MISSING' }));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        expect(stepsOf(element).map((step) => step.status)).toEqual(['done', 'done', 'done', 'unknown']);
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('fixed-since');
        // Headed in plain words: 'No longer seen' said nothing of what is no longer there.
        expect(byId(element, 'suspension-agreement').querySelector('strong').textContent).toBe('Cause fixed now');
        const summary = byId(element, 'suspension-agreement-summary').textContent;
        // The fact only: the "Clear Suspension" step says to clear, not the box a second time.
        expect(summary).toBe('The HubSpot permission set is assigned and every required object right is granted now.');
        await expect(element).toBeAccessible();
    });

    it('never says "Cause fixed now" for missing field permissions on the known mapped fields alone', async () => {
        // The drill: a field mapped only in HubSpot hidden from the user; the 61 known fields pass.
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'FIELD_PERMISSIONS_MISSING' }));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        expect(stepsOf(element).map((step) => step.status)).toEqual(['unknown', 'done', 'done', 'unknown']);
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.dataset.agreement).toBe('check-in-hubspot');
        expect(agreement.querySelector('strong').textContent).toBe("Salesforce's side looks right: check HubSpot");
        expect(byId(element, 'suspension-agreement-summary').textContent).toContain("add it to Sync Doctor's required fields");
        expect(byId(element, 'suspension-panel').textContent).not.toMatch(/Cause fixed|gone now/);
        await expect(element).toBeAccessible();
    });

    it("judges the field HubSpot's own message names: fixed once that checked field has its access", async () => {
        // The relayed excerpt names Contact.Email, one of the fields Sync Doctor checks: step 1 is judged.
        const status = {
            ...suspended,
            reason: 'FIELD_PERMISSIONS_MISSING',
            excerpt: 'Give the integration user access to the field Contact.Email'
        };
        getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        expect(stepsOf(element)[0].status).toBe('done');
        expect(stepsOf(element)[0].evidence).toContain("HubSpot's message names Contact.Email");
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('fixed-since');
        await expect(element).toBeAccessible();
    });

    it('never calls the cause fixed while checks could not be made: "Partly checked", and "check by hand" said once', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'OBJECT_PERMISSIONS_MISSING' }));
        // The healthy fixture without the frozen state, Login History and connected app (not read).
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: diagnosisOf('healthy') });
        expect(stepsOf(element).map((step) => step.status)).toEqual(['done', 'done', 'done', 'unknown']);
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.dataset.agreement).toBe('partly-checked');
        expect(agreement.querySelector('strong').textContent).toBe('Partly checked: no sign of this cause now');
        expect(agreement.querySelector('lightning-icon').iconName).toBe('utility:info');
        expect(byId(element, 'suspension-agreement-summary').textContent).toBe(
            "The HubSpot permission set is assigned and every required object right is granted now. Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again."
        );
        expect(stepsOf(element)[3].evidence).toContain('some it could not make, and they come first (below)');
        const panel = byId(element, 'suspension-panel').textContent;
        expect(panel).not.toMatch(/Cause fixed|Fixed since|Safe to click/);
        expect(panel.match(/check by hand/gi)).toHaveLength(1);
        expect(panel.match(/could not read/g)).toHaveLength(1);
        // Under the box: how to make each check, without saying again that it is needed.
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('check-by-hand');
        expect(advice.textContent).toBe('Before you click "Clear Suspension" in HubSpot:');
        const byHand = [...element.shadowRoot.querySelectorAll('[data-id="suspension-by-hand-step"]')];
        expect(byHand.map((li) => li.dataset.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
        await expect(element).toBeAccessible();
    });

    it('names the different blocking cause the diagnosis finds', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'STORAGE_LIMIT_EXCEEDED' }));
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis: diagnosisOf('missing-object-edit') });
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('other-cause');
        const causes = byId(element, 'suspension-other-causes').textContent;
        expect(causes).toContain(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en);
        expect(causes).toContain('Contact:');
    });

    it("links a step's findings to the Findings card only when the page has one, asking for the finding by reason, subject and message", async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const diagnosis = diagnosisOf('missing-object-edit');
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis });
        // The panel alone: the findings are text, as there is nothing to link to.
        expect(element.shadowRoot.querySelectorAll('[data-id="suspension-finding-link"]')).toHaveLength(0);
        expect(stepsOf(element)[1].findings[0]).toMatch(/^Contact: /);

        element.findingLinks = true;
        await flush();
        const links = element.shadowRoot.querySelectorAll('[data-id="suspension-step-findings"] [data-id="suspension-finding-link"]');
        expect(links).toHaveLength(1);
        const link = links[0];
        expect(link.tagName).toBe('BUTTON');
        expect(link.type).toBe('button');
        expect(link.textContent).toBe('Contact (show this finding in the Findings card)');
        expect(link.closest('li').textContent).toMatch(/: 'hubspot@acme.com' cannot Edit Contact records/);
        const finding = diagnosis.findings.find(
            (candidate) => candidate.reason === 'OBJECT_PERMISSIONS_MISSING' && candidate.subject === 'Contact'
        );
        const heard = jest.fn();
        element.addEventListener('showfinding', heard);
        link.click();
        expect(heard).toHaveBeenCalledTimes(1);
        expect(heard.mock.calls[0][0].detail).toEqual({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            subject: 'Contact',
            message: finding.message
        });
        // A parent listens on the panel itself: the event neither bubbles nor leaves its shadow tree.
        expect(heard.mock.calls[0][0].bubbles).toBe(false);
        expect(heard.mock.calls[0][0].composed).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('links the findings of another blocking cause', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'STORAGE_LIMIT_EXCEEDED' }));
        const element = await mount({
            portalId: '12345678',
            checksRan: true,
            findingLinks: true,
            diagnosis: diagnosisOf('missing-object-edit')
        });
        const link = byId(element, 'suspension-other-causes').querySelector('[data-id="suspension-finding-link"]');
        const heard = jest.fn();
        element.addEventListener('showfinding', heard);
        link.click();
        expect(heard.mock.calls[0][0].detail).toMatchObject({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Contact' });
        await expect(element).toBeAccessible();
    });

    it('never marks a field step done while fields are blocked by their object: says why, and links the object finding', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'FIELD_PERMISSIONS_MISSING' }));
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis: diagnosisOf('missing-object-edit') });
        const steps = stepsOf(element);
        expect(steps.map((step) => step.badge)).toEqual(['Done', 'To do', 'To do', 'Not checked']);
        expect(steps[1].evidence).toContain(
            'Field-level security is right on all 61 mapped fields, but 17 of them cannot be synced: Contact lacks Edit'
        );
        expect(steps[1].findings[0]).toMatch(/^Contact: /);
        expect(element.shadowRoot.textContent).not.toContain('Every mapped field passes');
    });

    it('shows a step whose cause Sync Doctor reads as absent now as "Not the cause now", never "Done"', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'API_LIMIT_EXCEEDED' }));
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis: diagnosisOf('healthy') });
        const [confirm] = stepsOf(element);
        expect(confirm.badge).toBe('Not the cause now');
        expect(confirm.icon).toBe('utility:info');
        expect(confirm.evidence).toMatch(/^Not the cause now: \d+(\.\d)?% of the org's daily API requests are used/);
        // The fixture's frozen state, Login History and connected app were not read: not "fixed".
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('partly-checked');
    });

    it('lists what the diagnosis finds for the reason beyond the steps (an inactive user)', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'API_ACCESS_DISABLED' }));
        const element = await mount({ portalId: '12345678', checksRan: true, diagnosis: diagnosisOf('inactive-user') });
        expect(stepsOf(element)[0].status).toBe('done');
        expect(byId(element, 'suspension-also-found').textContent).toContain('is inactive');
        // The summary names the finding and where the box lists it, not its message a second time.
        const summary = byId(element, 'suspension-agreement-summary').textContent;
        expect(summary).toMatch(/, listed (below|under step \d)\.$/);
        expect(summary).not.toContain('is inactive');
    });

    it('marks nothing while there is no diagnosis: the catalog steps alone', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksRan: false, diagnosis: null });
        expect(element.shadowRoot.querySelectorAll('[data-id="suspension-step"]')).toHaveLength(0);
        expect(byId(element, 'suspension-agreement')).toBeNull();
        element.diagnosis = diagnosisOf('read-only-mapped-field');
        await flush();
        expect(stepsOf(element).map((step) => step.status)).toEqual(['done', 'done', 'done', 'unknown']);
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('other-cause');
    });

    it.each([
        ['no reason', null],
        ['a reason code the catalog lacks', 'SOMETHING_NEW']
    ])("gives general next steps and HubSpot's suspension article for a suspension with %s", async (_label, reason) => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason, title: 'Salesforce integration suspended' }));
        const element = await mount({ portalId: '12345678', checksPass: false, checksRan: true });
        expect(byId(element, 'suspension-title').textContent).toBe('Salesforce integration suspended');
        expect(byId(element, 'suspension-unrecognised').textContent).toContain('did not name a reason Sync Doctor recognises');
        const steps = [...byId(element, 'suspension-remedy').querySelectorAll('li')].map((li) => li.textContent);
        expect(steps).toHaveLength(4);
        expect(steps[0]).toContain('Settings > Integrations > Connected Apps > Salesforce');
        expect(steps[0]).toContain('Sync Health');
        // The relayed notice is quoted in the panel: point at it.
        expect(steps[1]).toContain('notification text quoted above');
        expect(steps[2]).toContain('"Check again"');
        const links = [...byId(element, 'suspension-where').querySelectorAll('a')];
        expect(links.map((link) => link.getAttribute('href'))).toEqual([
            'https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-suspension-errors'
        ]);
        expect(links[0].textContent).toContain('Resolve Salesforce integration suspension errors');
        await expect(element).toBeAccessible();
    });

    it.each([
        ["a known reason with HubSpot's Danish title", 'UNKNOWN_ERROR', 'Ukendt fejl'],
        ['an unknown reason with a padded title', null, '  Salesforce integration suspended  '],
        ['an unknown reason without a title', 'SOMETHING_NEW', null]
    ])("titles %s by the core's rule, which the CLI and the copied report use too", async (_label, reason, title) => {
        const status = { ...suspended, reason, title };
        getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-title').textContent).toBe(relayedReasonTitle(status).title);
    });

    it.each(['constructor', '__proto__', 'toString'])(
        "reads a forged record's reason, state and source '%s' as unknown ones, never Object's own properties",
        async (code) => {
            const status = {
                ...suspended,
                reason: code,
                title: null,
                source: code,
                history: [{ at: '2026-11-28T10:00:00.000Z', state: code, reason: code, title: null, source: code }]
            };
            getSuspensionStatus.mockResolvedValue(JSON.stringify(status));
            const element = await mount({ portalId: '12345678', checksPass: true, checksRan: true, diagnosis: evaluateAccess(allRead()) });
            expect(byId(element, 'suspension-title').textContent).toBe('Unrecognised suspension reason');
            expect(byId(element, 'suspension-unrecognised').textContent).toContain('did not name a reason Sync Doctor recognises');
            expect(element.shadowRoot.querySelectorAll('[data-id="suspension-step"]')).toHaveLength(0);
            expect(byId(element, 'suspension-remedy').querySelectorAll('li')).toHaveLength(4);
            const text = element.shadowRoot.textContent;
            expect(text).not.toMatch(/undefined|\[native code\]|\[object Object\]/);
            expect(text).toContain(code);
        }
    );

    it("without a quoted notice, points to HubSpot's e-mail or in-app notification instead", async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: null, excerpt: null }));
        const element = await mount({ portalId: '12345678' });
        const steps = [...byId(element, 'suspension-remedy').querySelectorAll('li')].map((li) => li.textContent);
        expect(steps[1]).toContain('suspension e-mail or in-app notification');
        expect(byId(element, 'suspension-title').textContent).toBe('Object permissions missing');
    });

    it('says "Not yet" once, in the core\'s words on its "Clear Suspension" step, while findings still block', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({
            portalId: '12345678',
            checksRan: true,
            checksPass: false,
            diagnosis: diagnosisOf('missing-object-edit')
        });
        const panel = byId(element, 'suspension-panel').textContent;
        expect(panel.match(/Not yet/g)).toHaveLength(1);
        const clear = stepsOf(element)[3];
        expect(clear.status).toBe('unknown');
        expect(clear.text).toContain('Clear Suspension');
        expect(clear.evidence).toBe(
            "This step is in HubSpot, which Sync Doctor cannot see. Not yet: 1 blocking finding remains in Sync Doctor's findings."
        );
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        expect(panel).not.toMatch(/fix .*findings.* first/i);
    });

    it('says "Clear Suspension" is not safe yet while the checks fail, and safe once they pass', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksPass: false, checksRan: true });
        expect(byId(element, 'suspension-clear-advice').dataset.advice).toBe('not-yet');
        // Without the steps checked, what blocks is the findings: on a wide page they are beside the panel, not above it.
        expect(byId(element, 'suspension-clear-advice').textContent).toContain(
            "Sync Doctor's findings still block the sync (see the Findings card)"
        );
        element.checksPass = true;
        await flush();
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('safe');
        expect(advice.textContent).toContain('Safe to click "Clear Suspension"');
    });

    it.each(Object.keys(SUSPENSION_REASONS))('gives the clear advice the catalog implies for %s', async (code) => {
        const reason = SUSPENSION_REASONS[code];
        let expected = 'safe';
        if (reason.liftsByItself) expected = 'wait';
        else if (!reason.clearSuspensionNext) expected = 'not-applicable';
        else if (!reason.checkedBySyncDoctor) expected = 'unchecked';
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: code }));
        const element = await mount({ portalId: '12345678', checksPass: true, checksRan: true });
        expect(byId(element, 'suspension-clear-advice').dataset.advice).toBe(expected);
        expect(byId(element, 'suspension-title').textContent).toBe(reason.titles.en);
    });

    it('does not call a clear safe or unsafe when the org could not be checked', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksPass: false, checksRan: false });
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('unknown');
        expect(advice.textContent).toContain('could not check the org');
    });

    it('says the org is being checked, not that it could not be, while the page reads it', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678', checksPass: false, checksRan: false, checksLoading: true });
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('checking');
        expect(advice.textContent).not.toContain('could not check the org');
        // The read failed: now it could not check.
        element.checksLoading = false;
        await flush();
        expect(byId(element, 'suspension-clear-advice').dataset.advice).toBe('unknown');
    });

    it('does not call clearing safe while checks could not be made: it names them, to check by hand first', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        // The healthy fixture without the frozen state, Login History and connected app (not read).
        const diagnosis = diagnosisOf('healthy');
        expect(diagnosis.verdict).toBe('healthy');
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis });
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('check-by-hand');
        expect(advice.textContent).not.toContain('Safe to click');
        // The core's box above names them, to check by hand; the advice lists how.
        expect(byId(element, 'suspension-agreement-summary').textContent).toContain(
            "check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app)"
        );
        expect(advice.textContent).toBe('Before you click "Clear Suspension" in HubSpot:');
        const steps = [...element.shadowRoot.querySelectorAll('[data-id="suspension-by-hand-step"]')];
        expect(steps.map((li) => li.dataset.check)).toEqual(['frozen', 'loginHistory', 'connectedApps']);
        await expect(element).toBeAccessible();

        element.diagnosis = evaluateAccess(allRead());
        await flush();
        // Every check made: the box says "Cause fixed now" and to clear the suspension, once.
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('fixed-since');
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        expect(element.shadowRoot.querySelector('[data-id="suspension-by-hand-step"]')).toBeNull();
    });

    it("never calls the cause fixed or the clear safe while the step that decides it is HubSpot's (missing field mappings)", async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'FIELD_MAPPINGS_MISSING' }));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        const panel = byId(element, 'suspension-panel').textContent;
        expect(panel).not.toMatch(/Safe to click|Cause fixed|Fixed since|is gone/);
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.dataset.agreement).toBe('check-in-hubspot');
        // The heading says "Salesforce's side looks right: check HubSpot"; the summary, once, the fact
        // it rests on and what to check there.
        expect(agreement.querySelector('strong').textContent).toBe("Salesforce's side looks right: check HubSpot");
        expect(byId(element, 'suspension-agreement-summary').textContent).toMatch(
            /^Every mapped field exists in Salesforce now\. But what decides this cause is in HubSpot/
        );
        expect(agreement.textContent.split("Salesforce's side looks right")).toHaveLength(2);
        const steps = stepsOf(element);
        expect(steps[0].badge).toBe('Not checked');
        expect(steps[0].evidence).toContain("Check them in HubSpot's Salesforce integration settings");
        expect(steps[2].evidence).toContain('Not yet: do step 1 first');
        // "Where to look" names HubSpot's field mappings.
        expect(panel).toContain('the Contacts, Companies or Deals tab > its property mappings');
    });

    it('does not call clearing safe with the org near its API limit and "Allocated to HubSpot" unseen', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'API_LIMIT_EXCEEDED' }));
        const snapshot = allRead();
        snapshot.limits.DailyApiRequests = { Max: 100000, Remaining: 3500 };
        const diagnosis = evaluateAccess(snapshot);
        expect(diagnosis.verdict).toBe('at-risk');
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis });
        expect(byId(element, 'suspension-panel').textContent).not.toMatch(/Safe to click|Cause fixed/);
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        const steps = stepsOf(element);
        expect(steps[2].evidence).toContain('lower it in HubSpot');
        expect(steps[4].evidence).toContain('Not yet: do step 3 first');
        // The diagnosis warns of this very cause: the box says the risk, not "looks right".
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.textContent).toContain('At risk of this cause: check HubSpot');
        expect(agreement.textContent).not.toContain("Salesforce's side looks right");
        // The box points to the step that says the risk: its message was shown three times (step 1's
        // evidence, its finding, the box). The heading says "At risk of this cause": the summary
        // does not say it again, only where the risk is listed.
        expect(agreement.querySelector('strong').textContent).toBe('At risk of this cause: check HubSpot');
        expect(byId(element, 'suspension-agreement-summary').textContent).toMatch(
            /^Step 1 lists the risk\. What decides this cause is in HubSpot/
        );
        expect(agreement.textContent.split(/at risk of this cause/i)).toHaveLength(2);
        expect(byId(element, 'suspension-panel').textContent.split('at 100% Salesforce refuses every call')).toHaveLength(2);
        expect(steps[0].badge).toBe('At risk');
        expect(steps[0].evidence).toContain('At risk: 96.5%');
    });

    it('says "below the limit now, but at risk" once: in the heading, the summary saying where the risk is listed', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'STORAGE_LIMIT_EXCEEDED' }));
        // Every check made, data storage at 95%: the cause gone now, but near.
        const snapshot = allRead();
        snapshot.limits.DataStorageMB = { Max: 10000, Remaining: 500 };
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(snapshot) });
        const agreement = byId(element, 'suspension-agreement');
        expect(agreement.dataset.agreement).toBe('fixed-since');
        expect(agreement.querySelector('strong').textContent).toBe('Below the limit now, but at risk');
        // Not "The org has storage left now, but at risk of this cause (step 2)." under it.
        expect(byId(element, 'suspension-agreement-summary').textContent).toBe('Step 2 lists the risk.');

        // Checks not made: "Partly checked" heads the same risk; the summary adds what to check by hand.
        const partly = JSON.parse(JSON.stringify(SNAPSHOTS.healthy));
        partly.limits.DataStorageMB = { Max: 10000, Remaining: 500 };
        element.diagnosis = evaluateAccess(partly);
        await flush();
        expect(agreement.dataset.agreement).toBe('partly-checked');
        expect(agreement.querySelector('strong').textContent).toBe('Partly checked: below the limit now, but at risk');
        expect(byId(element, 'suspension-agreement-summary').textContent).toBe(
            "Step 2 lists the risk. Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again."
        );
        expect(agreement.textContent).not.toMatch(/at risk of this cause/i);
        await expect(element).toBeAccessible();
    });

    it('agrees with the steps for an unknown error: click "Clear Suspension", it is no suspension that lifts by itself', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'UNKNOWN_ERROR' }));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        const panel = byId(element, 'suspension-panel').textContent;
        expect(panel).not.toContain('lifts by itself');
        expect(panel).not.toContain('nothing to clear');
        // The box's heading says once that Sync Doctor cannot see this cause; its summary, in the
        // badges' word, which steps are the admin's (not "Sync Doctor cannot see this cause" again).
        expect(byId(element, 'suspension-clear-advice')).toBeNull();
        expect(byId(element, 'suspension-agreement').querySelector('strong').textContent).toBe('Outside what Salesforce shows');
        expect(panel).not.toContain('cannot see this cause');
        const summary = byId(element, 'suspension-agreement-summary').textContent;
        expect(summary).toBe('The steps marked "Not checked" are yours to check. Sync Doctor\'s own checks find nothing blocking.');
        expect(stepsOf(element)[1].badge).toBe('Not checked');
        expect(stepsOf(element)[0].text).toContain('click "Clear Suspension"');
    });

    it('does not call clearing safe when the core could not judge the cause from what it read (storage limits not read)', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'STORAGE_LIMIT_EXCEEDED' }));
        const snapshot = allRead();
        delete snapshot.limits.FileStorageMB;
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(snapshot) });
        expect(byId(element, 'suspension-agreement').dataset.agreement).toBe('not-judged');
        // Under the heading "Not checked": what was not read, not "could not check this cause" again
        // (the advice below says it, once).
        expect(byId(element, 'suspension-agreement').querySelector('strong').textContent).toBe('Not checked');
        expect(byId(element, 'suspension-agreement-summary').textContent).toMatch(/^The file storage limit was not read/);
        expect(byId(element, 'suspension-panel').textContent.match(/could not check this cause/g)).toHaveLength(1);
        const advice = byId(element, 'suspension-clear-advice');
        expect(advice.dataset.advice).toBe('unchecked');
        expect(advice.textContent).not.toContain('Safe to click');
    });

    it('badges "Nothing is required" as information, not as a check Sync Doctor could not make', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'HUBSPOT_API_LIMIT_EXCEEDED' }));
        const element = await mount({ portalId: '12345678', checksRan: true, checksPass: true, diagnosis: evaluateAccess(allRead()) });
        const [first] = stepsOf(element);
        expect(first.text).toMatch(/^Nothing is required/);
        expect(first.badge).toBe('Nothing to do');
    });

    it('lists the findings of field permissions once: the repeat step points at the step that lists them', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify({ ...suspended, reason: 'FIELD_PERMISSIONS_MISSING' }));
        const element = await mount({
            portalId: '12345678',
            checksRan: true,
            checksPass: false,
            diagnosis: diagnosisOf('read-only-mapped-field')
        });
        const steps = stepsOf(element);
        expect(steps[1].status).toBe('todo');
        expect(steps[1].findings.length).toBeGreaterThan(0);
        expect(steps[2].findings).toEqual([]);
        const items = element.shadowRoot.querySelectorAll('[data-id="suspension-step"]');
        expect(items[2].querySelector('[data-id="suspension-step-same-findings"]').textContent.trim()).toMatch(
            /^The same findings? as step 2\.$/
        );
    });

    it('lists the history, newest first', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const element = await mount({ portalId: '12345678' });
        const rows = [...element.shadowRoot.querySelectorAll('[data-id="suspension-history-row"]')].map((row) => row.textContent);
        expect(rows).toHaveLength(2);
        expect(rows[0]).toContain('Suspended');
        expect(rows[0]).toContain('HubSpot e-mail');
        expect(rows[1]).toContain('Cleared');
        // In the side column a nowrap row pushed "Reported by" out of sight: every cell wraps.
        const cells = [...element.shadowRoot.querySelectorAll('[data-id="suspension-history-row"] td')];
        expect(cells).toHaveLength(8);
        expect(cells.every((cell) => cell.classList.contains('slds-cell-wrap'))).toBe(true);
    });

    it('shows a cleared suspension and its history', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(cleared));
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-cleared')).not.toBeNull();
        expect(byId(element, 'suspension-current')).toBeNull();
        const rows = element.shadowRoot.querySelectorAll('[data-id="suspension-history-row"]');
        expect(rows).toHaveLength(2);
        // The clearing has no reason: its cell says so with a dash rather than staying blank.
        expect([...rows[0].querySelectorAll('td')].map((cell) => cell.textContent.trim()).slice(1)).toEqual([
            'Cleared',
            '—',
            'Entered by hand'
        ]);
        await expect(element).toBeAccessible();
    });

    it('says when nothing was relayed for the portal, without claiming HubSpot reported nothing', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        const handler = jest.fn();
        const element = createElement('c-suspension-panel', { is: SuspensionPanel });
        element.portalId = '12345678';
        element.addEventListener('statuschange', handler);
        document.body.appendChild(element);
        await flush();
        const none = byId(element, 'suspension-none').textContent;
        expect(none).toContain('12345678');
        // No record may mean no relay: the panel cannot know that HubSpot reported nothing.
        expect(none).not.toMatch(/HubSpot has reported no suspension/);
        expect(none).toMatch(/only through its relay/);
        expect(none).toMatch(/HubSpot's Salesforce integration settings show whether the sync is suspended/);
        // The core's sentence, word for word, which the CLI says too.
        expect(none.trim()).toBe(nothingRelayedText('12345678'));
        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toEqual({ status: null });
    });

    it('says the relay may not have written a suspension into an org whose data storage is full', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        const diagnosis = diagnosisOf('storage-full');
        const element = await mount({ portalId: '12345678', diagnosis });
        const none = byId(element, 'suspension-none').textContent.trim();
        // Salesforce refuses new records in a full org, the relay's status record too.
        expect(none).toBe(nothingRelayedText('12345678', diagnosis));
        expect(none).toMatch(/or the relay could not write it: the org's data storage is full/);
    });

    it('asks for the portal id and reads nothing without one', async () => {
        const element = await mount({ portalId: null });
        expect(byId(element, 'suspension-no-portal')).not.toBeNull();
        expect(getSuspensionStatus).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('shows an Apex error', async () => {
        getSuspensionStatus.mockRejectedValue({ body: { message: 'Insufficient access to HubSpot_Sync_Status__c' } });
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-error').textContent).toContain('Insufficient access to HubSpot_Sync_Status__c');
        // And what that means and what to do, not the error alone.
        expect(byId(element, 'suspension-error-next').textContent.replace(/\s+/g, ' ').trim()).toBe(
            "Whether HubSpot suspended the sync is unknown here: HubSpot's Salesforce integration settings show it. Refresh to try again."
        );
        await expect(element).toBeAccessible();
    });

    it('updates live when a Sync_Doctor_Event__e arrives for its portal, and ignores other portals', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        const handler = jest.fn();
        const element = createElement('c-suspension-panel', { is: SuspensionPanel });
        element.portalId = '12345678';
        element.addEventListener('statuschange', handler);
        document.body.appendChild(element);
        await flush();
        expect(subscribe).toHaveBeenCalledWith(CHANNEL, -1, expect.any(Function));
        expect(jestMockErrorListeners()).toBeGreaterThan(0);
        expect(byId(element, 'suspension-none')).not.toBeNull();

        await jestMockPublish(CHANNEL, event({ Portal_Id__c: '99999999', State__c: 'suspended' }));
        await flush();
        expect(getSuspensionStatus).toHaveBeenCalledTimes(1);

        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const delivered = await jestMockPublish(
            CHANNEL,
            event({
                Portal_Id__c: '12345678',
                State__c: 'suspended',
                Reason_Code__c: 'OBJECT_PERMISSIONS_MISSING',
                Occurred_At__c: '2026-11-28T10:00:00.000Z',
                Source__c: 'email'
            })
        );
        expect(delivered).toBe(1);
        await flush();
        expect(getSuspensionStatus).toHaveBeenCalledTimes(2);
        expect(byId(element, 'suspension-current').dataset.state).toBe('suspended');
        // The live region says what changed, once it is loaded; the next change says so again.
        expect(byId(element, 'suspension-live').textContent).toMatch(
            new RegExp(`^Suspension status updated at .+: Suspended, ${SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en}\\.$`)
        );
        // In the core's words, as every other time of the page and the findings (not the
        // admin's locale and zone: sfdx-lwc-jest's America/Los_Angeles said "02:00:00 AM PST").
        expect(byId(element, 'suspension-live').textContent).toContain('at 2026-11-28 10:00 UTC:');
        expect(handler).toHaveBeenLastCalledWith(expect.objectContaining({ detail: { status: suspended } }));
        getSuspensionStatus.mockResolvedValue(JSON.stringify(cleared));
        await jestMockPublish(
            CHANNEL,
            event({ Portal_Id__c: '12345678', State__c: 'cleared', Occurred_At__c: '2026-11-28T11:30:00.000Z' })
        );
        await flush();
        expect(byId(element, 'suspension-live').textContent).toMatch(/^Suspension status updated at .+: the suspension was cleared\.$/);
    });

    it('does not claim "no suspension" when the status could not be read', async () => {
        getSuspensionStatus.mockRejectedValue({ body: { message: 'No access to HubSpot_Sync_Status__c' } });
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-error').textContent).toContain('No access to HubSpot_Sync_Status__c');
        expect(byId(element, 'suspension-none')).toBeNull();
        getSuspensionStatus.mockResolvedValue('null');
        byId(element, 'suspension-refresh').click();
        await flush();
        expect(byId(element, 'suspension-error')).toBeNull();
        expect(byId(element, 'suspension-none')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('unsubscribes when removed from the page', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        const element = await mount({ portalId: '12345678' });
        expect(jestMockSubscriptions()).toHaveLength(1);
        document.body.removeChild(element);
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        expect(jestMockSubscriptions()).toHaveLength(0);
    });

    it('says so when live updates are unavailable', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        subscribe.mockRejectedValueOnce(new Error('Streaming API is not enabled'));
        const element = await mount({ portalId: '12345678' });
        expect(byId(element, 'suspension-live-error').textContent).toContain('Streaming API is not enabled');
    });

    describe('when the streaming connection fails', () => {
        beforeEach(() => {
            jest.useFakeTimers();
        });
        afterEach(() => {
            jest.useRealTimers();
        });

        const liveState = (element) => byId(element, 'suspension-panel').dataset.liveState;

        it('says it is reconnecting, subscribes again, and is live again (message cleared, status re-read) once that works', async () => {
            getSuspensionStatus.mockResolvedValue('null');
            const element = await mount({ portalId: '12345678' });
            expect(liveState(element)).toBe('live');
            const first = jestMockSubscriptions()[0];
            jestMockStreamError({ channel: '/meta/connect', error: '403::Unknown client', advice: { reconnect: 'handshake' } });
            await flush();
            expect(liveState(element)).toBe('reconnecting');
            expect(byId(element, 'suspension-live-error').textContent).toBe(
                'Live updates interrupted (403::Unknown client); reconnecting…'
            );
            expect(byId(element, 'suspension-live-error').textContent).not.toContain('Reload');
            expect(byId(element, 'suspension-live').textContent).toBe('Live updates interrupted; reconnecting.');

            getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
            jest.advanceTimersByTime(1000);
            await flush();
            expect(subscribe).toHaveBeenCalledTimes(2);
            expect(unsubscribe).toHaveBeenCalledWith(first, expect.any(Function));
            expect(jestMockSubscriptions()).toHaveLength(1);
            expect(liveState(element)).toBe('live');
            expect(byId(element, 'suspension-live-error')).toBeNull();
            expect(byId(element, 'suspension-live').textContent).toBe('Live updates resumed.');
            // What changed while the stream was down is read, not lost.
            expect(getSuspensionStatus).toHaveBeenCalledTimes(2);
            expect(byId(element, 'suspension-current').dataset.state).toBe('suspended');
            // And the new subscription delivers.
            const delivered = await jestMockPublish(CHANNEL, event({ Portal_Id__c: '12345678', State__c: 'suspended' }));
            expect(delivered).toBe(1);
        });

        it('tries again, waiting longer each time, and says "stopped, reload" only when every attempt failed', async () => {
            getSuspensionStatus.mockResolvedValue('null');
            const element = await mount({ portalId: '12345678' });
            const working = subscribe.getMockImplementation();
            subscribe.mockRejectedValue(new Error('stream interrupted'));
            jestMockStreamError({ error: 'stream interrupted' });
            await flush();
            for (const delay of [1000, 2000, 4000, 8000, 15000, 30000]) {
                expect(liveState(element)).toBe('reconnecting');
                jest.advanceTimersByTime(delay - 1);
                // eslint-disable-next-line no-await-in-loop -- each retry is scheduled by the one before
                await flush();
                const calls = subscribe.mock.calls.length;
                jest.advanceTimersByTime(1);
                // eslint-disable-next-line no-await-in-loop -- each retry is scheduled by the one before
                await flush();
                expect(subscribe.mock.calls.length).toBe(calls + 1);
            }
            expect(liveState(element)).toBe('stopped');
            expect(byId(element, 'suspension-live-error').textContent).toBe(
                'Live updates stopped (stream interrupted). Reload the page to resume.'
            );
            jest.advanceTimersByTime(120000);
            await flush();
            expect(subscribe).toHaveBeenCalledTimes(7);
            subscribe.mockImplementation(working);
        });

        it('counts a subscribe that never answers as failed', async () => {
            getSuspensionStatus.mockResolvedValue('null');
            subscribe.mockReturnValueOnce(new Promise(() => {}));
            const element = await mount({ portalId: '12345678' });
            expect(liveState(element)).toBe('connecting');
            jest.advanceTimersByTime(10000);
            await flush();
            expect(liveState(element)).toBe('reconnecting');
            expect(byId(element, 'suspension-live-error').textContent).toContain('no answer from the streaming connection');
            jest.advanceTimersByTime(1000);
            await flush();
            expect(liveState(element)).toBe('live');
            expect(jestMockSubscriptions()).toHaveLength(1);
        });

        it('listens to streaming errors once, however often it is connected again, and only while connected', async () => {
            getSuspensionStatus.mockResolvedValue('null');
            const before = jestMockErrorListeners();
            const element = await mount({ portalId: '12345678' });
            // Moved or shown again (a tab switch): connected anew, the same panel.
            for (let i = 0; i < 3; i++) {
                document.body.removeChild(element);
                document.body.appendChild(element);
                // eslint-disable-next-line no-await-in-loop -- each connection settles before the next
                await flush();
            }
            // And a panel made anew after this one is gone.
            document.body.removeChild(element);
            const again = await mount({ portalId: '12345678' });
            // lightning/empApi cannot take a listener back: one for the page, not one per connection.
            expect(jestMockErrorListeners()).toBeLessThanOrEqual(Math.max(before, 1));
            expect(jestMockSubscriptions()).toHaveLength(1);
            expect(liveState(again)).toBe('live');
            // An error still reaches the panel on the page, once: one attempt, one subscribe.
            const subscribed = subscribe.mock.calls.length;
            jestMockStreamError({ error: 'stream interrupted' });
            await flush();
            expect(liveState(again)).toBe('reconnecting');
            jest.advanceTimersByTime(1000);
            await flush();
            expect(subscribe.mock.calls.length).toBe(subscribed + 1);
            expect(liveState(again)).toBe('live');
            expect(jestMockSubscriptions()).toHaveLength(1);
        });

        it('stops trying when removed from the page', async () => {
            getSuspensionStatus.mockResolvedValue('null');
            const element = await mount({ portalId: '12345678' });
            jestMockStreamError({ error: 'stream interrupted' });
            await flush();
            document.body.removeChild(element);
            jest.advanceTimersByTime(60000);
            await flush();
            expect(subscribe).toHaveBeenCalledTimes(1);
        });
    });

    it('tells the page there is no status once the portal id is cleared, so its banner drops the old suspension', async () => {
        getSuspensionStatus.mockResolvedValue(JSON.stringify(suspended));
        const handler = jest.fn();
        const element = createElement('c-suspension-panel', { is: SuspensionPanel });
        element.portalId = '12345678';
        element.addEventListener('statuschange', handler);
        document.body.appendChild(element);
        await flush();
        expect(handler.mock.calls[handler.mock.calls.length - 1][0].detail.status.state).toBe('suspended');
        element.portalId = null;
        await flush();
        expect(byId(element, 'suspension-no-portal')).not.toBeNull();
        expect(handler.mock.calls[handler.mock.calls.length - 1][0].detail).toEqual({ status: null });
        expect(getSuspensionStatus).toHaveBeenCalledTimes(1);
    });

    it("keeps the new portal's status when the old portal's answer comes in last", async () => {
        let answerOld;
        getSuspensionStatus
            .mockReturnValueOnce(
                new Promise((resolve) => {
                    answerOld = resolve;
                })
            )
            .mockResolvedValueOnce(JSON.stringify({ ...cleared, portalId: '87654321' }));
        const handler = jest.fn();
        const element = createElement('c-suspension-panel', { is: SuspensionPanel });
        element.portalId = '12345678';
        element.addEventListener('statuschange', handler);
        document.body.appendChild(element);
        await flush();
        element.portalId = '87654321';
        await flush();
        answerOld(JSON.stringify(suspended));
        await flush();
        expect(byId(element, 'suspension-cleared')).not.toBeNull();
        expect(byId(element, 'suspension-current')).toBeNull();
        expect(handler.mock.calls.map((call) => call[0].detail.status.portalId)).toEqual(['87654321']);
    });

    it('loads the status again when the portal id changes', async () => {
        getSuspensionStatus.mockResolvedValue('null');
        const element = await mount({ portalId: '12345678' });
        element.portalId = '87654321';
        await flush();
        expect(getSuspensionStatus).toHaveBeenLastCalledWith({ portalId: '87654321' });
    });
});
