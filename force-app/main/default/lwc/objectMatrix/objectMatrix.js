import { LightningElement, api } from 'lwc';
import {
    OBJECT_RIGHT_LABELS,
    OBJECT_RIGHTS,
    REACHED_BY_NAMED,
    reachedBySentence,
    reachedByShortText,
    reachedByText
} from 'c/syncDoctorCore';
import { focusRow } from 'c/syncDoctorUtils';

// The six object rights, in Salesforce's order (Setup > Object Settings), named as the core names them.
const COLUMNS = OBJECT_RIGHTS.map((key) => ({ key, label: OBJECT_RIGHT_LABELS[key] }));
/** The core's rule for an object judged only because a mapped lookup field points at it (RULES.lookupTarget). */
const LOOKUP_TARGET_RULE = 'lookup-target-read';

// How a cell reads, for the eye (symbol, colour, weight and a box) and for a screen reader (text).
// A required right's mark is bold in a box, a right nobody requires plain and muted: told apart by
// shape and weight, not by colour alone (a granted right looked the same either way).
const REQUIRED = 'sd-right sd-right_required';
const OPTIONAL = 'sd-right sd-right_optional slds-text-color_weak';
const CELL_LOOK = {
    missing: { symbol: '✗', text: 'Missing (required)', className: `${REQUIRED} slds-text-color_error` },
    granted: { symbol: '✓', text: 'Granted (required)', className: `${REQUIRED} slds-text-color_success` },
    extra: { symbol: '✓', text: 'Granted (not required)', className: OPTIONAL },
    none: { symbol: '–', text: 'Not granted', className: OPTIONAL },
    // The core could not judge the right (the org's API does not expose the permission, or the
    // snapshot lacks the rows): to check by hand, not missing.
    unknown: { symbol: '?', text: 'Not judged (required): check by hand', className: REQUIRED },
    // The object is not in the org: no right on it can be granted; the object itself is missing.
    absent: { symbol: '✗', text: 'Object not in the org', className: `${REQUIRED} slds-text-color_error` }
};

/** How many sources reaching an object are named before "and N more" (all of them up to one more). */
/**
 * An object's `reachedBy` as the core words it: the first few sources only when there are many
 * (reachedByShortText, as the core's finding names them: a large org's thirty
 * 'Custom_Object_0xx__c.Contact__c' lookups made the row a paragraph); `full` is the whole phrase
 * (reachedByText), shown on demand, and `more` how many sources the short text leaves out.
 */
function reachedBySummary(entries) {
    const seen = new Set();
    const unique = entries.filter((entry) => {
        const key = String(entry).trim().toLowerCase();
        return key && !seen.has(key) && seen.add(key);
    });
    const full = reachedByText(unique);
    const text = reachedByShortText(unique);
    return { text, full, more: text === full ? 0 : unique.length - REACHED_BY_NAMED };
}

/**
 * The object matrix: one row per required or related object, one column per right, each cell
 * telling whether the right is required and whether the integration user effectively has it, and
 * which profile or permission sets grant it. Shows the core's ObjectResult[] as it is.
 *
 * @fires showfinding detail: { reason, subject, message } when the admin asks to see a finding
 * listed under a row in the Findings card (only with `findingLinks`).
 */
export default class ObjectMatrix extends LightningElement {
    /** The core's `diagnosis.objects`. */
    @api objects = [];
    /** The core's `diagnosis.findings`; the ones about an object are listed under its row. */
    @api findings = [];
    /**
     * Whether the page has a Findings card: each finding under a row then links to its entry there
     * (the showfinding event), where its Fix is; alone, the matrix lists them as text.
     */
    @api findingLinks = false;

    /**
     * Shows the row of one object (a finding's link to the row that proves it): scrolls it to the
     * middle of the view, highlights it briefly and moves the focus to it.
     *
     * @param {string} name the object's API name, as the core's finding subject and ObjectResult name.
     * @returns {boolean} whether the matrix has a row for it.
     */
    @api
    revealObject(name) {
        if (typeof name !== 'string' || !this.rows.some((row) => row.name === name)) return false;
        this.revealed = { name, count: this.revealed.count + 1 };
        // The highlight is drawn on the next render; renderedCallback moves the focus to the row then.
        this._focusRow = name;
        return true;
    }

    columns = COLUMNS;
    /** The row last revealed; its count alternates the highlight's animation so a second reveal replays it. */
    revealed = { name: null, count: 0 };
    _focusRow = null;
    /** The objects whose whole list of sources reaching them the admin unfolded. */
    reachedByOpen = [];

    renderedCallback() {
        if (!this._focusRow) return;
        const name = this._focusRow;
        this._focusRow = null;
        focusRow(this.template.querySelectorAll('[data-id="object-row"]'), (row) => row.dataset.object === name);
    }

    handleToggleReachedBy(event) {
        const name = event.currentTarget.dataset.object;
        this.reachedByOpen = this.reachedByOpen.includes(name)
            ? this.reachedByOpen.filter((open) => open !== name)
            : [...this.reachedByOpen, name];
    }

    handleShowFinding(event) {
        const { reason, subject, message } = event.currentTarget.dataset;
        this.dispatchEvent(new CustomEvent('showfinding', { detail: { reason, subject, message } }));
    }

    get hasObjects() {
        return Array.isArray(this.objects) && this.objects.length > 0;
    }

    get missingCount() {
        return this.rows.reduce((sum, row) => sum + row.missing, 0);
    }

    get absentCount() {
        return this.rows.filter((row) => row.isAbsent).length;
    }

    get unknownCount() {
        return this.rows.reduce((sum, row) => sum + row.unknown, 0);
    }

    get summary() {
        if (!this.hasObjects) return '';
        const missing = this.missingCount;
        const absent = this.absentCount;
        const unknown = this.unknownCount;
        const parts = [];
        if (missing > 0) parts.push(`${missing} required object right${missing === 1 ? ' is' : 's are'} missing.`);
        if (absent > 0) parts.push(`${absent} required object${absent === 1 ? ' is' : 's are'} not in the org.`);
        if (unknown > 0) parts.push(`${unknown} required object right${unknown === 1 ? '' : 's'} could not be judged: check by hand.`);
        return parts.length ? parts.join(' ') : 'Every required object right is granted.';
    }

    get summaryClass() {
        if (this.missingCount > 0 || this.absentCount > 0) return 'slds-text-color_error';
        return this.unknownCount > 0 ? 'slds-text-color_default' : 'slds-text-color_success';
    }

    get rows() {
        if (!this.hasObjects) return [];
        const findings = Array.isArray(this.findings) ? this.findings : [];
        return this.objects.map((object) => {
            const required = new Set(object.required || []);
            const effective = object.effective || {};
            const isAbsent = object.exists === false;
            // As the CLI reads it: no `missing` and a 'Not judged' note mean the core could not judge.
            const unjudged =
                !isAbsent && object.missing === undefined && typeof object.note === 'string' && object.note.startsWith('Not judged');
            let missing = 0;
            let unknown = 0;
            const cells = COLUMNS.map((column) => {
                const isRequired = required.has(column.key);
                const has = effective[column.key] === true;
                let state = has ? 'extra' : 'none';
                if (isRequired) state = has ? 'granted' : 'missing';
                if (state === 'missing' && isAbsent) state = 'absent';
                else if (state === 'missing' && unjudged) state = 'unknown';
                if (state === 'missing') missing++;
                if (state === 'unknown') unknown++;
                const look = CELL_LOOK[state];
                return { key: column.key, label: column.label, state, symbol: look.symbol, text: look.text, className: look.className };
            });
            // Stacked (a narrow table), a row's rights flow on a line (c/tableStyles) and list only
            // those someone needs or grants: the ones neither required nor granted ('–') are hidden
            // from the eye, not from a screen reader. All six stay when none is required or
            // granted, for the row to say so.
            const foldNone = cells.some((cell) => cell.state !== 'none');
            for (const cell of cells)
                cell.cellClass = `slds-text-align_center sd-stacked-inline${foldNone && cell.state === 'none' ? ' sd-fold-stacked' : ''}`;
            const reachedBy = object.reachedBy || [];
            const problems = findings.filter((finding) => finding.subject === object.name);
            const lookups = reachedBy.some((entry) => entry.startsWith('lookup'));
            // "via lookup" only for an object HubSpot syncs because a lookup field of another one
            // points at it (the core's lookup-target rule), not for one it syncs itself (asked for
            // by the requirements, or with mapped fields of its own) that lookups reach too.
            const ownMappedFields = reachedBy.some((entry) => entry.startsWith('mapped field'));
            const viaLookup =
                lookups &&
                !ownMappedFields &&
                (object.rule === undefined ? (object.required || []).every((r) => r === 'read') : object.rule === LOOKUP_TARGET_RULE);
            const summary = reachedBySummary(reachedBy);
            // The core's finding about the object ends by naming every source again ('HubSpot also
            // reaches Contact through the lookups from ...', thirty of them on a large org): the
            // row says that already, so under the row the sentence is left out (the Findings card
            // keeps it whole).
            const reachedSentences = reachedBy.length ? [true, false].map((also) => reachedBySentence(object.name, reachedBy, also)) : [];
            const shortMessage = (message) => {
                const sentence = reachedSentences.find(
                    (end) => typeof message === 'string' && message.endsWith(end) && message.length > end.length
                );
                return sentence ? message.slice(0, -sentence.length) : message;
            };
            const open = this.reachedByOpen.includes(object.name);
            // 'lookups from Contact.AccountId and Opportunity.AccountId': each source once.
            const phrase = open ? summary.full : summary.text;
            const alsoReached = lookups && !viaLookup && reachedBy.every((entry) => entry.startsWith('lookup'));
            return {
                name: object.name,
                cells,
                missing,
                unknown,
                isAbsent,
                isRelated: viaLookup,
                hasReachedBy: reachedBy.length > 0,
                reachedBy: alsoReached ? `Also reached by ${phrase}` : phrase,
                reachedByMore: summary.more,
                reachedByOpen: open ? 'true' : 'false',
                reachedByToggle: open ? 'Show fewer' : `Show all ${summary.more + REACHED_BY_NAMED}`,
                note: object.note || '',
                grantedBy: isAbsent ? 'Not in the org' : (object.grantedBy || []).join(', ') || 'Nothing grants it',
                problems: problems.map((finding, index) => ({
                    key: `${object.name}-${index}`,
                    reason: finding.reason,
                    subject: finding.subject,
                    message: finding.message,
                    text: shortMessage(finding.message)
                })),
                hasProblems: problems.length > 0,
                rowClass: [
                    missing > 0 || isAbsent ? 'sd-row_missing' : '',
                    this.revealed.name === object.name ? `sd-row_revealed sd-row_revealed-${this.revealed.count % 2}` : ''
                ]
                    .filter(Boolean)
                    .join(' ')
            };
        });
    }
}
