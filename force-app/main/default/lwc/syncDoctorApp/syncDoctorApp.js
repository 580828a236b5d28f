import { LightningElement } from 'lwc';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import {
    evaluateAccess,
    isEmptyScope,
    isPartlyChecked,
    isSuspendedState,
    mergeRequirements,
    minute,
    planRemediation,
    salesforceTime,
    scopeUnread,
    snapshotScope,
    DEFAULT_REQUIREMENTS,
    SUSPENSION_REASONS,
    validateSnapshot,
    suspensionNextStep,
    suspendedVerdictLabel,
    suspendedVerdictSentence,
    currentSyncErrors,
    syncErrorRequirements,
    partlyCheckedVerdictLabel,
    partlyCheckedVerdictSentence,
    verdictSentence,
    verdictUncheckedSentence
} from 'c/syncDoctorCore';
import { countFindings, errorMessage, extraFieldRequirements, findingCountsText, frozenNotRead, parseApexJson } from 'c/syncDoctorUtils';

const VERDICTS = {
    healthy: {
        label: 'Healthy',
        text: 'The integration user has everything HubSpot needs.',
        className: 'slds-badge slds-theme_success'
    },
    'at-risk': {
        label: 'At risk',
        text: 'HubSpot can sync now, but something below will suspend it soon or breaks part of the sync.',
        className: 'slds-badge slds-theme_warning'
    },
    blocked: {
        label: 'Blocked',
        text: 'HubSpot cannot sync: fix the findings below.',
        className: 'slds-badge slds-theme_error'
    }
};

/** The sets the core's plan assigns first (none when it plans no assignment first). */
function assignFirstSets(diagnosis, status) {
    const plan = planRemediation(diagnosis, { status });
    return plan.assignFirst ? plan.assignPermissionSets : [];
}

/**
 * Sync Doctor's page (hosted by the Lightning App Page as c:syncDoctorApp): loads the settings,
 * reads the integration user's snapshot through Apex, judges it with the shared core in the
 * browser and hands the diagnosis to the cards.
 */
export default class SyncDoctorApp extends LightningElement {
    settings = null;
    snapshot = null;
    diagnosis = null;
    status = null;
    isLoading = true;
    errorText = '';
    _focusAfterLoad = false;
    /** Counts the reads started (startLoad). */
    _loadCount = 0;
    /**
     * What the latest read asked the Apex for (the core's snapshotScope): requirements whose scope
     * it covers (the core's scopeUnread) need no other read, so the same names never read the org
     * twice; more rights on a name it read need only a new judgement of the snapshot.
     */
    _readScope = { objects: [], fields: [] };
    /** The requirements the diagnosis shown was judged against, as JSON: a status asking the same needs no new judgement. */
    _judgedRequirements = '';
    /** The read waiting for the settings (0 for none): it takes the status as it is once they come. */
    _settingsLoad = 0;

    connectedCallback() {
        this.loadAll();
    }

    async loadAll() {
        const load = this.startLoad();
        this._settingsLoad = load;
        try {
            const settings = parseApexJson(await getSettings(), 'getSettings') || { userId: null, portalId: null, extraFields: [] };
            // Settings the picker saved meanwhile are newer than these: that reload is the one that counts.
            if (load !== this._loadCount) return;
            this._settingsLoad = 0;
            const before = this.settings && this.settings.userId;
            this.settings = settings;
            await this.loadDiagnosis(load, Boolean(before) && before === settings.userId);
        } catch (error) {
            if (load === this._loadCount) this.fail(error);
        } finally {
            if (load === this._loadCount) this.isLoading = false;
        }
    }

    /**
     * Starts a read and returns its number. Only the latest read may change the page: a snapshot of
     * the previously chosen user that comes in after the new one's would show (and plan a fix from)
     * the wrong user's diagnosis, while the fix is applied to the user now in the settings.
     */
    startLoad() {
        this._loadCount += 1;
        this.isLoading = true;
        this.errorText = '';
        return this._loadCount;
    }

    /**
     * Reads and judges the settings' user. The last results stay on screen, marked busy, until the
     * new ones come in ("Check again" used to empty the page and lose its scroll); they go at once
     * when the user changed (`keep` false), or there is no user to read.
     */
    async loadDiagnosis(load, keep = true) {
        if (!keep || !this.settings || !this.settings.userId) {
            this.snapshot = null;
            this.diagnosis = null;
        }
        if (!this.settings || !this.settings.userId) return;
        // The Apex reads only what these requirements need (the core's snapshotScope): describing and
        // reading the permissions of every field and object would not fit a large org's governor limits.
        const requirements = this.requirements();
        this._readScope = snapshotScope(requirements);
        const scopeJson = JSON.stringify(this._readScope);
        const snapshot = parseApexJson(await getSnapshot({ userId: this.settings.userId, scopeJson }), 'getSnapshot');
        if (load !== this._loadCount) return;
        const checked = validateSnapshot(snapshot);
        if (!checked.ok) {
            throw new Error(`The org's snapshot is not in Sync Doctor's format (${checked.path}: ${checked.message}).`);
        }
        this.snapshot = checked.snapshot;
        // A status that came meanwhile asking only for names this read covers is judged now; one
        // naming others started a newer read, which supersedes this one.
        const now = this.requirements();
        this.judge(isEmptyScope(scopeUnread(this._readScope, now)) ? now : requirements);
    }

    /** Judges the snapshot shown against `requirements` (the core's evaluateAccess). */
    judge(requirements) {
        this.diagnosis = evaluateAccess(this.snapshot, requirements);
        this._judgedRequirements = JSON.stringify(requirements);
    }

    /**
     * What the page checks: the default mappings, the saved extra fields, and what HubSpot's
     * exported sync errors say it could not write (the relayed status's Sync_Errors__c: the fields
     * of field-permission errors, the objects of object-permission ones), so a field or an object
     * mapped only in HubSpot is checked once HubSpot has failed on it.
     */
    requirements() {
        // Only sync errors that speak for the org now: not an export from before a clearing.
        const named = syncErrorRequirements(currentSyncErrors(this.status));
        return mergeRequirements(DEFAULT_REQUIREMENTS, {
            objects: named.objects,
            fields: [...extraFieldRequirements(this.settings && this.settings.extraFields), ...named.fields]
        });
    }

    /**
     * Whether the page's requirements (with the status's sync errors) name an object or field the
     * latest read did not ask for: the core's scopeUnread, the CLI's rule too. Only once the
     * settings name a user, and no read waits for them: that read takes the status as it is then.
     */
    namesUnread() {
        if (!this.settings || !this.settings.userId) return false;
        // The latest read has not asked for anything yet: it reads what this status names then.
        if (this._settingsLoad === this._loadCount) return false;
        return !isEmptyScope(scopeUnread(this._readScope, this.requirements()));
    }

    fail(error) {
        this.snapshot = null;
        this.diagnosis = null;
        this.errorText = errorMessage(error);
    }

    async reloadDiagnosis(keep = true) {
        const load = this.startLoad();
        try {
            await this.loadDiagnosis(load, keep);
        } catch (error) {
            if (load === this._loadCount) this.fail(error);
        } finally {
            if (load === this._loadCount) this.isLoading = false;
        }
    }

    handleRefresh() {
        // The button stays enabled while loading (a disabled button drops the keyboard focus to the
        // page): a second press during a check is ignored instead.
        if (this.isLoading) return;
        this.loadAll();
        const panel = this.template.querySelector('c-suspension-panel');
        if (panel) panel.refresh();
        // The picker's candidates too: its own look-up error must not outlive a check that works.
        const picker = this.template.querySelector('c-integration-user-picker');
        if (picker) picker.refresh();
    }

    handleSettingsChange(event) {
        const before = this.settings && this.settings.userId;
        this.settings = event.detail.settings;
        // Another user's results must not stand for the new one's, even marked busy.
        this.reloadDiagnosis(Boolean(before) && before === (this.settings && this.settings.userId));
    }

    handleRemediated() {
        // The fix's button and dialog are gone with the old diagnosis: move the focus to the new
        // verdict (or the error), not to the top of the page, once it is read.
        this._focusAfterLoad = true;
        this.reloadDiagnosis();
    }

    renderedCallback() {
        if (!this._focusAfterLoad || this.isLoading) return;
        this._focusAfterLoad = false;
        const target = this.template.querySelector('[data-id="verdict"]') || this.template.querySelector('[data-id="error"]');
        if (target) target.focus();
    }

    handleStatusChange(event) {
        this.status = event.detail.status;
        // The status may come before or after the snapshot: an object or field its sync errors name
        // that the latest read left out is read now, once (that read asks for it, so the same names
        // stop here). A read still under way without it is superseded: the latest read wins.
        if (this.namesUnread()) {
            this.reloadDiagnosis();
            return;
        }
        // Names the snapshot shown has read, asking other rights of them (edit on a field the
        // settings check for read only), or fewer names once the errors no longer speak for the org:
        // judged again, not read again. A read under way judges the status it finds when it ends.
        if (!this.snapshot || this.isLoading) return;
        const requirements = this.requirements();
        if (JSON.stringify(requirements) !== this._judgedRequirements) this.judge(requirements);
    }

    /**
     * A finding asked for (a suspension step's, or one under an object's row): the Findings card
     * opens its group and focuses it.
     */
    handleShowFinding(event) {
        const list = this.template.querySelector('c-finding-list');
        if (list) list.revealFinding(event.detail);
    }

    /** A finding's object or field, asked for: its card scrolls to the row, highlights and focuses it. */
    handleShowRow(event) {
        const { kind, name } = event.detail || {};
        if (kind === 'object') {
            const matrix = this.template.querySelector('c-object-matrix');
            if (matrix) matrix.revealObject(name);
        } else if (kind === 'field') {
            const table = this.template.querySelector('c-field-table');
            if (table) table.revealField(name);
        }
    }

    /**
     * The banner at the top of the page while HubSpot reports the sync suspended (or the relay
     * suspects it): what HubSpot said and the next step, the details staying in the suspension panel.
     */
    get suspensionAlert() {
        const status = this.status;
        if (!isSuspendedState(status)) return null;
        const reason = status.reason ? SUSPENSION_REASONS[status.reason] : null;
        const title = reason ? reason.titles.en : status.title || 'a reason Sync Doctor does not recognise';
        const suspended = status.state === 'suspended';
        const blocked = Boolean(this.diagnosis && this.diagnosis.verdict === 'blocked');
        return {
            state: status.state,
            className: `slds-notify slds-notify_alert slds-m-bottom_small ${suspended ? 'slds-alert_error' : 'slds-alert_warning'}`,
            assistiveLabel: suspended ? 'Error' : 'Warning',
            iconName: suspended ? 'utility:error' : 'utility:warning',
            // White on the red alert; the yellow one keeps dark text and icon, as SLDS draws it.
            iconVariant: suspended ? 'inverse' : null,
            heading: suspended
                ? `HubSpot suspended the Salesforce sync: ${title}`
                : `HubSpot may have suspended the Salesforce sync: ${title}`,
            sinceText: timeText(status.since),
            // Clearing the suspension before the cause is fixed only gets the sync suspended again;
            // and not every suspension is lifted by "Clear Suspension": the core says the reason's way out.
            next: suspensionNextStep(status.reason, { blocked })
        };
    }

    get hasSettings() {
        return Boolean(this.settings);
    }

    get needsUser() {
        return !this.isLoading && !this.errorText && this.hasSettings && !this.settings.userId;
    }

    get hasDiagnosis() {
        return Boolean(this.diagnosis);
    }

    /** The spinner on its own, where the results will be: the first read (or another user's). */
    get showLoadingBlock() {
        return this.isLoading && !this.diagnosis;
    }

    /** Checking again with the last results still shown: they are marked busy, a spinner over them. */
    get isRefreshing() {
        return this.isLoading && Boolean(this.diagnosis);
    }

    /** aria-busy on the results while a new check runs ('true'/'false', as ARIA wants a string). */
    get resultsBusy() {
        return this.isLoading ? 'true' : 'false';
    }

    /**
     * The verdict on the integration user's access. "Healthy" in green under a red "HubSpot suspended
     * the sync" read as a contradiction: while HubSpot reports (or the relay suspects) a suspension and
     * nothing Sync Doctor checks blocks, the headline says the access is right and the sync is not,
     * and why Sync Doctor does not see the cause (outside its checks, or gone since).
     */
    get verdict() {
        if (!this.diagnosis) return null;
        const verdict = VERDICTS[this.diagnosis.verdict] || VERDICTS.blocked;
        const status = this.status;
        const suspended = isSuspendedState(status);
        if (partlyCheckedVerdictLabel(this.diagnosis, status)) return this.partlyChecked();
        if (!suspended || this.diagnosis.verdict !== 'healthy') {
            // At risk under HubSpot's suspension: the core's 'At risk, sync suspended', as the CLI
            // and the report say it ("At risk" alone under the red banner read as "it syncs").
            const label = suspended ? suspendedVerdictLabel(this.diagnosis, status) : null;
            return this.withUnchecked(this.namingCauses(label ? { ...verdict, label } : verdict, suspended));
        }
        return {
            // The core's label, as the CLI's verdict says it.
            label: suspendedVerdictLabel(this.diagnosis, status),
            // The core's words, as the CLI's verdict and the copied report say them: "gone now"
            // only when the reason's steps find it fixed since, never for a cause not judged.
            text: suspendedVerdictSentence(this.diagnosis, status),
            className: 'slds-badge slds-theme_warning'
        };
    }

    /**
     * Nothing found, but some checks could not be made (the core's `unchecked`: the admin lacks
     * Manage Users, Monitor Login History or Customize Application): never "Healthy" or "Access
     * OK", for a frozen or IP-blocked user would pass unseen and HubSpot suspend the sync again.
     * The core's label and sentence, as the CLI's verdict and the copied report say them, then what
     * to check by hand.
     */
    partlyChecked() {
        const status = this.status;
        // Under a suspension the core's sentence already names each check not made ("could not
        // check the frozen state, where ..."): what to do by hand follows without naming them again.
        const suspended = isSuspendedState(status);
        return {
            label: partlyCheckedVerdictLabel(this.diagnosis, status),
            text: `${partlyCheckedVerdictSentence(this.diagnosis, status)} ${verdictUncheckedSentence(this.diagnosis, { named: !suspended })}`,
            className: 'slds-badge slds-theme_warning'
        };
    }

    /**
     * An at-risk verdict also says what could not be checked (the core's verdictUncheckedSentence,
     * under the CLI's "AT RISK (partly checked: ...)" too): a frozen or IP-blocked user would not
     * show among the risks. A blocked verdict needs fixing first whatever was not read, so the core
     * leaves it as it is.
     */
    withUnchecked(verdict) {
        const unchecked = verdictUncheckedSentence(this.diagnosis);
        return unchecked ? { ...verdict, text: `${verdict.text} ${unchecked}` } : verdict;
    }

    /**
     * The blocked or at-risk verdict naming what blocks (or risks) the sync, in the core's words
     * (verdictSentence, the report's verdict too): "fix the findings below" alone left the first
     * screen without the answer on a narrow page. The rules (causes of one HubSpot reason named
     * together, a refusal still to come, a stopped sync, a set to assign first) live in the core
     * only. While HubSpot reports (or the relay suspects) a suspension, the banner above already
     * says to fix the findings first: the sentence then only names the causes.
     */
    namingCauses(verdict, suspended = false) {
        if (this.diagnosis.verdict !== 'blocked' && this.diagnosis.verdict !== 'at-risk') return verdict;
        // The plan's set to assign first, as the report says it: most findings may come from it.
        const assignFirst = this.diagnosis.verdict === 'blocked' ? assignFirstSets(this.diagnosis, this.status) : [];
        // With HubSpot's relayed status: a stopped sync's reason is then HubSpot's, shown in the panel
        // below, not something to go and look up in HubSpot.
        const sentence = verdictSentence(this.diagnosis, { suspended, assignFirst, status: this.status });
        return sentence ? { ...verdict, text: sentence } : verdict;
    }

    /** '55 block the sync, 0 risks, 1 note', in the findings' badge words. */
    get findingCounts() {
        return this.diagnosis ? findingCountsText(countFindings(this.diagnosis.findings)) : '';
    }

    /** 'true' when the diagnosis could not make every check (the core's unchecked), for the page's tests and styles. */
    get partlyCheckedKey() {
        return isPartlyChecked(this.diagnosis) ? 'true' : 'false';
    }

    get verdictKey() {
        return this.diagnosis ? this.diagnosis.verdict : '';
    }

    get userLabel() {
        const user = this.snapshot && this.snapshot.user;
        if (!user) return 'the integration user';
        return user.Name ? `${user.Name} (${user.Username})` : user.Username;
    }

    /** The user of the last snapshot, for the picker to name when its own look-up failed. */
    get checkedUser() {
        return (this.snapshot && this.snapshot.user) || null;
    }

    /**
     * The package's reader leaves HubSpot's connected app out when the admin lacks Customize
     * Application plus Modify All Data or Manage Connected Apps (or Salesforce refused a query): its
     * policies then went unjudged, which no finding would say.
     */
    get connectedAppsNotRead() {
        return Boolean(this.diagnosis && this.snapshot && !this.snapshot.connectedApps);
    }

    /**
     * Why the integration user's frozen state was not read (the snapshot's frozenRead), or null:
     * no frozen-user finding then means "not checked", not "not frozen" (a frozen user cannot log
     * in, so HubSpot's sync stops). Only an admin without Manage Users is told to get it.
     */
    get frozenNotRead() {
        if (!this.diagnosis) return null;
        const user = this.snapshot && this.snapshot.user;
        return frozenNotRead(this.snapshot, (user && (user.Name || user.Username)) || 'the integration user');
    }

    get capturedAt() {
        return this.snapshot ? this.snapshot.capturedAt : null;
    }

    /**
     * When the snapshot was read, in the core's words ('2026-11-28 12:00 UTC'), as the findings and
     * the Logins card say their times: the locale's "Nov 28, 2026, 04:00 AM PST" read as another moment.
     */
    get capturedAtText() {
        return timeText(this.capturedAt);
    }

    /** The suspension panel takes the whole width when there are no findings beside it. */
    get sideColumnClass() {
        return this.hasDiagnosis ? 'slds-col slds-size_1-of-1 slds-large-size_5-of-12' : 'slds-col slds-size_1-of-1';
    }

    /** Nothing blocks the sync now (risks may remain): what "Clear Suspension" waits for. */
    get checksPass() {
        return Boolean(this.diagnosis && this.diagnosis.verdict !== 'blocked');
    }

    get portalId() {
        return this.settings ? this.settings.portalId : null;
    }

    get userId() {
        return this.settings ? this.settings.userId : null;
    }

    get hubspotAllocation() {
        return this.settings ? this.settings.hubspotAllocation : undefined;
    }
}

/** A time in the core's words ('2026-11-28 10:00 UTC'); '' when it is no time. */
function timeText(value) {
    return typeof value === 'string' && !Number.isNaN(salesforceTime(value)) ? minute(value) : '';
}
