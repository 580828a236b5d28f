import { LightningElement, api } from 'lwc';
import { findingCode, groupFindings, noProblemsLabel, ruleLabel } from 'c/syncDoctorCore';
import { countFindings, findingCountsText, subjectLabel } from 'c/syncDoctorUtils';

const SEVERITY_LOOK = {
    error: { label: 'Blocks the sync', className: 'slds-badge slds-theme_error' },
    warning: { label: 'Risk', className: 'slds-badge slds-theme_warning' },
    info: { label: 'Note', className: 'slds-badge slds-badge_lightest' }
};
/** The link from a finding to the row that proves it, named after the card that holds the row. */
const ROW_LINK_LABELS = { object: 'Show in Object permissions', field: 'Show in Field-level security' };
/** A group lists this many findings until "Show N more"; a group of one more shows them all. */
const PREVIEW_SIZE = 5;

/**
 * The key of a finding's group (the core's groupFindings: one severity of one reason, cause or
 * symptom), for the ids and data attributes of the group.
 */
function groupKey(finding) {
    return `${finding.severity}-${findingCode(finding)}`;
}

/**
 * The core's findings, grouped by severity and HubSpot suspension reason (errors first), each group
 * with its count: which reason it leads to, what each finding is about, and the remedy. A symptom
 * (HubSpot's sync has stopped) leads to no reason Sync Doctor can name and has a group of its own:
 * the core's findingCode and findingTitle decide both, as for the report and the CLI. An org
 * without the permission set has fifty-odd findings, so groups of the worst severity present are
 * open and show the first few; the others open on demand.
 *
 * @fires showrow detail: { kind: 'object' | 'field', name } when the admin asks to see the row of the
 * object matrix or field table that a finding is about.
 */
export default class FindingList extends LightningElement {
    /**
     * The core's `diagnosis.findings`. New findings (a check after a fix) end what the live region
     * said about the old ones: "Contact: ... 1 of 1." stayed beside "No problems found." otherwise.
     */
    @api
    get findings() {
        return this._findings;
    }
    set findings(value) {
        if (value !== this._findings) this.liveMessage = '';
        this._findings = value;
    }
    _findings = [];
    /**
     * The core's `diagnosis.objects` and `diagnosis.fields`, when the page shows them (the object
     * matrix, the field table): a finding whose subject names one of them links to its row there
     * (the showrow event). The core names a finding's subject as it names the result, so an exact
     * match is all it takes; a subject that is neither (a user, a limit) gets no link.
     */
    @api objects = [];
    @api fields = [];
    /**
     * The core's `diagnosis.unchecked`: the checks Sync Doctor could not make (frozen state, Login
     * History, HubSpot's connected app). With any, no finding is no all-clear: the card says "No
     * problems found in what Sync Doctor could read." (the core's noProblemsLabel), not in green.
     */
    @api unchecked = [];

    /**
     * Shows one finding (another card's link to it, e.g. a suspension step's): opens its group, shows
     * all of the group if the finding is past the first few, scrolls to it and moves the focus there.
     * A finding has no id of its own: it is found by reason and subject, the message telling apart two
     * findings about the same subject (Read and Edit on one field), the first of them when it does not.
     *
     * @param {{ reason: string, subject: string, message?: string }} target
     * @returns {boolean} whether the list holds that finding.
     */
    @api
    revealFinding(target) {
        const findings = Array.isArray(this.findings) ? this.findings : [];
        if (!target || typeof target !== 'object') return false;
        const same = findings.filter((finding) => finding.reason === target.reason && finding.subject === target.subject);
        const finding = same.find((candidate) => candidate.message === target.message) || same[0];
        if (!finding) return false;
        const key = groupKey(finding);
        const group = this.groups.find((candidate) => candidate.key === key);
        const position = findings.filter((candidate) => groupKey(candidate) === key).indexOf(finding);
        const shown = group.expanded && position < group.items.length;
        this.liveMessage = `${subjectLabel(finding.subject)}: ${group.reasonTitle}. ${position + 1} of ${group.count}.`;
        if (shown) {
            this.focusFinding(key, position);
            return true;
        }
        this.opened = { ...this.opened, [key]: true };
        if (position >= group.items.length) this.showingAll = { ...this.showingAll, [key]: true };
        // The item is drawn on the next render; renderedCallback moves the focus to it then.
        this._focusItem = { key, position, reveal: true };
        return true;
    }

    /**
     * Which table holds a row for the subject: 'object', 'field', or null.
     * @param {string} subject
     */
    rowKind(subject) {
        const named = (list) => Array.isArray(list) && list.some((result) => result && result.name === subject);
        if (named(this.objects)) return 'object';
        if (named(this.fields)) return 'field';
        return null;
    }

    handleShowRow(event) {
        const { kind, subject } = event.currentTarget.dataset;
        this.dispatchEvent(new CustomEvent('showrow', { detail: { kind, name: subject } }));
    }

    /** Group key -> true (open) / false (closed), once the admin toggled it. */
    opened = {};
    /** Group keys whose every finding is shown. */
    showingAll = {};
    /** Said once a finding was revealed, in the group's words (its item alone does not name the reason). */
    liveMessage = '';
    _focusItem = null;

    get counts() {
        return countFindings(this.findings);
    }

    get countsText() {
        return findingCountsText(this.counts);
    }

    get groups() {
        const findings = Array.isArray(this.findings) ? this.findings : [];
        // The core groups and orders (errors first, codes as they first appear) and heads each group.
        const groups = groupFindings(findings);
        // Where each finding stands in the list: its item's key, unique even for two alike findings.
        const indexes = new Map();
        findings.forEach((finding, index) => {
            if (!indexes.has(finding)) indexes.set(finding, []);
            indexes.get(finding).push(index);
        });
        const worst = groups.length ? groups[0].severity : null;
        return groups.map((group) => {
            const first = group.findings[0];
            const key = groupKey(first);
            const look = SEVERITY_LOOK[group.severity] || SEVERITY_LOOK.info;
            const count = group.findings.length;
            const expanded = this.opened[key] ?? group.severity === worst;
            const showAll = this.showingAll[key] === true || count <= PREVIEW_SIZE + 1;
            const shown = showAll ? group.findings : group.findings.slice(0, PREVIEW_SIZE);
            return {
                key,
                listId: `finding-group-${key}`,
                reason: first.reason,
                symptom: first.symptom || null,
                // The core's heading: HubSpot's title for what blocks the sync only; a risk reads 'At risk: <what it forecasts> (HubSpot's reason if it suspends: ...)'.
                reasonTitle: group.title,
                severity: group.severity,
                severityLabel: look.label,
                severityClass: look.className,
                count,
                // A no-break space: '(1' and 'finding)' never end up on two lines.
                countLabel: `${count}\u00a0finding${count === 1 ? '' : 's'}`,
                expanded,
                ariaExpanded: expanded ? 'true' : 'false',
                // Only while the list exists: a reference to nothing is an error to assistive technology.
                ariaControls: expanded ? `finding-group-${key}` : null,
                chevron: expanded ? 'utility:chevrondown' : 'utility:chevronright',
                hiddenCount: count - shown.length,
                moreLabel: `Show ${count - shown.length} more`,
                hasMore: expanded && shown.length < count,
                items: shown.map((finding, position) => {
                    const index = indexes.get(finding).shift();
                    const rowKind = this.rowKind(finding.subject);
                    return {
                        key: `${finding.reason}-${finding.subject}-${index}`,
                        position,
                        subject: finding.subject,
                        subjectLabel: subjectLabel(finding.subject),
                        rowKind,
                        rowLinkLabel: ROW_LINK_LABELS[rowKind] || '',
                        message: finding.message,
                        remedy: finding.remedy,
                        rule: finding.rule || '',
                        // The rule in words ('Object permissions (...)'): its id told an admin nothing.
                        ruleLabel: finding.rule ? ruleLabel(finding.rule) : ''
                    };
                })
            };
        });
    }

    /** 'No problems found.', or '... in what Sync Doctor could read.' when checks were skipped. */
    get noProblemsText() {
        return noProblemsLabel(this.unchecked);
    }

    /** Green for an all-clear only; a partly checked one is plain text. */
    get noProblemsClass() {
        return this.noProblemsText === noProblemsLabel([]) ? 'slds-text-color_success' : '';
    }

    get hasFindings() {
        return Array.isArray(this.findings) && this.findings.length > 0;
    }

    handleToggle(event) {
        const key = event.currentTarget.dataset.key;
        const group = this.groups.find((candidate) => candidate.key === key);
        if (!group) return;
        this.opened = { ...this.opened, [key]: !group.expanded };
    }

    handleShowMore(event) {
        const key = event.currentTarget.dataset.key;
        this.showingAll = { ...this.showingAll, [key]: true };
        // The button goes away: keep the keyboard where the list continues, on the first new finding.
        this._focusItem = { key, position: PREVIEW_SIZE };
    }

    renderedCallback() {
        if (!this._focusItem) return;
        const { key, position, reveal } = this._focusItem;
        this._focusItem = null;
        if (reveal) this.focusFinding(key, position);
        else {
            const item = this.findingItem(key, position);
            if (item) item.focus();
        }
    }

    findingItem(key, position) {
        return this.template.querySelector(`[data-id="finding"][data-group="${key}"][data-position="${position}"]`);
    }

    /** Scrolls the item to the middle of the view (focus alone leaves it at an edge) and focuses it. */
    focusFinding(key, position) {
        const item = this.findingItem(key, position);
        if (!item) return;
        if (typeof item.scrollIntoView === 'function') item.scrollIntoView({ block: 'center' });
        item.focus({ preventScroll: true });
    }
}
