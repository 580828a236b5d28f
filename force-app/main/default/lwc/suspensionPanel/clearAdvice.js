/*
 * The panel's advice on HubSpot's "Clear Suspension" button: from the catalog (a reason that lifts
 * by itself, one clearing does not end) and the live checks (none yet, failing, partly made, or
 * passing). Apart from the component, as its rules are the panel's longest and read nothing else.
 */
import { isPartlyChecked, uncheckedList } from 'c/syncDoctorCore';

/**
 * Whether to click "Clear Suspension" in HubSpot now, from the catalog and the live checks, for a
 * suspension still active: { state, className, text, steps? }, or null when the panel says it
 * elsewhere (the core's box or its "Clear Suspension" step) or there is no reason to advise on.
 *
 * @param {object} panel what the panel knows: the catalog's `reason` (or null), the core's
 *   `diagnosis` and `stepCheck` (or null), and the page's `checksRan`, `checksLoading`, `checksPass`.
 */
export function adviceOnClearing({ reason, diagnosis, stepCheck, checksRan, checksLoading, checksPass }) {
    if (!reason) return null;
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
        if (stepCheck) return null;
        return {
            state: 'unchecked',
            className: 'slds-text-color_default',
            // The steps say when (at once for an unknown error, after the outage for an unavailable org).
            text: 'Sync Doctor cannot see this cause from Salesforce: the steps above say when to click "Clear Suspension" in HubSpot.'
        };
    }
    if (!checksRan && checksLoading) {
        return {
            state: 'checking',
            className: 'slds-text-color_weak',
            text: 'Sync Doctor is checking the org: whether it is time to click "Clear Suspension" in HubSpot follows.'
        };
    }
    if (!checksRan) {
        return {
            state: 'unknown',
            className: 'slds-text-color_default',
            text: 'Sync Doctor could not check the org: make sure the cause is fixed before you click "Clear Suspension" in HubSpot.'
        };
    }
    // Warnings are risks, not blockers: HubSpot can sync, so clearing is safe, as the core's
    // agreement box says too; the risks are named so they are not forgotten.
    const atRisk = Boolean(diagnosis && diagnosis.verdict === 'at-risk');
    // Nothing blocks in what was read, but what was not read (a frozen user, logins refused by
    // IP ranges) suspends the sync again just the same: those checks come first, by hand.
    if (checksPass && isPartlyChecked(diagnosis)) {
        const unchecked = diagnosis.unchecked;
        return {
            state: 'check-by-hand',
            className: 'slds-text-color_default',
            // The core's box above already says to check by hand what Sync Doctor could not read
            // (naming it): here only how, each check, so the panel says it once.
            text: stepCheck
                ? 'Before you click "Clear Suspension" in HubSpot:'
                : `Not yet: Sync Doctor could not check the ${uncheckedList(unchecked)}. Check ${unchecked.length === 1 ? 'it' : 'them'} by hand first, then click "Clear Suspension" in HubSpot:`,
            steps: unchecked.map((item) => ({ key: item.check, check: item.check, text: item.byHand }))
        };
    }
    // The core's "Clear Suspension" step already says "Not yet" and why (blocking findings, or a
    // step that decides the reason in HubSpot, which Sync Doctor cannot see): say it once, there.
    if (stepCheck && stepCheck.steps.some((step) => step.notYet)) return null;
    // Nothing blocks, but the core could not judge this reason from what it read: not "safe".
    if (checksPass && stepCheck && stepCheck.agreement === 'not-judged') {
        return {
            state: 'unchecked',
            className: 'slds-text-color_default',
            text: 'Sync Doctor could not check this cause from what it read (see above): make sure it is fixed before you click "Clear Suspension" in HubSpot.'
        };
    }
    // The core's box ("Cause fixed now") already ends "Clear the suspension in HubSpot" and names
    // the risks to review: "Safe to click" right under it said it a second time.
    if (checksPass && stepCheck && stepCheck.agreement === 'fixed-since') return null;
    return checksPass
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
              text: notYetText(stepCheck)
          };
}

/**
 * Why not to clear yet, in the panel's own terms, when no step of the core's says it (notYet):
 * the steps above still "to do" (the banner at the top of the page already says to fix the
 * findings first; the panel said it a third time). Without such a step (the cause blocking is
 * another reason's, or no step check), what still blocks is Sync Doctor's findings.
 */
function notYetText(check) {
    const todo = check ? check.steps.filter((step) => step.status === 'todo').length : 0;
    const again = 'or HubSpot suspends the sync again right after you clear it.';
    if (todo > 0)
        return todo === 1
            ? `Not yet: 1 step above is still to do; do it first, ${again}`
            : `Not yet: ${todo} steps above are still to do; do them first, ${again}`;
    return `Not yet: Sync Doctor's findings still block the sync (see the Findings card), ${again}`;
}
