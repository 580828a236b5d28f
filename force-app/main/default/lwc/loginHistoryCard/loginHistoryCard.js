import { LightningElement, api } from 'lwc';
import { LOGIN_HISTORY_DAYS, LOGIN_HISTORY_LIMIT, loginSilenceText, minute, salesforceTime } from 'c/syncDoctorCore';
import { formatNumber } from 'c/syncDoctorUtils';

/**
 * HubSpot's logins as the integration user (the core's `diagnosis.logins`): when it last got in,
 * since when Salesforce refuses it, and with which statuses from which addresses. Permissions can
 * be perfect while Salesforce refuses the login itself (Login IP Ranges, Login Hours, a lockout).
 * Absent when Login History was not read: it needs Manage Users or Monitor Login History, which Sync Doctor does not grant.
 */
export default class LoginHistoryCard extends LightningElement {
    /** The core's LoginSummary: { days, attempts, otherApplications, lastAttemptAt, lastSuccessAt, failingSince, failures, stopped? }. */
    @api logins;

    get summary() {
        return this.logins && typeof this.logins === 'object' ? this.logins : null;
    }

    get wasRead() {
        return this.summary !== null;
    }

    /** The summary's window, or the one the core reads (LOGIN_HISTORY_DAYS) when it does not say. */
    get days() {
        return this.summary && this.summary.days > 0 ? this.summary.days : LOGIN_HISTORY_DAYS;
    }

    get title() {
        return `HubSpot's logins (last ${this.days} days)`;
    }

    /** The window in words, as the findings say it ('in the last 7 days'), not 'this window'. */
    get daysText() {
        return `the last ${this.days} days`;
    }

    get hasAttempts() {
        return this.wasRead && this.summary.attempts > 0;
    }

    /**
     * How many attempts, over which window, and how many Salesforce refused: "168 attempts" alone
     * said neither, beside a table of 6 refusals. At the core's row cap (LOGIN_HISTORY_LIMIT, newest
     * first) the window holds more than were read: they are the latest ones, not all of them.
     */
    get attemptsText() {
        const count = this.summary.attempts;
        const groups = Array.isArray(this.summary.failures) ? this.summary.failures : [];
        const refused = groups.reduce((sum, group) => sum + (Number.isFinite(group.count) ? group.count : 0), 0);
        const noun = `login ${count === 1 ? 'attempt' : 'attempts'} by HubSpot (or with no Application in Login History)`;
        const counted =
            count >= LOGIN_HISTORY_LIMIT
                ? `The latest ${formatNumber(count)} ${noun} in ${this.daysText} (Sync Doctor reads no more)`
                : `${formatNumber(count)} ${noun} in ${this.daysText}`;
        if (refused === 0) return `${counted}, ${count === 1 ? 'let in' : 'all let in'}.`;
        return `${counted}: ${formatNumber(refused)} refused, ${formatNumber(count - refused)} let in.`;
    }

    get lastSuccessAt() {
        return isoTime(this.summary.lastSuccessAt);
    }

    /**
     * '2026-12-01 15:12 UTC': the core's `minute`, the one format of the findings, the CLI and the
     * report, so the card's times read as theirs do (the locale's "Dec 1, 2026, 03:12 PM UTC" did not).
     */
    get lastSuccessText() {
        return timeText(this.summary.lastSuccessAt);
    }

    /**
     * The last success as a timestamp, for lightning-relative-date-time ("20 hours ago", kept
     * current), which takes a Date or a number, not the ISO text; null when it is no time.
     */
    get lastSuccessTime() {
        const time = this.lastSuccessAt ? Date.parse(this.lastSuccessAt) : NaN;
        return Number.isNaN(time) ? null : time;
    }

    /**
     * "No login for 20 hours, while HubSpot logged in about every hour: its sync has stopped.", in
     * the core's words, when the core judged the silence a stop (LoginSummary.stopped): the time
     * of the last login and "20 hours ago" alone did not say that HubSpot usually logs in hourly.
     */
    get stoppedText() {
        const stopped = this.summary.stopped;
        return stopped && typeof stopped === 'object' ? loginSilenceText(stopped) : '';
    }

    get failingSince() {
        return isoTime(this.summary.failingSince);
    }

    get failingSinceText() {
        return timeText(this.summary.failingSince);
    }

    get failures() {
        const groups = Array.isArray(this.summary.failures) ? this.summary.failures : [];
        return groups.map((group) => ({
            key: group.status,
            status: group.status,
            cause: group.cause,
            count: formatNumber(group.count),
            lastAt: timeText(group.lastAt),
            // One address a line: a list of three wraps at its commas in a narrow column.
            sourceIps: Array.isArray(group.sourceIps) ? group.sourceIps : [],
            hasIps: Array.isArray(group.sourceIps) && group.sourceIps.length > 0
        }));
    }

    get hasFailures() {
        return this.failures.length > 0;
    }

    get othersText() {
        const others = this.wasRead ? this.summary.otherApplications : 0;
        if (!(others > 0)) return '';
        return `${formatNumber(others)} ${others === 1 ? 'attempt' : 'attempts'} by other applications (a browser, Data Loader) left out: they are not HubSpot's.`;
    }
}

/** A Salesforce time in the core's words ('2026-11-29 09:31 UTC'); '' when there is none. */
function timeText(value) {
    return typeof value === 'string' && value ? minute(value) : '';
}

/**
 * Salesforce writes '2026-11-29T09:31:12.000+0000'; lightning-formatted-date-time and every browser
 * read '2026-11-29T09:31:12.000Z'. Null stays null; text that is no time is passed on unchanged.
 */
export function isoTime(value) {
    if (typeof value !== 'string' || !value) return null;
    const time = salesforceTime(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
}
