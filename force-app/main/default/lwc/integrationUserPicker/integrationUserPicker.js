import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import findIntegrationUserCandidates from '@salesforce/apex/SyncDoctorController.findIntegrationUserCandidates';
import searchUsers from '@salesforce/apex/SyncDoctorController.searchUsers';
import saveSettings from '@salesforce/apex/SyncDoctorController.saveSettings';
import { rankIntegrationUserCandidates, splitFieldName } from 'c/syncDoctorCore';
import { errorMessage, extraFieldRequirements, parseApexJson } from 'c/syncDoctorUtils';

const SOURCE_LABELS = { oauth: "HubSpot's OAuth token", permissionSet: 'HubSpot permission set', saved: 'Saved choice' };
const PORTAL_ID = /^[0-9]{1,20}$/;
/** The evidence Apex reports unread, in an admin's words (SyncDoctorIntegrationUserFinder's sources). */
const UNREAD_LABELS = { oauth: "HubSpot's OAuth tokens", permissionSet: 'The HubSpot permission set holders', saved: 'The saved choice' };
/** SyncDoctorIntegrationUserFinder.TOKENS_NEED_CUSTOMIZE_APPLICATION: the tokens are left out, not refused. */
const TOKENS_NEED_CUSTOMIZE_APPLICATION = 'CUSTOMIZE_APPLICATION_REQUIRED';

/**
 * What the admin should know about evidence Apex could not read: the candidates were ranked
 * without it, so the user HubSpot connects as may be missing or ranked too low.
 */
function unreadNotice(entry) {
    if (entry.source === 'oauth' && entry.errorCode === TOKENS_NEED_CUSTOMIZE_APPLICATION) {
        return {
            key: `${entry.source}-${entry.errorCode}`,
            title: "HubSpot's OAuth tokens weren't checked",
            text:
                "You don't have the Customize Application permission, so Salesforce shows you only your own OAuth tokens. " +
                'The users below come from the other evidence only: the user HubSpot connects as may be missing or ranked lower. ' +
                "Choose that user (search below if it isn't listed), or ask an admin who has Customize Application to choose."
        };
    }
    const label = UNREAD_LABELS[entry.source] || entry.source;
    return {
        key: `${entry.source}-${entry.errorCode}`,
        title: `${label} couldn't be read`,
        text:
            `Salesforce answered: ${entry.message || entry.errorCode}. ` +
            'The users below are suggested without this evidence: check that the one HubSpot connects as is chosen, or search for it below.'
    };
}

/**
 * Picks the HubSpot integration user: candidates Apex finds (OAuth tokens of HubSpot's connected
 * app, holders of the HubSpot permission set, the saved choice), or any user by search. Saves the
 * choice with the HubSpot portal id and the org's extra mapped fields.
 *
 * @fires settingschange detail: { settings } after the settings were saved.
 */
export default class IntegrationUserPicker extends LightningElement {
    /** Saved settings from getSettings(): { userId, portalId, extraFields: [{ name, access }] }. */
    @api
    get settings() {
        return this._settings;
    }
    set settings(value) {
        this.applySettings(value);
    }

    applySettings(value) {
        this._settings = value || null;
        this.selectedUserId = (value && value.userId) || null;
        this.portalId = (value && value.portalId) || '';
        this.extraFieldsText = ((value && value.extraFields) || []).map((field) => field.name).join('\n');
        this.isEditing = !this.selectedUserId;
    }

    /**
     * The user the page last checked, from its snapshot ({ Id, Name, Username }): names the saved user
     * when the candidates could not be looked up.
     */
    @api checkedUser = null;

    candidates = [];
    /** Evidence Apex could not read when it looked for the candidates: [{ source, errorCode, message }]. */
    unread = [];
    searchResults = [];
    searchTerm = '';
    selectedUserId = null;
    portalId = '';
    extraFieldsText = '';
    isEditing = true;
    isLoading = false;
    isSaving = false;
    errorText = '';
    validationText = '';
    _settings = null;
    /** Counts the searches started: an answer is used only when no later search was started. */
    _searchCount = 0;
    /**
     * Where the keyboard focus goes once the next render is done: 'choice' (the form just opened on
     * Change) or 'change' (the form just closed on Save or Cancel). Without it the focus fell back
     * to the page's body when the button or form that had it was removed.
     */
    _focusAfterRender = null;

    renderedCallback() {
        const target = this._focusAfterRender;
        if (!target) return;
        this._focusAfterRender = null;
        if (target === 'change') {
            const change = this.template.querySelector('[data-id="user-picker-edit"]');
            if (change) change.focus();
            return;
        }
        // The chosen user's radio (as Tab into a radio group lands on the checked one), else the
        // first; with no choice listed, the search that finds one.
        const radios = [...this.template.querySelectorAll('input[name="integration-user"]')];
        const choice = radios.find((radio) => radio.checked) || radios[0] || this.template.querySelector('[data-id="user-search"]');
        if (choice) choice.focus();
    }

    connectedCallback() {
        this.loadCandidates();
    }

    /** Looks for the candidates again (the page's "Check again" and "Try again"). */
    @api
    refresh() {
        return this.loadCandidates();
    }

    async loadCandidates() {
        this.isLoading = true;
        this.errorText = '';
        try {
            // Apex gathers the evidence, { candidates, unread } (a bare list before it said what it
            // could not read); the order is the core's rule (most evidence, then active, then name).
            const found = parseApexJson(await findIntegrationUserCandidates(), 'findIntegrationUserCandidates');
            const search = Array.isArray(found) ? { candidates: found, unread: [] } : found || {};
            this.candidates = rankIntegrationUserCandidates(search.candidates || []);
            this.unread = search.unread || [];
            if (!this.selectedUserId && this.candidates.length === 1) this.selectedUserId = this.candidates[0].userId;
        } catch (error) {
            this.unread = [];
            this.errorText = `Could not look for the integration user: ${errorMessage(error)}`;
        } finally {
            this.isLoading = false;
        }
    }

    get options() {
        const seen = new Set();
        const options = [];
        for (const user of [...this.candidates, ...this.searchResults]) {
            if (seen.has(user.userId)) continue;
            seen.add(user.userId);
            const sources = (user.sources || []).map((source) => SOURCE_LABELS[source] || source).join(', ');
            options.push({
                userId: user.userId,
                inputId: `user-${user.userId}`,
                name: user.name || user.username,
                username: user.username,
                detail: [user.isActive === false ? 'inactive' : '', sources].filter(Boolean).join(' · '),
                checked: user.userId === this.selectedUserId,
                isInactive: user.isActive === false
            });
        }
        return options;
    }

    /** One warning per piece of evidence left unread, keyed for the template. */
    get unreadNotices() {
        const seen = new Set();
        return this.unread.map(unreadNotice).filter((notice) => !seen.has(notice.key) && seen.add(notice.key));
    }

    get hasUnread() {
        return this.unread.length > 0;
    }

    /** Why no candidate shows: never "no OAuth token" when the tokens were not read. */
    get noCandidatesText() {
        const tokensUnread = this.unread.some((entry) => entry.source === 'oauth');
        return tokensUnread
            ? "No likely integration user found: nobody holds the HubSpot permission set, and HubSpot's OAuth tokens weren't checked (see above). Search for the user below."
            : "No likely integration user found (no OAuth token of HubSpot's app, nobody holds the HubSpot permission set). Search for the user below.";
    }

    get hasOptions() {
        return this.options.length > 0;
    }

    get selectedUser() {
        return this.options.find((option) => option.userId === this.selectedUserId) || null;
    }

    /** Who is checked, by name and username; never a raw user Id, which tells an admin nothing. */
    get currentUserLabel() {
        const user = this.selectedUser;
        if (user) return `${user.name} (${user.username})`;
        const checked = this.checkedUser;
        if (checked && checked.Id === this.selectedUserId && checked.Username) {
            return checked.Name ? `${checked.Name} (${checked.Username})` : checked.Username;
        }
        return this.selectedUserId ? 'the saved integration user' : 'nobody yet';
    }

    get isReadOnly() {
        return !this.isEditing;
    }

    /**
     * Whether this user may change the settings: getSettings' canEdit (the custom permission
     * Sync_Doctor_Manage_Settings). A viewer (Sync_Doctor_Viewer) sees them read only, with no Save
     * that Apex would refuse. An answer without canEdit (a controller older than it) is editable.
     */
    get canEdit() {
        return !(this._settings && this._settings.canEdit === false);
    }

    get cannotEdit() {
        return !this.canEdit;
    }

    /** The Change button: only for who may change the settings. */
    get showChange() {
        return this.isReadOnly && this.canEdit;
    }

    get canCancel() {
        return Boolean(this._settings && this._settings.userId);
    }

    get saveDisabled() {
        return this.isSaving || !this.selectedUserId;
    }

    handleEdit() {
        if (!this.canEdit) return;
        this.isEditing = true;
        this._focusAfterRender = 'choice';
    }

    handleCancelEdit() {
        this.applySettings(this._settings);
        this._focusAfterRender = 'change';
    }

    handleSelect(event) {
        this.selectedUserId = event.target.value;
    }

    handleSearchTerm(event) {
        this.searchTerm = event.target.value || '';
    }

    handleSearchKeyup(event) {
        if (event.key === 'Enter') this.handleSearch();
    }

    async handleSearch() {
        const term = this.searchTerm.trim();
        if (term.length < 2) {
            this.validationText = 'Type at least two letters of a name or username to search.';
            return;
        }
        this.validationText = '';
        this.errorText = '';
        // Only the latest search counts: the answer for an earlier term, coming in last, must not
        // replace the users found for the term the admin typed since.
        const search = ++this._searchCount;
        try {
            const found = rankIntegrationUserCandidates(parseApexJson(await searchUsers({ term }), 'searchUsers') || []);
            if (search !== this._searchCount) return;
            this.searchResults = found;
            if (this.searchResults.length === 0) this.validationText = `No user matches "${term}".`;
        } catch (error) {
            if (search === this._searchCount) this.errorText = `Search failed: ${errorMessage(error)}`;
        }
    }

    handlePortalId(event) {
        this.portalId = (event.target.value || '').trim();
    }

    handleExtraFields(event) {
        this.extraFieldsText = event.target.value || '';
    }

    /**
     * The extra mapped fields, one 'Object.Field' per line. A field already saved keeps the access
     * saved with it (a field HubSpot only reads stays read-only, or the check would require, and the
     * fix grant, Edit on it); a new one is read and written by HubSpot.
     */
    parseExtraFields() {
        const names = this.extraFieldsText
            .split(/[\n,]/)
            .map((line) => line.trim())
            .filter(Boolean);
        // The core's rule for 'Object.Field', the one the requirements and the collector check by.
        const invalid = names.filter((name) => !splitFieldName(name));
        if (invalid.length) throw new Error(`Not a field API name (Object.Field): ${invalid.join(', ')}`);
        const savedAccess = new Map(
            extraFieldRequirements(this._settings && this._settings.extraFields).map((field) => [field.name.toLowerCase(), field.access])
        );
        return [...new Set(names)].map((name) => ({ name, access: savedAccess.get(name.toLowerCase()) || ['read', 'edit'] }));
    }

    async handleSave() {
        if (!this.canEdit) return;
        this.validationText = '';
        this.errorText = '';
        if (!this.selectedUserId) {
            this.validationText = 'Choose the integration user first.';
            return;
        }
        if (this.portalId && !PORTAL_ID.test(this.portalId)) {
            this.validationText = 'The HubSpot portal id (Hub ID) is a number, for example 12345678.';
            return;
        }
        let extraFields;
        try {
            extraFields = this.parseExtraFields();
        } catch (error) {
            this.validationText = error.message;
            return;
        }
        this.isSaving = true;
        try {
            const saved = parseApexJson(
                await saveSettings({
                    userId: this.selectedUserId,
                    portalId: this.portalId || null,
                    extraFieldsJson: JSON.stringify(extraFields)
                }),
                'saveSettings'
            );
            this.applySettings(saved);
            // Folded again: the focus goes back to the Change button that opened the form.
            if (this.isReadOnly) this._focusAfterRender = 'change';
            this.dispatchEvent(
                new ShowToastEvent({
                    variant: 'success',
                    title: 'Settings saved',
                    message: `Sync Doctor now checks ${this.currentUserLabel}.`
                })
            );
            this.dispatchEvent(new CustomEvent('settingschange', { detail: { settings: saved } }));
        } catch (error) {
            this.errorText = `Could not save: ${errorMessage(error)}`;
        } finally {
            this.isSaving = false;
        }
    }
}
