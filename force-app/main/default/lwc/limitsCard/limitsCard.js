import { LightningElement, api } from 'lwc';
import { formatNumber, percent, shareLabel } from 'c/syncDoctorUtils';
import { HUBSPOT_ALLOCATION_PLACE, limitRows, worstSeverityBySubject } from 'c/syncDoctorCore';

const HUBSPOT_APP = /hubspot/i;

/**
 * Org limits as bars: the org's API requests against Salesforce's daily maximum, what HubSpot's
 * connected app used of them and of the allocation the admin gave HubSpot, data and file storage.
 * A bar is red when the core reported an error about that limit, orange for a warning.
 */
export default class LimitsCard extends LightningElement {
    /** The core's `diagnosis.limits`: { name, used, max, ratio }[]. */
    @api limits = [];
    /** The core's `diagnosis.findings` (to colour the bars the core judged). */
    @api findings = [];
    /** The API calls per 24 hours HubSpot may use ("Allocated to HubSpot"), when known. */
    @api hubspotAllocation;

    /** The worst severity of the core's findings about each limit, by the core's order of severities. */
    get severityBySubject() {
        return worstSeverityBySubject(Array.isArray(this.findings) ? this.findings : []);
    }

    get bars() {
        const severities = this.severityBySubject;
        // The core's rows: a connected app without a quota of its own is its share of the org's
        // calls used, not "of" the org's maximum (as the CLI's Limits table and the findings say).
        const bars = limitRows(Array.isArray(this.limits) ? this.limits : []).map((row) => barOf(row, severities.get(row.name)));
        const hubspot = this.hubspotUsage;
        const allocation = Number(this.hubspotAllocation);
        if (hubspot && allocation > 0) {
            // A full bar turns red by itself: past its allocation HubSpot suspends the sync
            // (HUBSPOT_API_LIMIT_EXCEEDED). Any earlier warning threshold is the core's to judge.
            const after = bars.findIndex((bar) => bar.name === 'DailyApiRequests');
            bars.splice(
                after + 1,
                0,
                makeBar(
                    'HubSpotAllocation',
                    "HubSpot's API calls of its allocation (set in HubSpot)",
                    hubspot.used,
                    allocation,
                    '',
                    undefined
                )
            );
        }
        return bars;
    }

    /**
     * What HubSpot's connected app used of DailyApiRequests: the core lists each connected app
     * with a cap as 'DailyApiRequests.<app>'. Without one, Salesforce does not say (Max 0).
     */
    get hubspotUsage() {
        const entry = (Array.isArray(this.limits) ? this.limits : []).find(
            (limit) => limit.name.startsWith('DailyApiRequests.') && HUBSPOT_APP.test(limit.name)
        );
        return entry ? { used: entry.used } : null;
    }

    get hasBars() {
        return this.bars.length > 0;
    }

    get allocationUnknown() {
        return !(Number(this.hubspotAllocation) > 0);
    }

    /**
     * Where "Allocated to HubSpot" is changed, in the core's words (the plan's steps and the limit
     * findings name the same place): the card named the allocation without saying where it is set.
     */
    get allocationUnknownText() {
        return `HubSpot's own API allocation ("Allocated to HubSpot") is set in ${HUBSPOT_ALLOCATION_PLACE}; Salesforce cannot read it.`;
    }

    get allocationPlaceText() {
        return `"Allocated to HubSpot" is changed in ${HUBSPOT_ALLOCATION_PLACE}.`;
    }
}

/** A bar from the core's limit row (limitRows): its amount, share and fill as the core words them. */
function barOf(row, severity) {
    const value = Math.min(100, Math.max(0, Math.round(row.ratio * 1000) / 10));
    // A share of the org's calls used is no limit reached, even at 100%: only the core's findings colour it.
    return styledBar(row.name, row.label, value, row.amount, row.share, severity, row.basis === 'max');
}

function makeBar(name, label, used, max, unit, severity) {
    const value = percent(used, max);
    const amount = `${formatNumber(used)}${unit} of ${formatNumber(max)}${unit}`;
    // The bar stops at 100%, the number does not: storage past its limit reads '100.5%', not '100%'
    // (the core's shareLabel, as the CLI and the report print it).
    const shown = max > 0 && Number.isFinite(used) ? shareLabel(used / max) : `${value}%`;
    return styledBar(name, label, value, amount, shown, severity);
}

function styledBar(name, label, value, amount, shown, severity, fullIsError = true) {
    let fillClass = 'slds-progress-bar__value';
    let state = 'ok';
    if (severity === 'error') {
        fillClass += ' sd-fill_error';
        state = 'error';
    } else if (severity === 'warning') {
        fillClass += ' sd-fill_warning';
        state = 'warning';
    } else if (fullIsError && value >= 100) {
        fillClass += ' sd-fill_error';
        state = 'error';
    }
    return {
        name,
        label,
        amount,
        percentText: shown,
        ariaValueText: `${label}: ${amount} (${shown})`,
        value,
        state,
        fillClass,
        fillStyle: `width: ${value}%`
    };
}
