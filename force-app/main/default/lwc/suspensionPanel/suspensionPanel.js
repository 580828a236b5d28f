import { LightningElement, api } from 'lwc';
import { StatusStream } from 'c/statusStream';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import { checkSuspensionSteps, minute, nothingRelayedText, relayedReasonTitle, salesforceTime, suspensionReason } from 'c/syncDoctorCore';
import { errorMessage, parseApexJson } from 'c/syncDoctorUtils';
import { adviceOnClearing } from './clearAdvice';
import {
    AGREEMENT_LOOK,
    OUTCOME_LOOK,
    RISK_LOOK,
    SOURCE_LABELS,
    STATE_LABELS,
    STEP_LOOK,
    SUSPENSION_ARTICLE,
    findingItems,
    labelOf
} from './panelLooks';

/**
 * The suspension HubSpot reported for the portal, as the relay stored it in Salesforce: the
 * current reason and since when, the remedy steps from the core's catalog, whether clicking
 * "Clear Suspension" in HubSpot is safe now, and the recent history. Refreshes live when a
 * Sync_Doctor_Event__e arrives for the portal.
 *
 * @fires statuschange detail: { status } whenever a status (or null) was loaded.
 * @fires showfinding detail: { reason, subject, message } when the admin asks to see a finding a
 *   step lists in the Findings card (only with finding-links on).
 * @fires showrow detail: { kind: 'field' | 'object', name } when the admin asks to see the row of a
 *   field (field table) or object (object matrix) HubSpot's exported sync errors name (only with
 *   finding-links on, and one the diagnosis checked).
 */
export default class SuspensionPanel extends LightningElement {
    /** HubSpot portal (Hub) id from the settings; without it there is nothing to look up. */
    @api
    get portalId() {
        return this._portalId;
    }
    set portalId(value) {
        const changed = value !== this._portalId;
        this._portalId = value;
        if (changed && this._connected) this.loadStatus();
    }
    /** True when the core's diagnosis found nothing blocking (verdict healthy). */
    @api checksPass = false;
    /** False while there is no diagnosis (not loaded, or the org could not be read). */
    @api checksRan = false;
    /**
     * True while the page reads the org: without a diagnosis yet, the panel says it is checking,
     * not that the org could not be checked (which is only so once the read failed).
     */
    @api checksLoading = false;
    /**
     * The core's diagnosis (evaluateAccess), or null: with it, each "What to do" step is marked done,
     * to do or unknown by the core's checkSuspensionSteps; the sync errors box (c/syncErrorsBox)
     * says with it what Sync Doctor finds now of each group HubSpot exported.
     */
    @api
    get diagnosis() {
        return this._diagnosis;
    }
    set diagnosis(value) {
        this._diagnosis = value || null;
    }
    /**
     * True when the page shows the Findings card beside the panel: each finding a step or a cause
     * lists is then a link to its entry there (the showfinding event); alone, the panel lists them as text.
     */
    @api findingLinks = false;

    /** Reads the status again (the page's "Check again"). */
    @api
    refresh() {
        return this.loadStatus();
    }

    status = null;
    isLoading = false;
    errorText = '';
    /** The stream's state (c/statusStream): 'connecting', 'live', 'reconnecting' or 'stopped'. */
    liveState = 'connecting';
    _streamError = '';
    _stream = null;
    liveUpdatedAt = null;
    liveMessage = '';
    _announce = false;
    _portalId;
    _connected = false;
    _stepCheck = null;
    _stepCheckFor = null;
    _stepCheckKey = '';
    /** Counts the status reads: an answer is used only when no later read was started. */
    _loadCount = 0;
    _diagnosis = null;

    connectedCallback() {
        this._connected = true;
        this.loadStatus();
        // A panel connected again (moved, its tab shown again) starts a stream anew.
        this.liveState = 'connecting';
        this._streamError = '';
        this._stream = new StatusStream({
            onMessage: (message) => this.handleEvent(message),
            onChange: (change) => this.handleStreamChange(change)
        });
        this._stream.open();
    }

    disconnectedCallback() {
        this._connected = false;
        if (this._stream) {
            this._stream.close();
            this._stream = null;
        }
    }

    async loadStatus() {
        // Only the latest read counts: an answer for a portal the settings no longer name (or an
        // older answer that comes in last) must not replace the current one.
        const load = ++this._loadCount;
        const portalId = this._portalId;
        if (!portalId) {
            const had = this.status !== null;
            this.status = null;
            this.errorText = '';
            this.isLoading = false;
            this._announce = false;
            // The page's banner and report hold the last status it was told of: without a portal
            // there is none, so it is told so, or it would keep the old portal's suspension.
            if (had) this.dispatchEvent(new CustomEvent('statuschange', { detail: { status: null } }));
            return;
        }
        this.isLoading = true;
        this.errorText = '';
        try {
            const status = parseApexJson(await getSuspensionStatus({ portalId }), 'getSuspensionStatus');
            if (load !== this._loadCount) return;
            this.status = status;
            this.dispatchEvent(new CustomEvent('statuschange', { detail: { status: this.status } }));
            if (this._announce) this.liveMessage = this.announcement();
        } catch (error) {
            if (load === this._loadCount) this.errorText = errorMessage(error);
        } finally {
            if (load === this._loadCount) {
                this._announce = false;
                this.isLoading = false;
            }
        }
    }

    /** The stream's state, its error and what the live region says of it (c/statusStream). */
    handleStreamChange({ state, error, said, resumed }) {
        this.liveState = state;
        this._streamError = error;
        if (said) this.liveMessage = said;
        // Events published while the stream was down are not replayed: read the status.
        if (resumed) this.loadStatus();
    }

    /** What the panel says about live updates; nothing while they work. */
    get liveError() {
        if (this.liveState === 'reconnecting') return `Live updates interrupted (${this._streamError}); reconnecting…`;
        if (this.liveState === 'stopped') return `Live updates stopped (${this._streamError}). Reload the page to resume.`;
        return '';
    }

    handleEvent(message) {
        const payload = (message && message.data && message.data.payload) || {};
        if (this._portalId && payload.Portal_Id__c && payload.Portal_Id__c !== this._portalId) return;
        this.liveUpdatedAt = payload.Occurred_At__c || new Date().toISOString();
        this._announce = true;
        this.loadStatus();
    }

    /**
     * What the live region says once a relayed change is loaded: the new state itself (a fixed
     * "updated" said nothing, and was not repeated for the next change), with the time it was seen.
     */
    announcement() {
        // In the core's words, as every other time of the page ('2026-11-28 10:00 UTC').
        const time = timeText(this.liveUpdatedAt);
        const at = time ? ` at ${time}` : '';
        if (this.isActive) return `Suspension status updated${at}: ${this.stateLabel}, ${this.title}.`;
        if (this.isCleared) return `Suspension status updated${at}: the suspension was cleared.`;
        return `Suspension status updated${at}: no suspension reported.`;
    }

    handleRefresh() {
        this.loadStatus();
    }

    /** "No suspension" only when the status was read: a failed read says nothing about HubSpot. */
    get showNone() {
        return !this.errorText && !this.isLoading;
    }

    get hasPortal() {
        return Boolean(this._portalId);
    }

    get hasStatus() {
        return Boolean(this.status);
    }

    get isActive() {
        return this.hasStatus && this.status.state !== 'cleared';
    }

    get isCleared() {
        return this.hasStatus && this.status.state === 'cleared';
    }

    get reason() {
        return (this.status && suspensionReason(this.status.reason)) || null;
    }

    /** The core's title (the catalog's English one, else HubSpot's), as the CLI and the copied report name it. */
    get title() {
        return this.status ? relayedReasonTitle(this.status).title : '';
    }

    /** The core's sentence for no record: no relay may be why, so it is no "HubSpot reported nothing". */
    get noneText() {
        // With the diagnosis: a full data storage is why a relay could not write the record.
        return nothingRelayedText(this._portalId, this.diagnosis);
    }

    get stateLabel() {
        return this.status ? labelOf(STATE_LABELS, this.status.state) || this.status.state : '';
    }

    get stateBadgeClass() {
        if (!this.status) return 'slds-badge';
        if (this.status.state === 'suspended') return 'slds-badge slds-theme_error';
        if (this.status.state === 'suspected') return 'slds-badge slds-theme_warning';
        return 'slds-badge slds-theme_success';
    }

    get sourceLabel() {
        return this.status && this.status.source ? labelOf(SOURCE_LABELS, this.status.source) || this.status.source : 'unknown';
    }

    /** A suspension whose reason the relay could not recognise (none, or a code the catalog lacks). */
    get isUnrecognised() {
        return this.isActive && !this.reason;
    }

    /** The core's reading of HubSpot's reason against the diagnosis; null without either. */
    get stepCheck() {
        if (!this.isActive || !this.reason || !this.diagnosis || !Array.isArray(this.diagnosis.findings)) return null;
        const key = `${this.reason.code}`;
        if (
            this._stepCheck &&
            this._stepCheckFor === this.diagnosis &&
            this._stepCheckStatus === this.status &&
            this._stepCheckKey === key
        ) {
            return this._stepCheck;
        }
        this._stepCheckFor = this.diagnosis;
        this._stepCheckStatus = this.status;
        this._stepCheckKey = key;
        // The summary goes under the box's heading (AGREEMENT_LOOK, RISK_LOOK), which already says
        // the agreement and the risk: the core's `headed` summary starts with what the heading lacks.
        // HubSpot's own words (title, excerpt) may name the field it refused: then that step is judged.
        this._stepCheck = checkSuspensionSteps(this.reason.code, this.diagnosis, { headed: true, status: this.status });
        return this._stepCheck;
    }

    get hasStepCheck() {
        return Boolean(this.stepCheck);
    }

    get remedySteps() {
        const check = this.stepCheck;
        if (check) {
            // The step that first listed a finding: a later step listing the same ones (field
            // permissions' "give access" and "repeat for every field") points there, not again.
            const listedAt = new Map();
            return check.steps.map((step, index) => {
                const look = (step.outcome && OUTCOME_LOOK[step.outcome]) || STEP_LOOK[step.status] || STEP_LOOK.unknown;
                // The findings say what is missing; on a done step they would only repeat the evidence.
                const own = step.status === 'done' ? [] : step.findings;
                const sameAs = own.length > 0 && own.every((finding) => listedAt.has(finding)) ? listedAt.get(own[0]) : 0;
                for (const finding of own) if (!listedAt.has(finding)) listedAt.set(finding, index + 1);
                const findings = sameAs ? [] : findingItems(own, `step-${index}`);
                const more = sameAs ? 0 : own.length - findings.length;
                return {
                    key: String(index),
                    step: step.text,
                    status: step.status,
                    statusLabel: look.label,
                    iconName: look.iconName,
                    iconVariant: look.iconVariant,
                    badgeClass: look.badgeClass,
                    evidence: step.evidence,
                    findings,
                    hasFindings: findings.length > 0,
                    moreFindings: more > 0 ? `and ${more} more in the Findings card` : '',
                    sameFindings: sameAs ? `The same ${own.length === 1 ? 'finding' : 'findings'} as step ${sameAs}.` : ''
                };
            });
        }
        const steps = this.reason ? this.reason.remedy : this.isUnrecognised ? this.genericSteps() : [];
        return steps.map((step, index) => ({ key: String(index), step }));
    }

    /** Whether the live diagnosis agrees with HubSpot's reason, with the other causes it finds. */
    get agreement() {
        const check = this.stepCheck;
        if (!check) return null;
        const look = (check.risk && RISK_LOOK[check.agreement]) || AGREEMENT_LOOK[check.agreement] || AGREEMENT_LOOK['not-visible'];
        const causes = check.otherCauses.map((cause) => ({
            key: cause.reason,
            title: cause.title,
            findings: findingItems(cause.findings, cause.reason)
        }));
        return {
            state: check.agreement,
            heading: look.heading,
            iconName: look.iconName,
            iconVariant: look.iconVariant,
            summary: check.summary,
            causes,
            hasCauses: causes.length > 0,
            alsoFound: findingItems(check.alsoFound, 'also'),
            hasAlsoFound: check.alsoFound.length > 0
        };
    }

    /** A sync errors box's link to a row (c/syncErrorsBox), passed on to the page. */
    handleShowRow(event) {
        const { kind, name } = event.detail;
        this.dispatchEvent(new CustomEvent('showrow', { detail: { kind, name } }));
    }

    handleShowFinding(event) {
        const { reason, subject, message } = event.currentTarget.dataset;
        this.dispatchEvent(new CustomEvent('showfinding', { detail: { reason, subject, message } }));
    }

    /** What to do when HubSpot's notice named no reason Sync Doctor knows. */
    genericSteps() {
        return [
            'In HubSpot, open Settings > Integrations > Connected Apps > Salesforce and its Sync Health tab: the suspension notice there names the reason.',
            this.status.excerpt
                ? "Read HubSpot's notification text quoted above: it usually names the cause, and HubSpot's help article below explains each reason."
                : "Read HubSpot's suspension e-mail or in-app notification: it usually names the cause, and HubSpot's help article below explains each reason.",
            'Click "Check again" at the top of this page and fix what Sync Doctor finds: most suspensions come from what the integration user may do in Salesforce.',
            'Once the cause is fixed, click "Clear Suspension" in HubSpot\'s Salesforce integration settings.'
        ];
    }

    get hasRemedy() {
        return this.remedySteps.length > 0;
    }

    get whereToLook() {
        const places = this.reason ? this.reason.whereToLook : this.isUnrecognised ? [SUSPENSION_ARTICLE] : [];
        return places.map((place, index) => ({ key: String(index), label: place.label, url: place.url || null }));
    }

    /** Whether to click "Clear Suspension" in HubSpot now, from the catalog and the live checks. */
    get clearAdvice() {
        if (!this.isActive) return null;
        return adviceOnClearing({
            reason: this.reason,
            diagnosis: this.diagnosis,
            stepCheck: this.stepCheck,
            checksRan: this.checksRan,
            checksLoading: this.checksLoading,
            checksPass: this.checksPass
        });
    }

    get history() {
        const history = (this.status && this.status.history) || [];
        return history.map((change, index) => ({
            key: `${change.at}-${index}`,
            at: change.at,
            atText: timeText(change.at),
            state: labelOf(STATE_LABELS, change.state) || change.state,
            title:
                // A clearing names no reason: a dash, as the field table's empty cells, not a blank that looks unloaded.
                (suspensionReason(change.reason) && suspensionReason(change.reason).titles.en) || change.title || '—',
            source: labelOf(SOURCE_LABELS, change.source) || change.source
        }));
    }

    /**
     * The times of the status in the core's words ('2026-11-28 10:00 UTC'), as the findings, the
     * Logins card, the CLI and the report say them: the locale's "Nov 28, 2026, 02:00 AM PST" here
     * beside the findings' UTC read as two different moments.
     */
    get sinceText() {
        return timeText(this.status && this.status.since);
    }

    get lastSeenText() {
        return timeText(this.status && this.status.lastSeenAt);
    }

    get clearedAtText() {
        return timeText(this.status && this.status.clearedAt);
    }

    get hasWhereToLook() {
        return this.whereToLook.length > 0;
    }

    get hasHistory() {
        return this.history.length > 0;
    }
}

/** A time in the core's words ('2026-11-28 10:00 UTC'); '' when it is no time. */
function timeText(value) {
    return typeof value === 'string' && !Number.isNaN(salesforceTime(value)) ? minute(value) : '';
}
