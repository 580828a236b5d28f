// Small helpers the Sync Doctor components share: reading the controller's JSON answers and
// turning any error (Apex, JavaScript, a string) into one sentence an admin can read, and naming
// what a finding is about the way Setup names it.
import {
    FROZEN_CHECK_BY_HAND,
    FROZEN_NOT_READ_PREFIX,
    findingCountsLabel,
    frozenNotReadLine,
    limitLabel,
    shareLabel,
    subjectLabel
} from 'c/syncDoctorCore';

/**
 * Parses the JSON text an Apex method returned. `what` names the answer for the error message.
 * Every controller method answers JSON text (see SyncDoctorController), so a non-string is a bug.
 */
export function parseApexJson(text, what) {
    if (text === null || text === undefined) return null;
    if (typeof text !== 'string') {
        throw new Error(`${what}: expected JSON text from Apex, got ${typeof text}.`);
    }
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new Error(`${what}: Apex returned text that is not JSON (${error.message}).`, {
            cause: error
        });
    }
}

/**
 * One readable message for an error from an imperative Apex call (`{ body: { message } }`,
 * `{ body: [{ message }] }`, page and field errors), a JavaScript Error or a plain string.
 */
export function errorMessage(error) {
    if (!error) return 'Unknown error.';
    if (typeof error === 'string') return error;
    const body = error.body;
    if (Array.isArray(body)) {
        const messages = body.map((entry) => entry && entry.message).filter(Boolean);
        if (messages.length) return messages.join(' ');
    } else if (body && typeof body === 'object') {
        const parts = [];
        if (body.message) parts.push(body.message);
        for (const pageError of body.pageErrors || []) parts.push(pageError.message);
        for (const fieldErrors of Object.values(body.fieldErrors || {})) {
            for (const fieldError of fieldErrors) parts.push(fieldError.message);
        }
        if (parts.length) return parts.join(' ');
    }
    if (error.message) return error.message;
    // lightning/empApi reports CometD failures as { error: '403::Unknown client', ... }.
    if (typeof error.error === 'string') return error.error;
    if (error.statusText) return error.statusText;
    return 'Unknown error.';
}

/** Percentage (0..100, one decimal) of used over max, clamped; 0 when max is unknown. */
export function percent(used, max) {
    if (!max || max <= 0 || !Number.isFinite(used)) return 0;
    return Math.min(100, Math.max(0, Math.round((used / max) * 1000) / 10));
}

/**
 * The saved extra mapped fields as the core's FieldRequirement[]. `access` may be saved as a list
 * (['read', 'edit']) or one word ('edit' implies read, as in Salesforce); unknown words are dropped.
 */
export function extraFieldRequirements(extraFields) {
    if (!Array.isArray(extraFields)) return [];
    return extraFields
        .filter((field) => field && typeof field.name === 'string' && field.name.includes('.'))
        .map((field) => {
            const words = Array.isArray(field.access) ? field.access : [field.access || 'edit'];
            const access = new Set(words.filter((word) => word === 'read' || word === 'edit'));
            if (access.has('edit') || access.size === 0) access.add('read').add('edit');
            return { name: field.name, access: ['read', 'edit'].filter((word) => access.has(word)) };
        });
}

/** How many of the core's findings are errors, warnings and notes (info). */
export function countFindings(findings) {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const finding of Array.isArray(findings) ? findings : []) {
        if (finding && Object.prototype.hasOwnProperty.call(counts, finding.severity)) counts[finding.severity] += 1;
    }
    return counts;
}

/**
 * '1 finding blocks the sync, 0 risks, 0 notes', '55 findings block the sync, 2 risks, 1 note': the
 * words of the findings' badges ("Blocks the sync", "Risk", "Note"), a sentence in the singular and
 * the plural alike. The core's findingCountsLabel, which the copied report's verdict prints too.
 */
export function findingCountsText(counts) {
    return findingCountsLabel(counts || {});
}

// Readable names of limits and system permissions: the core's, which the CLI prints too.
export { limitLabel, shareLabel, subjectLabel };

/**
 * Scrolls the row a finding links to into the middle of the view and focuses it (the row has
 * tabindex -1). Focus alone would leave it at an edge of the view.
 */
export function focusRow(rows, matches) {
    const row = [...rows].find(matches);
    if (!row) return;
    if (typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
}

/** 12345 -> '12,345' in the user's locale; '?' when it is no number. */
export function formatNumber(value) {
    return Number.isFinite(value) ? new Intl.NumberFormat().format(value) : '?';
}

/** A snapshot whose user has no IsFrozen and that does not say why (an older reader): not read, no reason. */
const FROZEN_NOT_READ_NO_REASON = Object.freeze({ read: false, cause: 'unknown', message: '' });

/**
 * Why the integration user's frozen state was not read, or null when it was (a frozen user is a
 * finding then). The package's reader leaves IsFrozen out of the user and says why in the
 * snapshot's `frozenRead` ({ read: false, cause, message }), whose causes and words are the core's
 * (FROZEN_READ_CAUSES, FROZEN_NOT_READ_MESSAGES, frozenNotReadLine): the page shows the core's
 * line after its own "Not checked whether <user> is frozen", and the copied report passes
 * `frozenRead` to the core's formatReport, so both say the same as the CLI.
 *
 * @param {object} snapshot the snapshot the diagnosis was computed from.
 * @param {string} userName the integration user as the page names it.
 * @returns {{ cause: string, screen: string, frozenRead: object } | null} the verdict's line and
 * the frozenRead to give formatReport (the snapshot's, or "not read, no reason" when it has none).
 */
export function frozenNotRead(snapshot, userName) {
    const user = snapshot && snapshot.user;
    if (!user || typeof user.IsFrozen === 'boolean') return null;
    const given = snapshot.frozenRead;
    const frozenRead = given && typeof given === 'object' && given.read === false ? given : FROZEN_NOT_READ_NO_REASON;
    const line = frozenNotReadLine(frozenRead) || '';
    const detail = line.startsWith(FROZEN_NOT_READ_PREFIX) ? line.slice(FROZEN_NOT_READ_PREFIX.length) : '';
    const notChecked = `Not checked whether ${userName} is frozen`;
    // The reader runs as the admin viewing the page: the right it lacks is theirs to ask for.
    const yours = frozenRead.cause === 'needs-manage-users' ? ' You do not have it.' : '';
    return {
        cause: typeof frozenRead.cause === 'string' ? frozenRead.cause : 'unknown',
        frozenRead,
        screen: detail ? `${notChecked}: ${detail}${yours}` : `${notChecked}. ${FROZEN_CHECK_BY_HAND}`
    };
}
