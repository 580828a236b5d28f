/*
 * How the panel shows what the status record and the core's step check say: the labels of a
 * state and a source, the icon and badge of a step, an outcome and the agreement box, the
 * findings a step lists, and HubSpot's help article for a reason the catalog lacks. Apart from the
 * component, which reads and follows the status.
 */
import { SUSPENSION_REASONS, TITLE_SOURCES } from 'c/syncDoctorCore';
import { subjectLabel } from 'c/syncDoctorUtils';

export const STATE_LABELS = { suspended: 'Suspended', suspected: 'Suspected', cleared: 'Cleared' };
export const SOURCE_LABELS = {
    webhook: 'HubSpot webhook',
    email: 'HubSpot e-mail',
    'sync-errors': 'HubSpot sync errors',
    manual: 'Entered by hand',
    detector: 'Sync Doctor detector'
};

/** How a step the core checked against the diagnosis looks: an icon and a badge, never colour alone. */
export const STEP_LOOK = {
    done: { label: 'Done', iconName: 'utility:success', iconVariant: 'success', badgeClass: 'slds-badge slds-theme_success' },
    todo: { label: 'To do', iconName: 'utility:warning', iconVariant: 'warning', badgeClass: 'slds-badge slds-theme_warning' },
    // "Unknown" read as if Sync Doctor had failed; the step is one it cannot see (done in HubSpot,
    // or outside what Salesforce shows), as the agreement box's "Not checked" says.
    unknown: { label: 'Not checked', iconName: 'utility:help', iconVariant: null, badgeClass: 'slds-badge slds-badge_lightest' }
};
/** A step the core checked and whose cause it does not find now (the org below its API limit): not "Done". */
export const OUTCOME_LOOK = {
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
export const AGREEMENT_LOOK = {
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
export const RISK_LOOK = {
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
export function labelOf(table, code) {
    return typeof code === 'string' && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

export function findingItems(findings, keyPrefix) {
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
export const SUSPENSION_ARTICLE = (() => {
    const url = TITLE_SOURCES.en.url;
    for (const reason of Object.values(SUSPENSION_REASONS)) {
        const place = reason.whereToLook.find((candidate) => candidate.url === url);
        if (place) return place;
    }
    return { label: "HubSpot's help article on Salesforce integration suspensions", url };
})();
