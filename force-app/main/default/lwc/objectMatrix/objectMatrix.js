import { LightningElement, api } from 'lwc';
import { OBJECT_RIGHT_LABELS, OBJECT_RIGHTS, reachedByText } from 'c/syncDoctorCore';
import { focusRow } from 'c/syncDoctorUtils';

// The six object rights, in Salesforce's order (Setup > Object Settings), named as the core names them.
const COLUMNS = OBJECT_RIGHTS.map((key) => ({ key, label: OBJECT_RIGHT_LABELS[key] }));

// How a cell reads, for the eye (symbol, colour) and for a screen reader (text).
const CELL_LOOK = {
    missing: { symbol: '✗', text: 'Missing (required)', className: 'slds-text-color_error slds-text-title_bold' },
    granted: { symbol: '✓', text: 'Granted (required)', className: 'slds-text-color_success' },
    extra: { symbol: '✓', text: 'Granted', className: 'slds-text-color_weak' },
    none: { symbol: '–', text: 'Not granted', className: 'slds-text-color_weak' },
    // The core could not judge the right (the org's API does not expose the permission, or the
    // snapshot lacks the rows): to check by hand, not missing.
    unknown: { symbol: '?', text: 'Not judged (required): check by hand', className: 'slds-text-color_weak slds-text-title_bold' },
    // The object is not in the org: no right on it can be granted; the object itself is missing.
    absent: { symbol: '✗', text: 'Object not in the org', className: 'slds-text-color_error' }
};

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

    renderedCallback() {
        if (!this._focusRow) return;
        const name = this._focusRow;
        this._focusRow = null;
        focusRow(this.template.querySelectorAll('[data-id="object-row"]'), (row) => row.dataset.object === name);
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
            const reachedBy = object.reachedBy || [];
            const problems = findings.filter((finding) => finding.subject === object.name);
            return {
                name: object.name,
                cells,
                missing,
                unknown,
                isAbsent,
                // "via lookup" only for what a lookup field reaches, not for an object named by a mapped field.
                isRelated: reachedBy.some((entry) => entry.startsWith('lookup')),
                hasReachedBy: reachedBy.length > 0,
                // 'lookups from Contact.AccountId and Opportunity.AccountId': each source once.
                reachedBy: reachedByText(reachedBy),
                note: object.note || '',
                grantedBy: isAbsent ? 'Not in the org' : (object.grantedBy || []).join(', ') || 'Nothing grants it',
                problems: problems.map((finding, index) => ({
                    key: `${object.name}-${index}`,
                    reason: finding.reason,
                    subject: finding.subject,
                    message: finding.message
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
