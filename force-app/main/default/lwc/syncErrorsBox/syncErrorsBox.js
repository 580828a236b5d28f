import { LightningElement, api } from 'lwc';
import getRecordTypePicklists from '@salesforce/apex/SyncDoctorController.getRecordTypePicklists';
import { recordTypePicklistFacts, recordTypesNotReadLine, syncErrorsRecordTypeFields, syncErrorsView } from 'c/syncDoctorCore';
import { errorMessage, parseApexJson } from 'c/syncDoctorUtils';

/** The box lists this many groups; the core says how many more there are. */
const SYNC_ERROR_LINES_SHOWN = 10;
/** The words of a sync error's link to its row, as the Findings card words them. */
const ROW_LINK_CARDS = { object: 'Object permissions', field: 'Field-level security' };
const ROW_LINK_LABELS = { object: `Show in ${ROW_LINK_CARDS.object}`, field: `Show in ${ROW_LINK_CARDS.field}` };
/**
 * How a sync-error group's "Now:" line looks, as the suspension steps' markers: a check when the
 * rights are there today (only a resync is left), a warning when one is still missing. The icon's
 * alternative text says it in words, so colour is never all there is. A custom-code group's line
 * names the validation rule (or automation) that sends its message, and a duplicate group's the
 * duplicate rules that may refuse HubSpot's writes: no right is missing, so it is no "Still
 * missing" warning but information.
 */
const NOW_LOOK = {
    ok: { state: 'ok', iconName: 'utility:success', iconVariant: 'success', assistive: 'Fixed now' },
    missing: { state: 'missing', iconName: 'utility:warning', iconVariant: 'warning', assistive: 'Still missing' },
    cause: { state: 'cause', iconName: 'utility:info', iconVariant: null, assistive: 'What sends this message' }
};

/** The kinds whose Now line names the org's rule behind the refusal, not a missing right. */
const RULE_KINDS = new Set(['custom-code', 'duplicate']);

/**
 * The diagnosis syncErrorsView reads `now` from, or null when there is none with results to read;
 * `recordTypes` are the record types read for its picklist groups (recordTypePicklistFacts), when read.
 */
function nowDiagnosis(diagnosis, recordTypes) {
    if (!diagnosis || !Array.isArray(diagnosis.fields) || !Array.isArray(diagnosis.objects)) return null;
    const now = {
        fields: diagnosis.fields,
        objects: diagnosis.objects,
        findings: Array.isArray(diagnosis.findings) ? diagnosis.findings : []
    };
    // The side permissions (Update Records with Inactive Owners) answer an inactive-owner group.
    if (Array.isArray(diagnosis.sideGrants)) now.sideGrants = diagnosis.sideGrants;
    // The scope objects' active duplicate rules (the Apex reads them by name) answer a duplicate group.
    if (Array.isArray(diagnosis.duplicateRules)) now.duplicateRules = diagnosis.duplicateRules;
    // The record types' own values answer a picklist group whose field has the value now.
    if (Array.isArray(recordTypes)) now.recordTypePicklists = recordTypes;
    return now;
}

/** A line's `now` (the core's syncErrorNow) with its look; null when the core said nothing. */
function nowItem(now, kind) {
    if (!now || typeof now.text !== 'string' || !now.text) return null;
    const look = now.ok ? NOW_LOOK.ok : RULE_KINDS.has(kind) ? NOW_LOOK.cause : NOW_LOOK.missing;
    return { ok: Boolean(now.ok), text: now.text, ...look };
}

/** The field table's or object matrix's names by their lower case: the export may spell one in another case. */
function namesOf(results) {
    const names = new Map();
    for (const result of Array.isArray(results) ? results : [])
        if (result && typeof result.name === 'string') names.set(result.name.toLowerCase(), result.name);
    return names;
}

/**
 * HubSpot's exported sync errors a relayed status carries (Sync_Errors__c, the Apex's JSON text),
 * in the core's words (syncErrorsView, the CLI's and the report's words too): the one place HubSpot
 * names the field it could not write. With a diagnosis, each group says what Sync Doctor finds of
 * it now; for a picklist group only a record type can still refuse, the box reads the record types
 * (getRecordTypePicklists). Renders nothing when the status has no sync errors or they are damaged.
 *
 * @fires showrow detail: { kind: 'field' | 'object', name } when the admin asks to see the row of a
 *   field (field table) or object (object matrix) a group names (only with finding-links on, and
 *   one the diagnosis checked).
 */
export default class SyncErrorsBox extends LightningElement {
    /** The relayed suspension status (getSuspensionStatus, parsed), or null. */
    @api
    get status() {
        return this._status;
    }
    set status(value) {
        this._status = value || null;
        if (this._connected) this.readRecordTypes();
    }
    /**
     * The core's diagnosis (evaluateAccess), or null while the org is read: with it, each group says
     * what it finds now. Each new one (the page's "Check again") reads the record types again.
     */
    @api
    get diagnosis() {
        return this._diagnosis;
    }
    set diagnosis(value) {
        this._diagnosis = value || null;
        if (this._connected) this.readRecordTypes();
    }
    /** True when the page shows the field table and object matrix: a group links to its rows there. */
    @api findingLinks = false;

    _status = null;
    _diagnosis = null;
    _connected = false;
    _view = null;
    _viewOf = null;
    /**
     * The record types read for the picklist groups: `facts` (the core's, undefined when not read:
     * the line then keeps its caveat that a record type may not offer the value) and `notRead`,
     * why any went unread, in words. undefined until asked, or when there was nothing to ask.
     */
    _recordTypes = undefined;
    /** What the record types were last asked for: the status and the diagnosis. */
    _recordTypesAsked = null;
    /** Counts the record-type reads: an answer is used only when no later read was started. */
    _recordTypeReads = 0;

    connectedCallback() {
        this._connected = true;
        this.readRecordTypes();
    }

    disconnectedCallback() {
        this._connected = false;
    }

    /**
     * Reads the record types behind the picklist groups: only for the fields the core names (a
     * restricted picklist that has the refused value now, where only a record type can still refuse
     * it), and only once per status and diagnosis. Nothing to ask costs no call; a failed read
     * leaves the lines as they were, with their caveat.
     */
    async readRecordTypes() {
        const status = this._status;
        const diagnosis = this._diagnosis;
        const asked = this._recordTypesAsked;
        if (asked && asked.status === status && asked.diagnosis === diagnosis) return;
        this._recordTypesAsked = { status, diagnosis };
        const read = ++this._recordTypeReads;
        // The earlier answer was for other fields or an older org: never shown against this one.
        this._recordTypes = undefined;
        const fields =
            status && diagnosis && Array.isArray(diagnosis.fields) ? syncErrorsRecordTypeFields(status.syncErrors, diagnosis.fields) : [];
        if (!fields.length) return;
        let recordTypes;
        try {
            const fieldsJson = JSON.stringify({ fields });
            const answer = parseApexJson(await getRecordTypePicklists({ fieldsJson }), 'getRecordTypePicklists');
            recordTypes = {
                facts: recordTypePicklistFacts(answer && answer.objects),
                notRead: (Array.isArray(answer && answer.notRead) ? answer.notRead : []).filter(
                    (reason) => typeof reason === 'string' && reason
                )
            };
        } catch (error) {
            // Not read: the lines keep their caveat, and the box says why, as for any other read.
            recordTypes = { facts: undefined, notRead: [errorMessage(error)] };
        }
        if (read === this._recordTypeReads) this._recordTypes = recordTypes;
    }

    /** The box, built once per status, diagnosis, record types and links; null when there is nothing to show. */
    get view() {
        const of = this._viewOf;
        if (
            of &&
            of.status === this._status &&
            of.diagnosis === this._diagnosis &&
            of.recordTypes === this._recordTypes &&
            of.links === this.findingLinks
        )
            return this._view;
        this._viewOf = { status: this._status, diagnosis: this._diagnosis, recordTypes: this._recordTypes, links: this.findingLinks };
        this._view = this.buildView();
        return this._view;
    }

    buildView() {
        // With the diagnosis, each group says what it finds now of its fields or objects (the core's
        // `now`): the export is the past. Without one (still reading the org) nothing is said.
        const view = this._status
            ? syncErrorsView(this._status, {
                  lines: SYNC_ERROR_LINES_SHOWN,
                  diagnosis: nowDiagnosis(this._diagnosis, this._recordTypes && this._recordTypes.facts)
              })
            : null;
        if (!view) return null;
        const diagnosis = this._diagnosis;
        const rows = { field: namesOf(diagnosis && diagnosis.fields), object: namesOf(diagnosis && diagnosis.objects) };
        // Every candidate the page has a row for, in the core's order, once each (its spelling kept).
        const rowsOf = (kind, candidates) => {
            if (!this.findingLinks) return [];
            const found = candidates.map((name) => rows[kind].get(String(name).toLowerCase())).filter(Boolean);
            return [...new Set(found)];
        };
        return {
            heading: view.heading,
            stale: view.stale,
            more: view.more,
            resync: view.resync || null,
            checks: view.checks,
            // Why the record types behind a picklist group were not read, in the core's words.
            notRead: ((this._recordTypes && this._recordTypes.notRead) || []).map((reason, index) => ({
                key: String(index),
                text: recordTypesNotReadLine(reason)
            })),
            lines: view.lines.map((item, index) => {
                // Each field the group may name ('Contact.Score__c' and 'Lead.Score__c' for a HubSpot
                // contact's): a link to each row the field table has.
                const candidates = Array.isArray(item.fields) ? item.fields : item.field ? [item.field] : [];
                const fields = rowsOf('field', candidates);
                // An object-permission group: the objects' rows in the matrix ('Opportunity' for deals).
                const objects = fields.length ? [] : rowsOf('object', Array.isArray(item.objects) ? item.objects : []);
                const rowKind = fields.length ? 'field' : objects.length ? 'object' : '';
                const names = fields.length ? fields : objects;
                return {
                    key: String(index),
                    text: item.text,
                    reason: item.reason || '',
                    field: item.field || '',
                    kind: item.kind || 'other',
                    label: item.label || '',
                    advice: item.advice || null,
                    now: nowItem(item.now, item.kind),
                    links: names.map((name) => ({
                        key: `${rowKind}:${name}`,
                        kind: rowKind,
                        name,
                        // One row: 'Show in Field-level security'. Several (a HubSpot contact's field on
                        // Contact and on Lead): each link names its own, visibly.
                        text: names.length > 1 ? `Show ${name}` : ROW_LINK_LABELS[rowKind],
                        assistive: names.length > 1 ? ` in ${ROW_LINK_CARDS[rowKind]}` : `: ${name}`
                    }))
                };
            })
        };
    }

    handleShowRow(event) {
        const { kind, name } = event.currentTarget.dataset;
        this.dispatchEvent(new CustomEvent('showrow', { detail: { kind, name } }));
    }
}
