import { LightningElement, api } from 'lwc';
import { focusRow } from 'c/syncDoctorUtils';
import { fieldFails } from 'c/syncDoctorCore';

const PAGE_SIZE = 50;
const ACCESS_LABELS = { read: 'Read', edit: 'Edit' };
const ALL_OBJECTS = '';

/**
 * The mapped fields: required against effective field-level security, what grants it, and the
 * core's finding when a field fails. Orgs map hundreds of fields, so it filters (failing only, by
 * object), searches (field name or message) and shows PAGE_SIZE rows at a time.
 */
export default class FieldTable extends LightningElement {
    /** The core's `diagnosis.fields`. */
    @api fields = [];
    /**
     * The core's `diagnosis.findings`. A field is "failing" when the core reported an error or warning
     * about it, or by the core's `fieldFails` (not in the org, or lacking a right it needs, also when
     * its object's access blocks it), the rule the CLI's "Fields that fail" counts by.
     */
    @api findings = [];

    /**
     * Shows the row of one mapped field (a finding's link to the row that proves it): undoes the
     * filters that hide it (failing only, another object, a search it does not match), shows enough
     * pages to reach it, then scrolls it to the middle of the view, highlights it briefly and moves
     * the focus to it. Filters that keep it in view stay as the admin set them.
     *
     * @param {string} name the field's 'Object.Field', as the core's finding subject and FieldResult name.
     * @returns {boolean} whether the table has a row for it.
     */
    @api
    revealField(name) {
        const row = typeof name === 'string' ? this.allRows.find((candidate) => candidate.name === name) : undefined;
        if (!row) return false;
        const cleared = [];
        if (this.failingOnly && !row.failing) {
            this.failingOnly = false;
            cleared.push('Failing only');
        }
        if (this.objectFilter !== ALL_OBJECTS && this.objectFilter !== row.objectName) {
            this.objectFilter = ALL_OBJECTS;
            cleared.push('the object filter');
        }
        if (!matchesSearch(row, this.searchTerm)) {
            this.searchTerm = '';
            cleared.push('the search');
        }
        const position = this.filteredRows.findIndex((candidate) => candidate.name === name);
        if (position >= this.visibleCount) this.visibleCount = (Math.floor(position / PAGE_SIZE) + 1) * PAGE_SIZE;
        this.revealNote = cleared.length ? `Cleared ${joinList(cleared)} to show ${name}.` : '';
        this.revealed = { name, count: this.revealed.count + 1 };
        // The row (and its highlight) is drawn on the next render; renderedCallback focuses it then.
        this._focusRow = name;
        return true;
    }

    failingOnly = false;
    objectFilter = ALL_OBJECTS;
    searchTerm = '';
    visibleCount = PAGE_SIZE;
    /** Which filters a reveal undid, said with the count (the admin set them, and they changed). */
    revealNote = '';
    /** The row last revealed; its count alternates the highlight's animation so a second reveal replays it. */
    revealed = { name: null, count: 0 };
    _focusRow = null;

    renderedCallback() {
        if (!this._focusRow) return;
        const name = this._focusRow;
        this._focusRow = null;
        focusRow(this.template.querySelectorAll('[data-id="field-row"]'), (row) => row.dataset.field === name);
    }

    get hasFields() {
        return Array.isArray(this.fields) && this.fields.length > 0;
    }

    get problemsBySubject() {
        const bySubject = new Map();
        for (const finding of Array.isArray(this.findings) ? this.findings : []) {
            if (finding.severity !== 'error' && finding.severity !== 'warning') continue;
            const list = bySubject.get(finding.subject) || [];
            list.push(finding.message);
            bySubject.set(finding.subject, list);
        }
        return bySubject;
    }

    get allRows() {
        if (!this.hasFields) return [];
        const problems = this.problemsBySubject;
        const rows = this.fields.map((field) => {
            const dot = field.name.indexOf('.');
            const required = new Set(field.required || []);
            const effective = field.effective || {};
            const messages = problems.get(field.name) || [];
            const failing = messages.length > 0 || fieldFails({ ...field, required: [...required], effective });
            // Its own field-level security is all there: only its object's access stops it. Called
            // "Failing" like a field lacking FLS, it sent admins to Field Permissions for nothing.
            // The suspension steps (the core's checkSuspensionSteps) count these fields the same way.
            const blockedByObject =
                failing && messages.length === 0 && field.exists !== false && Array.isArray(field.missing) && field.missing.length === 0;
            return {
                name: field.name,
                objectName: dot > 0 ? field.name.slice(0, dot) : '',
                fieldName: dot > 0 ? field.name.slice(dot + 1) : field.name,
                hubspotProperty: field.hubspotProperty || '',
                // As the Read and Edit columns and Setup name them ('read, edit' read as code).
                required: [...required].map((access) => ACCESS_LABELS[access] || access).join(', ') || 'None',
                read: accessCell(required.has('read'), effective.read === true),
                edit: accessCell(required.has('edit'), effective.edit === true),
                grantedBy: (field.grantedBy || []).join(', ') || '—',
                problem: messages.join(' '),
                note: field.note || '',
                failing,
                blockedByObject,
                rowClass: this.revealed.name === field.name ? `sd-row_revealed sd-row_revealed-${this.revealed.count % 2}` : '',
                status: blockedByObject ? 'Blocked by object' : failing ? 'Failing' : 'OK',
                statusClass: failing ? 'slds-badge slds-theme_error' : 'slds-badge slds-theme_success'
            };
        });
        // Failing fields first: only 50 rows show at once, and a large org's failing field must not
        // hide behind "Show 50 more" among the passing ones. Each part by object, then field (the
        // core's order, by requirement, left hundreds of passing fields hard to scan).
        rows.sort(byObjectThenField);
        return [...rows.filter((row) => row.failing), ...rows.filter((row) => !row.failing)];
    }

    get filteredRows() {
        return this.allRows.filter(
            (row) =>
                (!this.failingOnly || row.failing) &&
                (this.objectFilter === ALL_OBJECTS || row.objectName === this.objectFilter) &&
                matchesSearch(row, this.searchTerm)
        );
    }

    get visibleRows() {
        return this.filteredRows.slice(0, this.visibleCount);
    }

    get hasVisibleRows() {
        return this.visibleRows.length > 0;
    }

    get hasMore() {
        return this.filteredRows.length > this.visibleCount;
    }

    /** 'Show 50 more', or as many as are left when fewer are (never a page's worth when 11 remain). */
    get showMoreLabel() {
        const next = Math.min(PAGE_SIZE, this.filteredRows.length - this.visibleCount);
        return `Show ${next} more`;
    }

    get failingCount() {
        return this.allRows.filter((row) => row.failing).length;
    }

    get countText() {
        const shown = this.visibleRows.length;
        const matching = this.filteredRows.length;
        const total = this.allRows.length;
        const byObject = this.allRows.filter((row) => row.blockedByObject).length;
        const because = byObject ? `, ${byObject} of them because of ${byObject === 1 ? 'its' : 'their'} object's access` : '';
        return `Showing ${shown} of ${matching} matching field${matching === 1 ? '' : 's'} (${total} mapped, ${this.failingCount} failing${because}).`;
    }

    get objectOptions() {
        const names = [...new Set(this.allRows.map((row) => row.objectName).filter(Boolean))].sort();
        return [{ label: 'All objects', value: ALL_OBJECTS }, ...names.map((name) => ({ label: name, value: name }))].map((option) => ({
            ...option,
            selected: option.value === this.objectFilter
        }));
    }

    handleFailingOnly(event) {
        this.failingOnly = event.target.checked;
        this.revealNote = '';
        this.visibleCount = PAGE_SIZE;
    }

    handleObject(event) {
        this.objectFilter = event.target.value;
        this.revealNote = '';
        this.visibleCount = PAGE_SIZE;
    }

    handleSearch(event) {
        this.searchTerm = event.target.value || '';
        this.revealNote = '';
        this.visibleCount = PAGE_SIZE;
    }

    handleShowMore() {
        this.visibleCount += PAGE_SIZE;
    }
}

/** Whether the search term (field name, HubSpot property, problem or note) finds the row; an empty term finds all. */
function matchesSearch(row, searchTerm) {
    const term = searchTerm.trim().toLowerCase();
    return !term || [row.name, row.hubspotProperty, row.problem, row.note].some((text) => text.toLowerCase().includes(term));
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Account.Name before Contact.Email before Contact.Phone, case aside. */
function byObjectThenField(a, b) {
    return collator.compare(a.objectName, b.objectName) || collator.compare(a.fieldName, b.fieldName);
}

/** 'a', 'a and b', 'a, b and c'. */
function joinList(items) {
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// As the object matrix marks a right (c/tableStyles): a required one bold in a box, one nobody
// requires plain and muted, told apart by shape and weight, not by colour alone.
const REQUIRED = 'sd-right sd-right_required';
const OPTIONAL = 'sd-right sd-right_optional slds-text-color_weak';

function accessCell(isRequired, has) {
    if (isRequired && !has)
        return { symbol: '✗', text: 'Missing (required)', className: `${REQUIRED} slds-text-color_error`, state: 'missing' };
    if (isRequired) return { symbol: '✓', text: 'Granted (required)', className: `${REQUIRED} slds-text-color_success`, state: 'granted' };
    if (has) return { symbol: '✓', text: 'Granted (not required)', className: OPTIONAL, state: 'extra' };
    return { symbol: '–', text: 'Not granted', className: OPTIONAL, state: 'none' };
}
