import { LightningElement, api } from 'lwc';
import { StatusStream } from 'c/statusStream';
import getSuspensionStatus from '@salesforce/apex/SyncDoctorController.getSuspensionStatus';
import {
    checkSuspensionSteps,
    isPartlyChecked,
    minute,
    nothingRelayedText,
    relayedReasonTitle,
    salesforceTime,
    uncheckedList,
    suspensionReason,
    SUSPENSION_REASONS,
    TITLE_SOURCES
} from 'c/syncDoctorCore';
import { errorMessage, parseApexJson, subjectLabel } from 'c/syncDoctorUtils';

const STATE_LABELS = { suspended: 'Suspended', suspected: 'Suspected', cleared: 'Cleared' };
const SOURCE_LABELS = {
    webhook: 'HubSpot webhook',
    email: 'HubSpot e-mail',
    'sync-errors': 'HubSpot sync errors',
    manual: 'Entered by hand',
    detector: 'Sync Doctor detector'
};

/** How a step the core checked against the diagnosis looks: an icon and a badge, never colour alone. */
const STEP_LOOK = {
    done: { label: 'Done', iconName: 'utility:success', iconVariant: 'success', badgeClass: 'slds-badge slds-theme_success' },
    todo: { label: 'To do', iconName: 'utility:warning', iconVariant: 'warning', badgeClass: 'slds-badge slds-theme_warning' },
    // "Unknown" read as if Sync Doctor had failed; the step is one it cannot see (done in HubSpot,
    // or outside what Salesforce shows), as the agreement box's "Not checked" says.
    unknown: { label: 'Not checked', iconName: 'utility:help', iconVariant: null, badgeClass: 'slds-badge slds-badge_lightest' }
};
/** A step the core checked and whose cause it does not find now (the org below its API limit): not "Done". */
const OUTCOME_LOOK = {
    'not-the-cause': {
        label: 'Not the cause now',
        iconName: 'utility:info',
        iconVariant: null,
        badgeClass: 'slds-badge slds-badge_lightest'
    },
    // Absent now but near (the diagnosis warns of this cause): the risk, not "Not the cause now".
    'at-risk': {
        label: 'At risk',
        iconName: 'utility:warning',
        iconVariant: 'warning',
        badgeClass: 'slds-badge slds-theme_warning'
    },
    // "Nothing is required": information, not a check Sync Doctor could not make ("Not checked").
    'nothing-to-do': {
        label: 'Nothing to do',
        iconName: 'utility:info',
        iconVariant: null,
        badgeClass: 'slds-badge slds-badge_lightest'
    }
};
/** What the live diagnosis says about HubSpot's reason (the core's agreement). */
const AGREEMENT_LOOK = {
    confirmed: { iconName: 'utility:warning', iconVariant: 'warning', heading: "HubSpot's reason confirmed" },
    'fixed-since': { iconName: 'utility:success', iconVariant: 'success', heading: 'Cause fixed now' },
    // Gone in what Sync Doctor read, but checks were not made (a frozen user would not show): never "fixed".
    'partly-checked': { iconName: 'utility:info', iconVariant: null, heading: 'Partly checked: no sign of this cause now' },
    'other-cause': { iconName: 'utility:warning', iconVariant: 'warning', heading: 'A different cause blocks' },
    'not-visible': { iconName: 'utility:info', iconVariant: null, heading: 'Outside what Salesforce shows' },
    'not-judged': { iconName: 'utility:info', iconVariant: null, heading: 'Not checked' },
    // Salesforce's side is right; the step that decides the reason is HubSpot's (never "fixed").
    'check-in-hubspot': { iconName: 'utility:info', iconVariant: null, heading: "Salesforce's side looks right: check HubSpot" }
};
/** The box when the diagnosis warns of HubSpot's reason itself (the core's `risk`): not "looks right". */
const RISK_LOOK = {
    'check-in-hubspot': { iconName: 'utility:warning', iconVariant: 'warning', heading: 'At risk of this cause: check HubSpot' },
    'fixed-since': { iconName: 'utility:warning', iconVariant: 'warning', heading: 'Below the limit now, but at risk' },
    'partly-checked': { iconName: 'utility:warning', iconVariant: 'warning', heading: 'Partly checked: below the limit now, but at risk' }
};
/** A step lists this many of its findings; the Findings card has them all. */
const STEP_FINDINGS_SHOWN = 3;

/**
 * A label looked up by a code from the status record, which a forged record can set to any string:
 * 'constructor' or '__proto__' is no key of the table, never Object's own property.
 */
function labelOf(table, code) {
    return typeof code === 'string' && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

function findingItems(findings, keyPrefix) {
    return findings.slice(0, STEP_FINDINGS_SHOWN).map((finding, index) => ({
        key: `${keyPrefix}-${index}`,
        // What the Findings card finds it by (revealFinding): the reason, the API name and the message.
        reason: finding.reason,
        apiSubject: finding.subject,
        subject: subjectLabel(finding.subject),
        message: finding.message
    }));
}

/**
 * HubSpot's help article "Resolve Salesforce integration suspension errors", as the core's catalog
 * lists it under every reason (the English page its titles were read from).
 */
const SUSPENSION_ARTICLE = (() => {
    const url = TITLE_SOURCES.en.url;
    for (const reason of Object.values(SUSPENSION_REASONS)) {
        const place = reason.whereToLook.find((candidate) => candidate.url === url);
        if (place) return place;
    }
    return { label: "HubSpot's help article on Salesforce integration suspensions", url };
})();

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
        const reason = this.reason;
        if (!this.isActive || !reason) return null;
        if (reason.liftsByItself) {
            return {
                state: 'wait',
                className: 'slds-text-color_weak',
                text: 'This suspension usually lifts by itself; there is nothing to clear.'
            };
        }
        if (!reason.clearSuspensionNext) {
            return {
                state: 'not-applicable',
                className: 'slds-text-color_weak',
                text: 'Follow the steps above; "Clear Suspension" is not the way out of this one.'
            };
        }
        if (!reason.checkedBySyncDoctor) {
            // The core's box says it, headed "Outside what Salesforce shows": say it once, there;
            // without the box (no diagnosis) it is said here.
            if (this.stepCheck) return null;
            return {
                state: 'unchecked',
                className: 'slds-text-color_default',
                // The steps say when (at once for an unknown error, after the outage for an unavailable org).
                text: 'Sync Doctor cannot see this cause from Salesforce: the steps above say when to click "Clear Suspension" in HubSpot.'
            };
        }
        if (!this.checksRan && this.checksLoading) {
            return {
                state: 'checking',
                className: 'slds-text-color_weak',
                text: 'Sync Doctor is checking the org: whether it is time to click "Clear Suspension" in HubSpot follows.'
            };
        }
        if (!this.checksRan) {
            return {
                state: 'unknown',
                className: 'slds-text-color_default',
                text: 'Sync Doctor could not check the org: make sure the cause is fixed before you click "Clear Suspension" in HubSpot.'
            };
        }
        // Warnings are risks, not blockers: HubSpot can sync, so clearing is safe, as the core's
        // agreement box says too; the risks are named so they are not forgotten.
        const atRisk = Boolean(this.diagnosis && this.diagnosis.verdict === 'at-risk');
        // Nothing blocks in what was read, but what was not read (a frozen user, logins refused by
        // IP ranges) suspends the sync again just the same: those checks come first, by hand.
        if (this.checksPass && isPartlyChecked(this.diagnosis)) {
            const unchecked = this.diagnosis.unchecked;
            return {
                state: 'check-by-hand',
                className: 'slds-text-color_default',
                // The core's box above already says to check by hand what Sync Doctor could not read
                // (naming it): here only how, each check, so the panel says it once.
                text: this.stepCheck
                    ? 'Before you click "Clear Suspension" in HubSpot:'
                    : `Not yet: Sync Doctor could not check the ${uncheckedList(unchecked)}. Check ${unchecked.length === 1 ? 'it' : 'them'} by hand first, then click "Clear Suspension" in HubSpot:`,
                steps: unchecked.map((item) => ({ key: item.check, check: item.check, text: item.byHand }))
            };
        }
        // The core's "Clear Suspension" step already says "Not yet" and why (blocking findings, or a
        // step that decides the reason in HubSpot, which Sync Doctor cannot see): say it once, there.
        if (this.stepCheck && this.stepCheck.steps.some((step) => step.notYet)) return null;
        // Nothing blocks, but the core could not judge this reason from what it read: not "safe".
        if (this.checksPass && this.stepCheck && this.stepCheck.agreement === 'not-judged') {
            return {
                state: 'unchecked',
                className: 'slds-text-color_default',
                text: 'Sync Doctor could not check this cause from what it read (see above): make sure it is fixed before you click "Clear Suspension" in HubSpot.'
            };
        }
        // The core's box ("Cause fixed now") already ends "Clear the suspension in HubSpot" and names
        // the risks to review: "Safe to click" right under it said it a second time.
        if (this.checksPass && this.stepCheck && this.stepCheck.agreement === 'fixed-since') return null;
        return this.checksPass
            ? {
                  state: 'safe',
                  className: 'slds-text-color_success',
                  text: atRisk
                      ? 'Safe to click "Clear Suspension" in HubSpot: nothing blocks the sync now. Review the risks in the Findings card, or HubSpot may suspend it again later.'
                      : 'Safe to click "Clear Suspension" in HubSpot: the checks now pass.'
              }
            : {
                  state: 'not-yet',
                  className: 'slds-text-color_error',
                  text: this.notYetText()
              };
    }

    /**
     * Why not to clear yet, in the panel's own terms, when no step of the core's says it (notYet):
     * the steps above still "to do" (the banner at the top of the page already says to fix the
     * findings first; the panel said it a third time). Without such a step (the cause blocking is
     * another reason's, or no step check), what still blocks is Sync Doctor's findings.
     */
    notYetText() {
        const check = this.stepCheck;
        const todo = check ? check.steps.filter((step) => step.status === 'todo').length : 0;
        const again = 'or HubSpot suspends the sync again right after you clear it.';
        if (todo > 0)
            return todo === 1
                ? `Not yet: 1 step above is still to do; do it first, ${again}`
                : `Not yet: ${todo} steps above are still to do; do them first, ${again}`;
        return `Not yet: Sync Doctor's findings still block the sync (see the Findings card), ${again}`;
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
