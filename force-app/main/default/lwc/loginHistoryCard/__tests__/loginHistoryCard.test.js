import { createElement } from 'lwc';
import LoginHistoryCard, { isoTime } from 'c/loginHistoryCard';
import { LOGIN_HISTORY_LIMIT } from 'c/syncDoctorCore';
import { byId, resetDOM } from 'test-utils';

const { refused, recovered, healthy, none, neverSucceeded } = require('./data/logins.json');

function mount(logins) {
    const element = createElement('c-login-history-card', { is: LoginHistoryCard });
    element.logins = logins;
    document.body.appendChild(element);
    return element;
}

/** The refused-logins table as the admin reads it: its header and its rows' cells. */
function failureTable(element) {
    const table = element.shadowRoot.querySelector('table');
    if (!table) return null;
    return {
        headers: [...table.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), th.textContent.trim()]),
        rows: [...table.querySelectorAll('[data-id="login-failure"]')].map((row) => ({
            status: row.querySelector('th[scope="row"]').textContent.trim(),
            cause: row.dataset.cause,
            cells: [...row.querySelectorAll('td:not([data-id="login-failure-from"])')].map((td) => td.textContent.trim()),
            // The addresses, one a line, or the word Unknown.
            from: row.querySelector('[data-id="login-failure-from"] ul')
                ? [...row.querySelectorAll('[data-id="login-failure-from"] li')].map((li) => li.textContent)
                : row.querySelector('[data-id="login-failure-from"]').textContent.trim()
        }))
    };
}

afterEach(resetDOM);

describe('c-login-history-card', () => {
    it('says since when Salesforce refuses HubSpot, in the error style, and with which status from where', async () => {
        const element = mount(refused);
        expect(element.shadowRoot.querySelector('h2').textContent).toBe("HubSpot's logins (last 7 days)");
        const since = byId(element, 'logins-refused-since');
        // A space between the words and the time, or the page reads "Refused sinceNov 28".
        expect(since.textContent).toContain('Refused since\u00a0');
        expect(since.classList.contains('slds-text-color_error')).toBe(true);
        // Salesforce's '+0000' in the core's words (its `minute`), as the findings give times.
        expect(since.textContent.trim()).toBe('Refused since\u00a02026-11-28 23:05 UTC');
        expect(byId(element, 'logins-last-success').textContent).toContain('Last successful login:\u00a02026-11-28 22:05 UTC');
        expect(failureTable(element)).toEqual({
            headers: [
                ['col', 'Refused with'],
                ['col', 'Times'],
                ['col', 'Last at'],
                ['col', 'From']
            ],
            rows: [
                {
                    status: 'Restricted IP',
                    cause: 'ip-range',
                    cells: ['11', '2026-11-29 09:31 UTC'],
                    from: ['54.174.60.10', '54.174.60.11']
                },
                { status: 'Invalid Password', cause: 'password', cells: ['1', '2026-11-27 14:00 UTC'], from: 'Unknown' }
            ]
        });
        // Over which window, and how many of them the table's refusals are (11 + 1).
        expect(byId(element, 'logins-attempts').textContent).toBe(
            '14 login attempts by HubSpot (or with no Application in Login History) in the last 7 days: 12 refused, 2 let in.'
        );
        await expect(element).toBeAccessible();
    });

    it("notes the other applications' attempts that were left out", () => {
        expect(byId(mount(refused), 'logins-others').textContent).toBe(
            "3 attempts by other applications (a browser, Data Loader) left out: they are not HubSpot's."
        );
        resetDOM();
        expect(byId(mount(recovered), 'logins-others')).toBeNull();
    });

    it('lists refusals of a login that works again, without "Refused since"', () => {
        const element = mount(recovered);
        expect(byId(element, 'logins-refused-since')).toBeNull();
        expect(failureTable(element).rows.map((row) => row.status)).toEqual(['Restricted Time']);
        expect(byId(element, 'logins-last-success').textContent).toContain('2026-11-29 09:00 UTC');
    });

    it('says how long ago the last successful login was, beside its date (a sync stopped for hours showed a date and "all let in")', () => {
        const element = mount(recovered);
        const ago = byId(element, 'logins-last-success-ago');
        expect(ago).not.toBeNull();
        // lightning-relative-date-time takes a Date or a timestamp: ISO text fails its check and shows nothing.
        expect(ago.querySelector('lightning-relative-date-time').value).toBe(Date.parse('2026-11-29T09:00:00.000Z'));
        expect(ago.textContent).toBe(' ()');
        expect(byId(element, 'logins-last-success').contains(ago)).toBe(true);
    });

    it("says the sync stopped, in the core's words, when the core judged the silence a stop", async () => {
        const element = mount({
            ...healthy,
            stopped: { lastLoginAt: healthy.lastSuccessAt, silentForMs: 20 * 3_600_000, usualGapMs: 56 * 60_000 }
        });
        const stopped = byId(element, 'logins-stopped');
        expect(stopped.textContent).toBe('No login for 20 hours, while HubSpot logged in about every hour: its sync has stopped.');
        expect(stopped.classList.contains('slds-text-color_error')).toBe(true);
        // Beside the last login and how long ago it was, which alone did not say the sync stopped.
        expect(byId(element, 'logins-last-success-ago')).not.toBeNull();
        await expect(element).toBeAccessible();
        resetDOM();
        expect(byId(mount(healthy), 'logins-stopped')).toBeNull();
    });

    it("gives every time in the core's format, as the findings, the CLI and the report do ('2026-11-29 09:31 UTC')", () => {
        const element = mount(refused);
        // Not the locale's "Nov 29, 2026, 09:31 AM UTC" beside a finding's "2026-11-29 09:31 UTC".
        expect(element.shadowRoot.querySelectorAll('lightning-formatted-date-time')).toHaveLength(0);
        const text = element.shadowRoot.textContent;
        expect(text.match(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g)).toEqual([
            '2026-11-28 23:05 UTC',
            '2026-11-28 22:05 UTC',
            '2026-11-29 09:31 UTC',
            '2026-11-27 14:00 UTC'
        ]);
    });

    it('says the attempts are only the latest ones when the core read as many rows as it reads', () => {
        const element = mount({ ...refused, attempts: LOGIN_HISTORY_LIMIT });
        expect(byId(element, 'logins-attempts').textContent).toBe(
            `The latest ${LOGIN_HISTORY_LIMIT} login attempts by HubSpot (or with no Application in Login History) in the last 7 days (Sync Doctor reads no more): 12 refused, ${LOGIN_HISTORY_LIMIT - 12} let in.`
        );
    });

    it('shows no table when every login succeeded', async () => {
        const element = mount(healthy);
        expect(failureTable(element)).toBeNull();
        expect(byId(element, 'logins-refused-since')).toBeNull();
        expect(byId(element, 'logins-attempts').textContent).toBe(
            '168 login attempts by HubSpot (or with no Application in Login History) in the last 7 days, all let in.'
        );
        await expect(element).toBeAccessible();
    });

    it('says when no login succeeded in the window', () => {
        const element = mount(neverSucceeded);
        expect(byId(element, 'logins-last-success').textContent).toContain('Last successful login:\u00a0none in the last 7 days');
        expect(byId(element, 'logins-last-success').textContent).not.toMatch(/UTC/);
        expect(byId(element, 'logins-last-success-ago')).toBeNull();
        expect(byId(element, 'logins-refused-since').textContent.trim()).toBe('Refused since\u00a02026-11-26 09:00 UTC');
    });

    it('says when HubSpot did not try to log in at all', () => {
        const element = mount(none);
        expect(byId(element, 'logins-none').textContent).toBe('HubSpot did not try to log in as this user in the last 7 days.');
        expect(byId(element, 'logins-last-success')).toBeNull();
        expect(byId(element, 'logins-others').textContent).toContain('2 attempts by other applications');
    });

    it('says the login history was not read, and why, when the diagnosis has none', async () => {
        for (const logins of [undefined, null]) {
            const element = mount(logins);
            expect(element.shadowRoot.querySelector('h2').textContent).toBe("HubSpot's logins (last 7 days)");
            expect(byId(element, 'logins-not-read').textContent).toContain(
                'Login history not read: it needs the Manage Users or Monitor Login History permission'
            );
            expect(byId(element, 'logins-none')).toBeNull();
            // eslint-disable-next-line no-await-in-loop
            await expect(element).toBeAccessible();
            document.body.removeChild(element);
        }
    });

    it("reads Salesforce's times with or without a colon in the offset, and leaves others alone", () => {
        expect(isoTime('2026-11-29T09:31:12.000+0000')).toBe('2026-11-29T09:31:12.000Z');
        expect(isoTime('2026-11-29T10:31:12.000+0100')).toBe('2026-11-29T09:31:12.000Z');
        expect(isoTime('2026-11-29T09:31:12Z')).toBe('2026-11-29T09:31:12.000Z');
        expect(isoTime(null)).toBeNull();
        expect(isoTime('')).toBeNull();
        expect(isoTime('yesterday')).toBe('yesterday');
    });
});
