import { LightningElement, api } from 'lwc';

// The six object rights, in Salesforce's order (Setup > Object Settings).
const COLUMNS = [
    { key: 'read', label: 'Read' },
    { key: 'create', label: 'Create' },
    { key: 'edit', label: 'Edit' },
    { key: 'delete', label: 'Delete' },
    { key: 'viewAll', label: 'View All' },
    { key: 'modifyAll', label: 'Modify All' }
];

// How a cell reads, for the eye (symbol, colour) and for a screen reader (text).
const CELL_LOOK = {
    missing: { symbol: '✗', text: 'Missing (required)', className: 'slds-text-color_error slds-text-title_bold' },
    granted: { symbol: '✓', text: 'Granted (required)', className: 'slds-text-color_success' },
    extra: { symbol: '✓', text: 'Granted', className: 'slds-text-color_weak' },
    none: { symbol: '–', text: 'Not granted', className: 'slds-text-color_weak' }
};

/**
 * The object matrix: one row per required or related object, one column per right, each cell
 * telling whether the right is required and whether the integration user effectively has it, and
 * which profile or permission sets grant it. Shows the core's ObjectResult[] as it is.
 */
export default class ObjectMatrix extends LightningElement {
    /** The core's `diagnosis.objects`. */
    @api objects = [];
    /** The core's `diagnosis.findings`; the ones about an object are listed under its row. */
    @api findings = [];

    columns = COLUMNS;

    get hasObjects() {
        return Array.isArray(this.objects) && this.objects.length > 0;
    }

    get missingCount() {
        return this.rows.reduce((sum, row) => sum + row.missing, 0);
    }

    get summary() {
        const missing = this.missingCount;
        if (!this.hasObjects) return '';
        return missing === 0
            ? 'Every required object right is granted.'
            : `${missing} required object right${missing === 1 ? ' is' : 's are'} missing.`;
    }

    get summaryClass() {
        return this.missingCount === 0 ? 'slds-text-color_success' : 'slds-text-color_error';
    }

    get rows() {
        if (!this.hasObjects) return [];
        const findings = Array.isArray(this.findings) ? this.findings : [];
        return this.objects.map((object) => {
            const required = new Set(object.required || []);
            const effective = object.effective || {};
            let missing = 0;
            const cells = COLUMNS.map((column) => {
                const isRequired = required.has(column.key);
                const has = effective[column.key] === true;
                let state = has ? 'extra' : 'none';
                if (isRequired) state = has ? 'granted' : 'missing';
                if (state === 'missing') missing++;
                const look = CELL_LOOK[state];
                return { key: column.key, state, symbol: look.symbol, text: look.text, className: look.className };
            });
            const reachedBy = object.reachedBy || [];
            const problems = findings.filter((finding) => finding.subject === object.name);
            return {
                name: object.name,
                cells,
                missing,
                isRelated: reachedBy.length > 0,
                reachedBy: reachedBy.join('; '),
                grantedBy: (object.grantedBy || []).join(', ') || 'Nothing grants it',
                problems: problems.map((finding, index) => ({ key: `${object.name}-${index}`, message: finding.message })),
                hasProblems: problems.length > 0,
                rowClass: missing > 0 ? 'sd-row_missing' : ''
            };
        });
    }
}
