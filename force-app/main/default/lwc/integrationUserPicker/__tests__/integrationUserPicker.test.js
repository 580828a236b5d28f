import { createElement } from 'lwc';
import IntegrationUserPicker from 'c/integrationUserPicker';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import searchUsers from '@salesforce/apex/SyncDoctorController.searchUsers';
import saveSettings from '@salesforce/apex/SyncDoctorController.saveSettings';
import { SHOW_TOAST_EVENT_NAME } from 'lightning/platformShowToastEvent';
import { byId, flush, resetDOM } from 'test-utils';

const candidates = require('./data/candidates.json');
// SyncDoctorController.findIntegrationUserCandidates for an admin without Customize Application.
const withoutTokens = require('./data/candidatesWithoutTokens.json');

const EMPTY = { userId: null, portalId: null, extraFields: [] };

async function mount(settings, listeners = {}) {
    const element = createElement('c-integration-user-picker', { is: IntegrationUserPicker });
    element.settings = settings;
    for (const [name, listener] of Object.entries(listeners)) element.addEventListener(name, listener);
    document.body.appendChild(element);
    await flush();
    return element;
}

const optionIds = (element) => [...element.shadowRoot.querySelectorAll('[data-id="user-option"]')].map((option) => option.dataset.userId);

function choose(element, userId) {
    const radio = element.shadowRoot.querySelector(`[data-user-id="${userId}"] input`);
    radio.checked = true;
    radio.dispatchEvent(new CustomEvent('change'));
}

async function type(element, id, value) {
    const input = byId(element, id);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change'));
    await flush();
}

beforeEach(() => {
    findIntegrationUserCandidates.mockResolvedValue(JSON.stringify({ candidates, unread: [] }));
});

afterEach(() => {
    resetDOM();
    jest.clearAllMocks();
});

describe('c-integration-user-picker', () => {
    it('offers the candidates Apex found, with where each came from, as a labelled radio group', async () => {
        const element = await mount(EMPTY);
        expect(optionIds(element)).toEqual(['0055g00000HubSpUAAS', '0055g00000OldHsUAAS']);
        const first = element.shadowRoot.querySelector('[data-user-id="0055g00000HubSpUAAS"]');
        expect(first.textContent).toContain("HubSpot's OAuth token, HubSpot permission set");
        expect(element.shadowRoot.querySelector('[data-user-id="0055g00000OldHsUAAS"]').textContent).toContain('inactive');
        expect(element.shadowRoot.querySelector('legend').textContent).toContain('Which user does HubSpot connect as?');
        await expect(element).toBeAccessible();
    });

    it('shows no warning when all evidence was read, and still reads a bare list of candidates (the answer before `unread`)', async () => {
        const element = await mount(EMPTY);
        expect(byId(element, 'user-picker-unread')).toBeNull();
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(candidates));
        await element.refresh();
        await flush();
        expect(optionIds(element)).toEqual(['0055g00000HubSpUAAS', '0055g00000OldHsUAAS']);
        expect(byId(element, 'user-picker-unread')).toBeNull();
    });

    it('warns that the tokens were not counted when the admin lacks Customize Application, and says what to do', async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(withoutTokens));
        const element = await mount(EMPTY);
        const warning = byId(element, 'user-picker-unread');
        expect(warning).not.toBeNull();
        expect(warning.getAttribute('role')).toBe('status');
        expect(warning.classList).toContain('slds-theme_warning');
        expect(warning.textContent).toContain("HubSpot's OAuth tokens weren't checked");
        expect(warning.textContent).toContain('Customize Application');
        expect(warning.textContent).toContain('only your own OAuth tokens');
        expect(warning.textContent).toContain('Choose that user');
        // The candidates found from the other evidence are still offered, the warning above them.
        expect(optionIds(element)).toEqual(['0055g00000OldHsUAAS']);
        expect(
            warning.compareDocumentPosition(element.shadowRoot.querySelector('fieldset')) & Node.DOCUMENT_POSITION_FOLLOWING
        ).toBeTruthy();
        await expect(element).toBeAccessible();
    });

    it('does not claim there is no OAuth token when the tokens were not read and nobody else is found', async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify({ ...withoutTokens, candidates: [] }));
        const element = await mount(EMPTY);
        const empty = byId(element, 'user-picker-no-candidates').textContent;
        expect(empty).not.toContain("no OAuth token of HubSpot's app");
        expect(empty).toContain("HubSpot's OAuth tokens weren't checked");
        expect(byId(element, 'user-picker-unread')).not.toBeNull();
    });

    it("names other unread evidence with Salesforce's answer", async () => {
        findIntegrationUserCandidates.mockResolvedValue(
            JSON.stringify({
                candidates,
                unread: [{ source: 'oauth', errorCode: 'System.CalloutException', message: 'You have uncommitted work pending.' }]
            })
        );
        const element = await mount(EMPTY);
        const warning = byId(element, 'user-picker-unread').textContent;
        expect(warning).toContain("HubSpot's OAuth tokens couldn't be read");
        expect(warning).toContain('Salesforce answered: You have uncommitted work pending.');
    });

    it('drops the warning once a new look-up reads every piece of evidence', async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify(withoutTokens));
        const element = await mount(EMPTY);
        expect(byId(element, 'user-picker-unread')).not.toBeNull();
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify({ candidates, unread: [] }));
        await element.refresh();
        await flush();
        expect(byId(element, 'user-picker-unread')).toBeNull();
        expect(optionIds(element)).toEqual(['0055g00000HubSpUAAS', '0055g00000OldHsUAAS']);
    });

    it('ranks what Apex found with the core rule (most evidence, then active, then name), whatever order it came in', async () => {
        const tiedByEvidence = {
            userId: '0055g00000ZedAcUAAS',
            username: 'zed@acme.com',
            name: 'Zed Active',
            isActive: true,
            sources: ['permissionSet']
        };
        findIntegrationUserCandidates.mockResolvedValue(
            JSON.stringify({ candidates: [candidates[1], tiedByEvidence, candidates[0]], unread: [] })
        );
        const element = await mount(EMPTY);
        expect(optionIds(element)).toEqual(['0055g00000HubSpUAAS', '0055g00000ZedAcUAAS', '0055g00000OldHsUAAS']);
    });

    it('saves the chosen user with the portal id and extra fields, then tells the page', async () => {
        const saved = {
            userId: '0055g00000HubSpUAAS',
            portalId: '12345678',
            extraFields: [{ name: 'Contact.Hub_Score__c', access: ['read', 'edit'] }]
        };
        saveSettings.mockResolvedValue(JSON.stringify(saved));
        const settingschange = jest.fn();
        const toast = jest.fn();
        const element = await mount(EMPTY, { settingschange, [SHOW_TOAST_EVENT_NAME]: toast });
        choose(element, '0055g00000HubSpUAAS');
        await type(element, 'portal-id', ' 12345678 ');
        await type(element, 'extra-fields', 'Contact.Hub_Score__c\n\nContact.Hub_Score__c');
        byId(element, 'user-picker-save').click();
        await flush();
        expect(saveSettings).toHaveBeenCalledWith({
            userId: '0055g00000HubSpUAAS',
            portalId: '12345678',
            extraFieldsJson: JSON.stringify([{ name: 'Contact.Hub_Score__c', access: ['read', 'edit'] }])
        });
        expect(settingschange.mock.calls[0][0].detail).toEqual({ settings: saved });
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
        // Saved: the picker folds into one line with a Change button.
        expect(byId(element, 'user-picker-current').textContent).toContain('HubSpot Integration (hubspot@acme.com)');
        expect(byId(element, 'user-picker-current').textContent).toContain('12345678');
    });

    it('keeps the access saved with an extra field when the settings are saved again: a read-only field does not turn editable', async () => {
        const settings = {
            userId: '0055g00000HubSpUAAS',
            portalId: '12345678',
            extraFields: [{ name: 'Contact.Hub_Score__c', access: ['read'] }]
        };
        saveSettings.mockResolvedValue(JSON.stringify(settings));
        const element = await mount(settings);
        byId(element, 'user-picker-edit').click();
        await flush();
        expect(byId(element, 'extra-fields').value).toBe('Contact.Hub_Score__c');
        await type(element, 'extra-fields', 'contact.hub_score__c\nCompany.Hub_Tier__c');
        byId(element, 'user-picker-save').click();
        await flush();
        expect(JSON.parse(saveSettings.mock.calls[0][0].extraFieldsJson)).toEqual([
            { name: 'contact.hub_score__c', access: ['read'] },
            { name: 'Company.Hub_Tier__c', access: ['read', 'edit'] }
        ]);
    });

    it('refuses a portal id that is not a number and a field that is not Object.Field, saving nothing', async () => {
        const element = await mount(EMPTY);
        choose(element, '0055g00000HubSpUAAS');
        await type(element, 'portal-id', 'acme');
        byId(element, 'user-picker-save').click();
        await flush();
        expect(byId(element, 'user-picker-validation').textContent).toContain('is a number');
        await type(element, 'portal-id', '12345678');
        await type(element, 'extra-fields', 'Email');
        byId(element, 'user-picker-save').click();
        await flush();
        expect(byId(element, 'user-picker-validation').textContent).toContain('Not a field API name (Object.Field): Email');
        expect(saveSettings).not.toHaveBeenCalled();
    });

    it("shows the users found for the latest term when an earlier search's answer comes in last", async () => {
        let answerEarlier;
        searchUsers
            .mockReturnValueOnce(
                new Promise((resolve) => {
                    answerEarlier = resolve;
                })
            )
            .mockResolvedValueOnce(
                JSON.stringify([
                    { userId: '0055g00000AnnaUAAS', username: 'anna@acme.com', name: 'Anna Admin', isActive: true, sources: [] }
                ])
            );
        const element = await mount(EMPTY);
        await type(element, 'user-search', 'bo');
        byId(element, 'user-search-button').click();
        await type(element, 'user-search', 'anna');
        byId(element, 'user-search-button').click();
        await flush();
        answerEarlier('[]');
        await flush();
        expect(optionIds(element)).toContain('0055g00000AnnaUAAS');
        expect(byId(element, 'user-picker-validation')).toBeNull();
    });

    it('finds any user by search and adds them to the choices', async () => {
        searchUsers.mockResolvedValue(
            JSON.stringify([{ userId: '0055g00000AnnaUAAS', username: 'anna@acme.com', name: 'Anna Admin', isActive: true, sources: [] }])
        );
        const element = await mount(EMPTY);
        await type(element, 'user-search', 'anna');
        byId(element, 'user-search-button').click();
        await flush();
        expect(searchUsers).toHaveBeenCalledWith({ term: 'anna' });
        expect(optionIds(element)).toContain('0055g00000AnnaUAAS');
    });

    it('searches on Enter and asks for two letters at least', async () => {
        const element = await mount(EMPTY);
        await type(element, 'user-search', 'a');
        byId(element, 'user-search').dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter' }));
        await flush();
        expect(searchUsers).not.toHaveBeenCalled();
        expect(byId(element, 'user-picker-validation').textContent).toContain('at least two letters');
    });

    it('explains what to do when no candidate is found', async () => {
        findIntegrationUserCandidates.mockResolvedValue(JSON.stringify({ candidates: [], unread: [] }));
        const element = await mount(EMPTY);
        expect(byId(element, 'user-picker-no-candidates')).not.toBeNull();
        expect(byId(element, 'user-picker-save').disabled).toBe(true);
        // Nothing saved yet: nothing to go back to.
        expect(byId(element, 'user-picker-cancel')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows Apex errors from the look-up and from saving', async () => {
        findIntegrationUserCandidates.mockRejectedValue({ body: { message: 'OauthToken is not accessible' } });
        const element = await mount(EMPTY);
        expect(byId(element, 'user-picker-error').textContent).toContain('OauthToken is not accessible');
        searchUsers.mockResolvedValue(JSON.stringify(candidates));
        await type(element, 'user-search', 'hubspot');
        byId(element, 'user-search-button').click();
        await flush();
        choose(element, '0055g00000HubSpUAAS');
        saveSettings.mockRejectedValue({ body: [{ message: 'Portal id is too long' }] });
        byId(element, 'user-picker-save').click();
        await flush();
        expect(byId(element, 'user-picker-error').textContent).toContain('Could not save: Portal id is too long');
    });

    it('names the saved user without its Id when the look-up failed: from the checked snapshot, or in words', async () => {
        findIntegrationUserCandidates.mockRejectedValue({ body: { message: 'Salesforce answered SERVER_UNAVAILABLE' } });
        const element = await mount({ userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] });
        const current = () => byId(element, 'user-picker-current').textContent;
        expect(byId(element, 'user-picker-error')).not.toBeNull();
        expect(current()).not.toContain('0055g');
        expect(current()).toContain('Checking the saved integration user for HubSpot portal 12345678.');
        element.checkedUser = { Id: '0055g00000HubSpUAAS', Name: 'HubSpot Integration', Username: 'hubspot@acme.com' };
        await flush();
        expect(current()).toContain('Checking HubSpot Integration (hubspot@acme.com)');
        // A snapshot of someone else (the choice changed since) does not name the saved user.
        element.checkedUser = { Id: '0055g00000OtherUAAS', Name: 'Other', Username: 'other@acme.com' };
        await flush();
        expect(current()).not.toContain('other@acme.com');
        expect(current()).not.toContain('0055g');
    });

    it('starts folded when a user is saved, and unfolds on Change', async () => {
        const element = await mount({
            userId: '0055g00000HubSpUAAS',
            portalId: '12345678',
            extraFields: [{ name: 'Lead.Score__c', access: ['read'] }]
        });
        expect(byId(element, 'user-picker-current').textContent).toContain('HubSpot Integration');
        expect(byId(element, 'user-picker-save')).toBeNull();
        byId(element, 'user-picker-edit').click();
        await flush();
        expect(byId(element, 'extra-fields').value).toBe('Lead.Score__c');
        expect(element.shadowRoot.querySelector('[data-user-id="0055g00000HubSpUAAS"] input').checked).toBe(true);
        byId(element, 'user-picker-cancel').click();
        await flush();
        expect(byId(element, 'user-picker-save')).toBeNull();
        await expect(element).toBeAccessible();
    });

    describe('keyboard focus', () => {
        // The Change button is a lightning-button: its focus() (the real one focuses its inner
        // button) is what the picker must call; jsdom's stub has none of its own.
        let focus;
        beforeEach(() => {
            focus = jest.spyOn(HTMLElement.prototype, 'focus');
        });
        afterEach(() => focus.mockRestore());

        const focusedChange = (element) => focus.mock.contexts.filter((context) => context === byId(element, 'user-picker-edit')).length;
        const saved = { userId: '0055g00000HubSpUAAS', portalId: '12345678', extraFields: [] };

        it('moves the focus to the chosen user on Change, and back to Change on Cancel', async () => {
            const element = await mount(saved);
            byId(element, 'user-picker-edit').click();
            await flush();
            expect(element.shadowRoot.activeElement).toBe(element.shadowRoot.querySelector('[data-user-id="0055g00000HubSpUAAS"] input'));
            byId(element, 'user-picker-cancel').click();
            await flush();
            expect(byId(element, 'user-picker-save')).toBeNull();
            expect(focusedChange(element)).toBe(1);
        });

        it('moves the focus to the first choice on Change when the saved user is not among them', async () => {
            const element = await mount({ ...saved, userId: '0055g00000SomeoneUAAS' });
            byId(element, 'user-picker-edit').click();
            await flush();
            expect(element.shadowRoot.activeElement).toBe(element.shadowRoot.querySelector('[data-user-id="0055g00000HubSpUAAS"] input'));
        });

        it('moves the focus back to Change once Save folded the form', async () => {
            saveSettings.mockResolvedValue(JSON.stringify({ ...saved, userId: '0055g00000OldHsUAAS' }));
            const element = await mount(saved);
            byId(element, 'user-picker-edit').click();
            await flush();
            choose(element, '0055g00000OldHsUAAS');
            byId(element, 'user-picker-save').click();
            await flush();
            expect(byId(element, 'user-picker-save')).toBeNull();
            expect(focusedChange(element)).toBe(1);
        });

        it('leaves the focus where it is when Save failed and the form stays open', async () => {
            saveSettings.mockRejectedValue({ body: { message: 'Insufficient access' } });
            const element = await mount(saved);
            byId(element, 'user-picker-edit').click();
            await flush();
            focus.mockClear();
            byId(element, 'user-picker-save').click();
            await flush();
            expect(byId(element, 'user-picker-error')).not.toBeNull();
            expect(focus).not.toHaveBeenCalled();
        });
    });
});

describe('c-integration-user-picker for a viewer (getSettings canEdit false)', () => {
    const VIEWER =
        'You can use Sync Doctor but not change its settings: ask your Salesforce admin for the Sync_Doctor_Admin permission set.';
    const SAVED = {
        userId: '0055g00000HubSpUAAS',
        portalId: '12345678',
        extraFields: [{ name: 'Contact.Region__c', access: ['read'] }]
    };

    it('shows the saved settings with no Change button, and says who may change them', async () => {
        const element = await mount({ ...SAVED, canEdit: false });
        expect(byId(element, 'user-picker-current').textContent).toContain('12345678');
        expect(byId(element, 'user-picker-edit')).toBeNull();
        expect(byId(element, 'user-picker-viewer').textContent.trim()).toBe(VIEWER);
        await expect(element).toBeAccessible();
    });

    it('shows the form read only, without Save, when no user is saved yet', async () => {
        const element = await mount({ ...EMPTY, canEdit: false });
        expect(byId(element, 'user-picker-viewer').textContent.trim()).toBe(VIEWER);
        expect(byId(element, 'user-picker-save')).toBeNull();
        const radios = [...element.shadowRoot.querySelectorAll('input[name="integration-user"]')];
        expect(radios.length).toBeGreaterThan(0);
        expect(radios.every((radio) => radio.disabled)).toBe(true);
        expect(byId(element, 'user-search').disabled).toBe(true);
        expect(byId(element, 'user-search-button').disabled).toBe(true);
        expect(byId(element, 'portal-id').readOnly).toBe(true);
        expect(byId(element, 'extra-fields').readOnly).toBe(true);
        expect(saveSettings).not.toHaveBeenCalled();
    });

    it('stays editable when getSettings says nothing of canEdit (an older controller), or says true', async () => {
        for (const settings of [SAVED, { ...SAVED, canEdit: true }]) {
            // eslint-disable-next-line no-await-in-loop
            const element = await mount(settings);
            expect(byId(element, 'user-picker-edit')).not.toBeNull();
            expect(byId(element, 'user-picker-viewer')).toBeNull();
            byId(element, 'user-picker-edit').click();
            // eslint-disable-next-line no-await-in-loop
            await flush();
            expect(byId(element, 'user-picker-save')).not.toBeNull();
            expect(byId(element, 'portal-id').readOnly).toBeFalsy();
            resetDOM();
        }
    });
});
