import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import assignIntegrationPermissionSet from '@salesforce/apex/SyncDoctorController.assignIntegrationPermissionSet';
import applyRemediation from '@salesforce/apex/SyncDoctorController.applyRemediation';
import getFixRights from '@salesforce/apex/SyncDoctorController.getFixRights';
import { friendlyPermission, objectGrantLines, objectRightsCountText, planRemediation, REMEDIATION_PERMISSION_SET } from 'c/syncDoctorCore';
import { errorMessage, parseApexJson, subjectLabel } from 'c/syncDoctorUtils';

/** A system permission as Setup names it, with its field name: 'API Enabled (PermissionsApiEnabled)'. */
function systemPermissionLabel(name) {
    const label = friendlyPermission(name);
    return label && label !== name ? `${label} (${name})` : name;
}

/**
 * A step to do by hand, led by what it is about unless the step already names it ('Reactivate
 * 'hubspot@acme.com' ...' needs no 'hubspot@acme.com:' before it) or it is the integration user the
 * whole plan is about (`user`, the diagnosis's username). A long step says the core's short action
 * (ManualStep.action: 'Set IP Relaxation ...') rather than pointing to the Findings card.
 */
function manualStepText(step, findings = [], user = '') {
    const subject = step.subject || '';
    const text = step.action || withoutRemedyCopy(step, findings);
    if (!subject || subject === user || text.includes(subject)) return text;
    return `${subjectLabel(subject)}: ${text}`;
}

/**
 * The core's plan takes most steps by hand from their finding's remedy, word for word, and the
 * Findings card shows that remedy as its "Fix:" just below: the card said it twice. A step that
 * copies its finding's remedy says the remedy's first clause only ('Free data storage') and where
 * the rest is; the plan's own words around it (why Sync Doctor does not do it) stay.
 */
function withoutRemedyCopy(step, findings) {
    const finding = findings.find((f) => f && f.subject === step.subject && f.remedy && step.step.includes(f.remedy));
    if (!finding) return step.step;
    const cut = finding.remedy.search(/ \(|; |: |\. /);
    const head = (cut > 0 ? finding.remedy.slice(0, cut) : finding.remedy).replace(/[.\s]+$/, '');
    if (head === finding.remedy.replace(/[.\s]+$/, ''))
        return step.step.replace(finding.remedy, `${head} (as its "Fix:" in the Findings card says).`);
    return step.step.replace(finding.remedy, `${head} (its "Fix:" in the Findings card says how).`);
}

function plural(count, word) {
    return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** '"A"', '"A" and "B"': Setup's names of the rights, quoted. */
function quotedList(names) {
    const quoted = names.map((name) => `"${name}"`);
    return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted[0] || '';
}

/** 'the connected app "HubSpot"', 'the connected apps "A" and "B"'. */
function connectedAppsText(names) {
    const quoted = names.map((name) => `"${name}"`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted[0];
    return `the connected app${names.length > 1 ? 's' : ''} ${list}`;
}

/**
 * The fixes Sync Doctor can make in Salesforce, computed by the core's planRemediation (only what
 * is missing, least privilege) and applied by Apex after the admin confirms what will be granted.
 *
 * @fires remediated detail: { action: 'assign' | 'apply', result } after Apex applied a fix.
 */
export default class RemediationActions extends LightningElement {
    /** The core's diagnosis of the integration user; the plan is computed once per diagnosis. */
    @api
    get diagnosis() {
        return this._diagnosis;
    }
    set diagnosis(value) {
        this._diagnosis = value;
        this.replan();
        // A refusal of the previous plan says nothing about this one.
        this.errorText = '';
    }
    /**
     * HubSpot's relayed status (HubSpot_Sync_Status__c as the app reads it), or null: the core's plan
     * judges it (isSuspendedState, the reason's way out). Under a suspension the HubSpot step of a
     * frozen or inactive user ends "then clear the suspension", not "... if HubSpot suspended the sync".
     */
    @api
    get status() {
        return this._status;
    }
    set status(value) {
        this._status = value || null;
        this.replan();
    }
    /** Id of the integration user the fix is for. */
    @api userId;

    /** 'assign' | 'apply' while the confirmation dialog is open. */
    pendingAction = null;
    isWorking = false;
    /** Why the last fix was not applied, shown in the card until the next attempt or diagnosis. */
    errorText = '';
    _opener = null;
    _diagnosis;
    _status = null;
    _plan = null;
    /**
     * The running user's own rights to apply fixes (SyncDoctorController.getFixRights: { canFix,
     * canAssign, missingRights }), or null until known. Unknown, unanswered or without canFix (an
     * older controller) counts as able: Apex refuses the change itself if the rights are missing.
     */
    fixRights = null;

    connectedCallback() {
        this.loadFixRights();
    }

    /** The core's plan for the diagnosis, under HubSpot's relayed status. */
    replan() {
        this._plan = this._diagnosis ? planRemediation(this._diagnosis, { status: this._status }) : null;
    }

    async loadFixRights() {
        try {
            const rights = parseApexJson(await getFixRights(), 'getFixRights');
            this.fixRights = rights && typeof rights === 'object' ? rights : null;
        } catch {
            // Not knowing is no reason to disable the fix: Apex checks the rights again.
            this.fixRights = null;
        }
    }

    /** False only when the controller says the running user may not grant (and assign). */
    get mayFix() {
        return !(this.fixRights && this.fixRights.canFix === false);
    }

    /** Assigning needs Assign Permission Sets only; a controller without canAssign says it with canFix. */
    get mayAssign() {
        if (!this.fixRights) return true;
        if (typeof this.fixRights.canAssign === 'boolean') return this.fixRights.canAssign;
        return this.mayFix;
    }

    /** Whether a fix button this plan shows is disabled for want of the user's own rights. */
    get lacksFixRights() {
        return (this.canAssign && !this.mayAssign) || (this.canApply && !this.mayFix);
    }

    /**
     * 'To apply fixes you need "Assign Permission Sets" and "Manage Profiles and Permission Sets":
     * ask a Salesforce admin, or follow the steps by hand below.' The rights the controller names
     * as missing (both, when it names none).
     */
    get fixRightsNote() {
        const named = this.fixRights && Array.isArray(this.fixRights.missingRights) ? this.fixRights.missingRights.map(String) : [];
        const rights = named.length ? named : ['Assign Permission Sets', 'Manage Profiles and Permission Sets'];
        const next =
            this.hasSalesforceSteps || this.hasHubSpotSteps
                ? 'ask a Salesforce admin, or follow the steps by hand below.'
                : 'ask a Salesforce admin.';
        return `To apply fixes you need ${quotedList(rights)}: ${next}`;
    }

    get plan() {
        return this._plan;
    }

    get hasPlan() {
        return Boolean(this.plan);
    }

    /**
     * The core's heading for the plan, true to where its fixes are done (Salesforce, HubSpot or
     * both); a plan without one (an older core) is about Salesforce, as the card always was.
     */
    get title() {
        return (this.plan && this.plan.title) || 'Fix it in Salesforce';
    }

    get nothingToDo() {
        return !this.plan || this.plan.isEmpty;
    }

    get canAssign() {
        return Boolean(this.plan && this.plan.assignPermissionSets.length > 0);
    }

    get canApply() {
        return this.hasRemediationGrants;
    }

    /**
     * Assigning comes first when the core says so (plan.assignFirst): the snapshot cannot show
     * what the unassigned set grants, and HubSpot's own set usually grants everything the grants
     * would, so the check after the assignment recomputes them. Then Assign is the one primary
     * button and "Grant the missing rights" the alternative; otherwise Grant is (it assigns too).
     * Two brand buttons left the admin guessing which to press, or pressing both in turn.
     */
    get assignFirst() {
        return Boolean(this.plan && this.plan.assignFirst && this.canAssign);
    }

    get assignVariant() {
        return this.assignFirst || !this.canApply ? 'brand' : 'neutral';
    }

    get applyVariant() {
        return this.assignFirst ? 'neutral' : 'brand';
    }

    get assignDisabled() {
        return !this.canAssign || !this.mayAssign || this.isWorking || !this.userId;
    }

    /** 'true' while Apex applies the fix (aria-busy, aria-disabled), else null (no attribute). */
    get busyText() {
        return this.isWorking ? 'true' : null;
    }

    get workingText() {
        return this.isWorking ? 'Applying the fix in Salesforce…' : '';
    }

    get applyDisabled() {
        return !this.canApply || !this.mayFix || this.isWorking || !this.userId;
    }

    get permissionSetNames() {
        return this.plan ? this.plan.assignPermissionSets.join(', ') : '';
    }

    /**
     * A line per object, in the core's words: the missing rights, then those Salesforce needs in the
     * same set said apart ('Contact: Create, Edit; Read (already granted elsewhere; Salesforce needs
     * it in the same permission set for Create and Edit on Contact)').
     */
    get objectGrants() {
        if (!this.plan) return [];
        return objectGrantLines(this.plan).map((line) => ({ key: line.sobjectType, text: line.text }));
    }

    /** '4 object rights: 2 missing, 2 already granted elsewhere ...': the plan's count, as its summary and the toast give it. */
    get objectRightsCount() {
        return this.plan ? objectRightsCountText(this.plan) : '';
    }

    /** By object, then by field, so a long list (49 fields) can be scanned. */
    get fieldGrants() {
        if (!this.plan) return [];
        return [...this.plan.fieldPermissions]
            .sort((a, b) => a.sobjectType.localeCompare(b.sobjectType) || a.field.localeCompare(b.field))
            .map((grant) => ({
                key: grant.field,
                text: `${grant.field}: ${grant.edit ? 'Read, Edit' : 'Read'}`
            }));
    }

    get fieldGrantsCount() {
        return plural(this.fieldGrants.length, 'field permission');
    }

    get systemGrants() {
        return this.plan ? this.plan.systemPermissions.map((name) => ({ key: name, text: systemPermissionLabel(name) })) : [];
    }

    /**
     * HubSpot connected apps that admit admin-approved users only: Sync_Doctor_Remediation is
     * approved for each, which approves the integration user. Absent from a plan of an older core.
     */
    get appGrants() {
        return this.plannedApps.map((app) => ({ key: app.id, text: `Approve for ${connectedAppsText([app.name])}` }));
    }

    get plannedApps() {
        return this.plan && Array.isArray(this.plan.connectedApps) ? this.plan.connectedApps : [];
    }

    /** Permission sets the plan assigns besides Sync_Doctor_Remediation (Apex applies the whole plan). */
    get setAssignments() {
        return this.plan ? this.plan.assignPermissionSets.map((name) => ({ key: name, text: name })) : [];
    }

    get hasSetAssignments() {
        return this.setAssignments.length > 0;
    }

    get hasRemediationGrants() {
        return this.hasRightGrants || this.hasAppGrants;
    }

    /** Rights put into the set (object, field, system), as opposed to approvals of the set. */
    get hasRightGrants() {
        return this.hasObjectGrants || this.hasFieldGrants || this.hasSystemGrants;
    }

    /**
     * The dialog's first sentence, around the set's name: an approval is no right put into the set
     * but the set approved for the app, which approves whoever is assigned the set.
     */
    /** The permission set the fix writes into, as the core names it (its plan and Apex use it). */
    get remediationSetName() {
        return REMEDIATION_PERMISSION_SET;
    }

    get grantsIntroStart() {
        return this.hasRightGrants
            ? 'Sync Doctor will put exactly these rights into the permission set'
            : 'Sync Doctor will approve the permission set';
    }

    get grantsIntroEnd() {
        const apps = this.appGrants.length === 1 ? 'the connected app below' : 'the connected apps below';
        if (this.hasRightGrants && this.hasAppGrants) return `, approve it for ${apps} and assign it to the integration user.`;
        if (this.hasAppGrants) return ` for ${apps} and assign it to the integration user.`;
        return ' and assign it to the integration user.';
    }

    /** The integration user's username, whom every step is about: no step needs it as a prefix. */
    get integrationUsername() {
        const user = this.diagnosis && this.diagnosis.user;
        return (user && user.username) || '';
    }

    /** Steps by hand with where the core says they are done: 'salesforce' unless it says 'hubspot'. */
    get manualSteps() {
        if (!this.plan) return [];
        return this.plan.manualSteps.map((step, index) => ({
            key: `${step.subject}-${index}`,
            text: manualStepText(step, (this.diagnosis && this.diagnosis.findings) || [], this.integrationUsername),
            where: step.where === 'hubspot' ? 'hubspot' : 'salesforce'
        }));
    }

    get salesforceSteps() {
        return this.manualSteps.filter((step) => step.where === 'salesforce');
    }

    get hubSpotSteps() {
        return this.manualSteps.filter((step) => step.where === 'hubspot');
    }

    get hasSalesforceSteps() {
        return this.salesforceSteps.length > 0;
    }

    get hasHubSpotSteps() {
        return this.hubSpotSteps.length > 0;
    }

    get hasObjectGrants() {
        return this.objectGrants.length > 0;
    }

    get hasFieldGrants() {
        return this.fieldGrants.length > 0;
    }

    get hasSystemGrants() {
        return this.systemGrants.length > 0;
    }

    get hasAppGrants() {
        return this.appGrants.length > 0;
    }

    get isDialogOpen() {
        return this.pendingAction !== null;
    }

    get isAssignPending() {
        return this.pendingAction === 'assign';
    }

    get dialogTitle() {
        return this.isAssignPending ? 'Assign the HubSpot permission set?' : 'Grant the missing rights?';
    }

    /** The name of the dialog's scrolling content, a region the keyboard can reach and scroll. */
    get dialogRegionLabel() {
        return this.isAssignPending ? 'What Sync Doctor will assign' : 'What Sync Doctor will grant';
    }

    /**
     * The confirming button says what it does to the org ("Confirm" left the admin to remember what
     * was being confirmed): the same verbs as the dialog's sentence.
     */
    get confirmLabel() {
        if (this.isAssignPending) return 'Assign permission set';
        return this.hasRightGrants ? 'Grant and assign' : 'Approve and assign';
    }

    handleAssignClick(event) {
        this.openDialog('assign', event.currentTarget);
    }

    handleApplyClick(event) {
        this.openDialog('apply', event.currentTarget);
    }

    openDialog(action, opener) {
        this._opener = opener;
        this.pendingAction = action;
        // Move focus into the dialog once it is rendered (the cancel button: the safe choice).
        Promise.resolve().then(() => {
            const cancel = this.template.querySelector('[data-id="remediation-cancel"]');
            if (cancel) cancel.focus();
        });
    }

    closeDialog() {
        this.pendingAction = null;
        const opener = this._opener;
        this._opener = null;
        if (opener && opener.focus) {
            Promise.resolve().then(() => opener.focus());
        }
    }

    handleCancel() {
        if (!this.isWorking) this.closeDialog();
    }

    handleDialogKeydown(event) {
        if (event.key === 'Escape') {
            event.stopPropagation();
            this.handleCancel();
            return;
        }
        if (event.key === 'Tab') this.trapFocus(event);
    }

    /** Keeps Tab and Shift+Tab inside the dialog while it is open. */
    trapFocus(event) {
        const focusable = [...this.template.querySelectorAll('[data-focusable="true"]')].filter((element) => !element.disabled);
        if (focusable.length === 0) return;
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        const active = this.template.activeElement;
        if (event.shiftKey && active === first) {
            event.preventDefault();
            last.focus();
        } else if (!event.shiftKey && active === last) {
            event.preventDefault();
            first.focus();
        }
    }

    /**
     * The grant dialog, when the core says to assign first, offers the assignment itself: its text
     * recommends it, and the admin had to cancel and find the card's Assign button. The assignment
     * the card's button confirms, run from here (the dialog has said what it assigns).
     */
    get offersAssign() {
        return this.pendingAction === 'apply' && this.assignFirst && !this.assignDisabled;
    }

    handleDialogAssign() {
        this.runAction('assign');
    }

    handleConfirm() {
        this.runAction(this.pendingAction);
    }

    async runAction(action) {
        // A second press while Apex works is ignored: the button stays focusable, so it is not disabled.
        if (this.isWorking) return;
        this.isWorking = true;
        this.errorText = '';
        try {
            let result;
            if (action === 'assign') {
                result = parseApexJson(await assignIntegrationPermissionSet({ userId: this.userId }), 'assignIntegrationPermissionSet');
                const setName = result.permissionSet || this.permissionSetNames;
                // Apex says whether it assigned anything: someone may have assigned the set since the check.
                if (result.assigned === false) {
                    this.toast('info', 'Already assigned', `The integration user already holds ${setName}; nothing changed.`);
                } else {
                    // The page checks again on 'remediated': the grants are recomputed with the set assigned.
                    const next = this.hasRemediationGrants ? ' Sync Doctor checks again for what is still missing.' : '';
                    this.toast('success', 'Permission set assigned', `${setName} is now assigned to the integration user.${next}`);
                }
            } else {
                result = parseApexJson(
                    await applyRemediation({ userId: this.userId, planJson: JSON.stringify(this.plan) }),
                    'applyRemediation'
                );
                this.toast('success', 'Missing rights granted', this.appliedMessage(result));
            }
            this.isWorking = false;
            this.closeDialog();
            this.dispatchEvent(new CustomEvent('remediated', { detail: { action, result } }));
        } catch (error) {
            this.isWorking = false;
            this.closeDialog();
            // Salesforce's reason (a permission dependency, a license, a right the admin lacks) is
            // what the admin acts on: in the card until the next attempt, and in a toast that stays,
            // since a dismissible one is gone after a few seconds.
            const message = errorMessage(error);
            this.errorText = `The fix was not applied: ${message}`;
            this.toast('error', 'The fix was not applied', message, 'sticky');
        }
    }

    /**
     * What Apex reports it did ({ assigned: [labels], objectPermissions, fieldPermissions,
     * connectedApps: [names newly approved] }) and the plan's system permissions. Object rights are
     * counted as the plan's summary and the dialog count them (plan.objectRights, one per right),
     * not as Apex counts ObjectPermissions rows (one per object, Read and Edit in one).
     */
    appliedMessage(result) {
        const granted = [];
        const objectRights = this.plan && Array.isArray(this.plan.objectRights) ? this.plan.objectRights.length : 0;
        if (result.objectPermissions > 0 && objectRights > 0) granted.push(plural(objectRights, 'object right'));
        if (result.fieldPermissions > 0) granted.push(plural(result.fieldPermissions, 'field permission'));
        const system = this.plan ? this.plan.systemPermissions : [];
        if (system.length) granted.push(system.map(systemPermissionLabel).join(', '));
        // The apps newly approved, as Apex names them (Salesforce's spelling); an answer without the
        // list (a server older than the approval) leaves the plan's to say.
        const apps = Array.isArray(result.connectedApps) ? result.connectedApps.map(String) : this.plannedApps.map((app) => app.name);
        const sentences = [];
        if (granted.length && apps.length) {
            sentences.push(
                `${REMEDIATION_PERMISSION_SET} now grants ${granted.join(', ')} to the integration user and approves the user for ${connectedAppsText(apps)}.`
            );
        } else if (granted.length) {
            sentences.push(`${REMEDIATION_PERMISSION_SET} now grants ${granted.join(', ')} to the integration user.`);
        } else if (apps.length) {
            sentences.push(`${REMEDIATION_PERMISSION_SET} now approves the integration user for ${connectedAppsText(apps)}.`);
        }
        // Apex lists the labels it newly assigned, Sync Doctor Remediation among them: name the others.
        const ownSet = REMEDIATION_PERMISSION_SET.replace(/_/g, ' ').toLowerCase();
        const assigned = (Array.isArray(result.assigned) ? result.assigned : []).filter(
            (label) => String(label).replace(/_/g, ' ').toLowerCase() !== ownSet
        );
        if (assigned.length) sentences.push(`Also assigned: ${assigned.join(', ')}.`);
        return sentences.length ? sentences.join(' ') : 'The integration user already had these rights; nothing changed.';
    }

    toast(variant, title, message, mode) {
        const toast = { variant, title, message };
        if (mode) toast.mode = mode;
        this.dispatchEvent(new ShowToastEvent(toast));
    }
}
