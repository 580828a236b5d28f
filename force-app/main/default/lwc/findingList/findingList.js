import { LightningElement, api } from 'lwc';
import { SUSPENSION_REASONS } from 'c/syncDoctorCore';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
const SEVERITY_LOOK = {
    error: { label: 'Blocks the sync', className: 'slds-badge slds-theme_error' },
    warning: { label: 'Risk', className: 'slds-badge slds-theme_warning' },
    info: { label: 'Note', className: 'slds-badge slds-badge_lightest' }
};

/**
 * The core's findings, errors first: which of HubSpot's suspension reasons each one leads to,
 * what it is about, and the remedy.
 */
export default class FindingList extends LightningElement {
    /** The core's `diagnosis.findings`. */
    @api findings = [];

    get items() {
        const findings = Array.isArray(this.findings) ? [...this.findings] : [];
        findings.sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
        return findings.map((finding, index) => {
            const reason = SUSPENSION_REASONS[finding.reason];
            const look = SEVERITY_LOOK[finding.severity] || SEVERITY_LOOK.info;
            return {
                key: `${finding.reason}-${finding.subject}-${index}`,
                reason: finding.reason,
                reasonTitle: reason ? reason.titles.en : finding.reason,
                severity: finding.severity,
                severityLabel: look.label,
                severityClass: look.className,
                subject: finding.subject,
                message: finding.message,
                remedy: finding.remedy,
                rule: finding.rule || ''
            };
        });
    }

    get hasFindings() {
        return this.items.length > 0;
    }
}
