import { LightningElement, api } from 'lwc';
import { CONNECTED_APPS_NOT_READ_MESSAGE, formatReport, LOGINS_NOT_READ_MESSAGE } from 'c/syncDoctorCore';
import { frozenNotRead } from 'c/syncDoctorUtils';

/**
 * "Copy report": the core's plain-text summary (the same text the CLI prints) for a support
 * ticket, copied to the clipboard. Where the clipboard is not available (older browsers, a
 * locked-down container, a refused permission), the text is shown selected in a text area.
 */
export default class CopyReport extends LightningElement {
    /** The core's diagnosis. */
    @api diagnosis;
    /** The snapshot it was computed from (org and user details in the report). */
    @api snapshot;
    /** The relayed suspension status, or null. */
    @api status;

    reportText = '';
    showFallback = false;
    message = '';

    get disabled() {
        return !this.diagnosis;
    }

    buildReport() {
        const context = { snapshot: this.snapshot || undefined, status: this.status || undefined };
        // The package's reader always tries Login History: without it, the admin may not read it.
        if (this.diagnosis && !this.diagnosis.logins) context.loginsNotRead = LOGINS_NOT_READ_MESSAGE;
        // IsFrozen is left out of the user when it was not read: the snapshot's frozenRead says why,
        // and the core words it under the integration user as the CLI does, so no frozen-user
        // finding passes for "not frozen".
        const frozen = this.diagnosis ? frozenNotRead(this.snapshot, 'the integration user') : null;
        if (frozen) context.frozenRead = frozen.frozenRead;
        // HubSpot's connected app is left out of the snapshot when the admin may not read it (the diagnosis does not say).
        if (this.diagnosis && this.snapshot && !this.snapshot.connectedApps) context.connectedAppsNotRead = CONNECTED_APPS_NOT_READ_MESSAGE;
        return formatReport(this.diagnosis, context);
    }

    async handleCopy() {
        if (!this.diagnosis) return;
        this.reportText = this.buildReport();
        const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
        if (clipboard && typeof clipboard.writeText === 'function') {
            try {
                await clipboard.writeText(this.reportText);
                this.showFallback = false;
                this.message = 'Report copied to the clipboard. Paste it into your support ticket.';
                return;
            } catch {
                // Refused or unavailable: fall through to the text area.
            }
        }
        this.openFallback();
    }

    openFallback() {
        this.showFallback = true;
        this.message = 'The clipboard is not available here: the report is selected below, copy it with Ctrl+C (⌘C on a Mac).';
        Promise.resolve().then(() => {
            const area = this.template.querySelector('[data-id="copy-report-text"]');
            if (area) {
                // A textarea's text is its value property (LWC rejects a value attribute on it).
                area.value = this.reportText;
                area.focus();
                area.select();
            }
        });
    }

    handleClose() {
        this.showFallback = false;
        this.message = '';
    }
}
