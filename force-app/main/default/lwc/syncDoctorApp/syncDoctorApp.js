import { LightningElement } from 'lwc';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import getSnapshot from '@salesforce/apex/SyncDoctorController.getSnapshot';
import { evaluateAccess, mergeRequirements, DEFAULT_REQUIREMENTS, validateSnapshot } from 'c/syncDoctorCore';
import { errorMessage, extraFieldRequirements, parseApexJson } from 'c/syncDoctorUtils';

const VERDICTS = {
    healthy: {
        label: 'Healthy',
        text: 'The integration user has everything HubSpot needs.',
        className: 'slds-badge slds-theme_success'
    },
    'at-risk': {
        label: 'At risk',
        text: 'HubSpot can sync now, but something below will suspend it soon or breaks part of the sync.',
        className: 'slds-badge slds-theme_warning'
    },
    blocked: {
        label: 'Blocked',
        text: 'HubSpot cannot sync with this user: fix the findings below.',
        className: 'slds-badge slds-theme_error'
    }
};

/**
 * Sync Doctor's page (hosted by the Lightning App Page as c:syncDoctorApp): loads the settings,
 * reads the integration user's snapshot through Apex, judges it with the shared core in the
 * browser and hands the diagnosis to the cards.
 */
export default class SyncDoctorApp extends LightningElement {
    settings = null;
    snapshot = null;
    diagnosis = null;
    status = null;
    isLoading = true;
    errorText = '';

    connectedCallback() {
        this.loadAll();
    }

    async loadAll() {
        this.isLoading = true;
        this.errorText = '';
        try {
            this.settings = parseApexJson(await getSettings(), 'getSettings') || { userId: null, portalId: null, extraFields: [] };
            await this.loadDiagnosis();
        } catch (error) {
            this.fail(error);
        } finally {
            this.isLoading = false;
        }
    }

    async loadDiagnosis() {
        this.snapshot = null;
        this.diagnosis = null;
        if (!this.settings || !this.settings.userId) return;
        const snapshot = parseApexJson(await getSnapshot({ userId: this.settings.userId }), 'getSnapshot');
        const checked = validateSnapshot(snapshot);
        if (!checked.ok) {
            throw new Error(`The org's snapshot is not in Sync Doctor's format (${checked.path}: ${checked.message}).`);
        }
        const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, { fields: extraFieldRequirements(this.settings.extraFields) });
        this.snapshot = checked.snapshot;
        this.diagnosis = evaluateAccess(checked.snapshot, requirements);
    }

    fail(error) {
        this.snapshot = null;
        this.diagnosis = null;
        this.errorText = errorMessage(error);
    }

    async reloadDiagnosis() {
        this.isLoading = true;
        this.errorText = '';
        try {
            await this.loadDiagnosis();
        } catch (error) {
            this.fail(error);
        } finally {
            this.isLoading = false;
        }
    }

    handleRefresh() {
        this.loadAll();
        const panel = this.template.querySelector('c-suspension-panel');
        if (panel) panel.refresh();
    }

    handleSettingsChange(event) {
        this.settings = event.detail.settings;
        this.reloadDiagnosis();
    }

    handleRemediated() {
        this.reloadDiagnosis();
    }

    handleStatusChange(event) {
        this.status = event.detail.status;
    }

    get hasSettings() {
        return Boolean(this.settings);
    }

    get needsUser() {
        return !this.isLoading && !this.errorText && this.hasSettings && !this.settings.userId;
    }

    get hasDiagnosis() {
        return Boolean(this.diagnosis);
    }

    get verdict() {
        return this.diagnosis ? VERDICTS[this.diagnosis.verdict] || VERDICTS.blocked : null;
    }

    get verdictKey() {
        return this.diagnosis ? this.diagnosis.verdict : '';
    }

    get userLabel() {
        const user = this.snapshot && this.snapshot.user;
        if (!user) return 'the integration user';
        return user.Name ? `${user.Name} (${user.Username})` : user.Username;
    }

    get capturedAt() {
        return this.snapshot ? this.snapshot.capturedAt : null;
    }

    /** The suspension panel takes the whole width when there are no findings beside it. */
    get sideColumnClass() {
        return this.hasDiagnosis ? 'slds-col slds-size_1-of-1 slds-large-size_5-of-12' : 'slds-col slds-size_1-of-1';
    }

    get checksPass() {
        return Boolean(this.diagnosis && this.diagnosis.verdict === 'healthy');
    }

    get portalId() {
        return this.settings ? this.settings.portalId : null;
    }

    get userId() {
        return this.settings ? this.settings.userId : null;
    }

    get hubspotAllocation() {
        return this.settings ? this.settings.hubspotAllocation : undefined;
    }
}
