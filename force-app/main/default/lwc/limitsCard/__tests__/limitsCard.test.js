import { createElement } from 'lwc';
import LimitsCard from 'c/limitsCard';
import { resetDOM } from 'test-utils';

const { limits, findings } = require('./data/limits.json');

function mount(props) {
    const element = createElement('c-limits-card', { is: LimitsCard });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function bars(element) {
    return Object.fromEntries(
        [...element.shadowRoot.querySelectorAll('[data-id="limit-bar"]')].map((bar) => {
            const progress = bar.querySelector('[role="progressbar"]');
            return [
                bar.dataset.limit,
                {
                    state: bar.dataset.state,
                    now: progress.getAttribute('aria-valuenow'),
                    text: progress.getAttribute('aria-valuetext'),
                    width: progress.firstChild.style.width
                }
            ];
        })
    );
}

afterEach(resetDOM);

describe('c-limits-card', () => {
    it('says how far past its limit a full storage is, with the bar stopping at 100%', async () => {
        const element = mount({
            limits: [{ name: 'DataStorageMB', used: 10792, max: 10740, ratio: 10792 / 10740 }],
            findings: []
        });
        const bar = bars(element).DataStorageMB;
        expect(bar.state).toBe('error');
        expect(bar.width).toBe('100%');
        expect(bar.now).toBe('100');
        expect(bar.text).toBe('Data storage: 10,792 MB of 10,740 MB (100.5%)');
        expect(element.shadowRoot.querySelector('.sd-amount').textContent).toBe('10,792 MB of 10,740 MB · 100.5%');
    });

    it('draws API requests, HubSpot app usage and storage as labelled bars', async () => {
        const element = mount({ limits, findings });
        const drawn = bars(element);
        expect(Object.keys(drawn)).toEqual(['DailyApiRequests', 'DailyApiRequests.HubSpot', 'DataStorageMB', 'FileStorageMB']);
        expect(drawn.DailyApiRequests.now).toBe('92');
        expect(drawn.DailyApiRequests.width).toBe('92%');
        expect(drawn.DailyApiRequests.text).toBe('API requests, last 24 hours (whole org): 92,000 of 100,000 (92%)');
        expect(drawn.FileStorageMB.text).toBe('File storage: 300 MB of 2,048 MB (14.6%)');
        await expect(element).toBeAccessible();
    });

    it("shows a connected app without a quota of its own as its share of the org's calls used, not of the org's maximum", () => {
        // Its Max is the org's (100,000): no quota of HubSpot's, as the finding's share says.
        const drawn = bars(mount({ limits, findings }));
        expect(drawn['DailyApiRequests.HubSpot'].text).toBe(
            "API requests of the connected app HubSpot: 41,000 of the org's 92,000 used (44.6%)"
        );
        expect(drawn['DailyApiRequests.HubSpot'].now).toBe('44.6');
        resetDOM();
        // A real per-app quota keeps "of Max".
        const own = limits.map((limit) => (limit.name === 'DailyApiRequests.HubSpot' ? { ...limit, max: 50000, ratio: 0.82 } : limit));
        expect(bars(mount({ limits: own, findings }))['DailyApiRequests.HubSpot'].text).toBe(
            'API requests of the connected app HubSpot: 41,000 of 50,000 (82%)'
        );
    });

    it('colours the bars the core judged: red for an error, orange for a warning', () => {
        const drawn = bars(mount({ limits, findings }));
        expect(drawn.DailyApiRequests.state).toBe('warning');
        expect(drawn.DataStorageMB.state).toBe('error');
        expect(drawn.FileStorageMB.state).toBe('ok');
    });

    it("adds HubSpot's allocation when it is known, red once HubSpot used it all", () => {
        let drawn = bars(mount({ limits, findings, hubspotAllocation: 50000 }));
        expect(drawn.HubSpotAllocation.now).toBe('82');
        expect(drawn.HubSpotAllocation.state).toBe('ok');
        resetDOM();
        drawn = bars(mount({ limits, findings, hubspotAllocation: 40000 }));
        expect(drawn.HubSpotAllocation.now).toBe('100');
        expect(drawn.HubSpotAllocation.state).toBe('error');
    });

    it("draws no allocation bar when Salesforce does not count HubSpot's calls apart", () => {
        const element = mount({
            limits: limits.filter((limit) => limit.name !== 'DailyApiRequests.HubSpot'),
            findings,
            hubspotAllocation: 10000
        });
        expect(bars(element).HubSpotAllocation).toBeUndefined();
        expect(Object.keys(bars(element))).toEqual(['DailyApiRequests', 'DataStorageMB', 'FileStorageMB']);
    });

    it('explains where HubSpot keeps its allocation when it is unknown', () => {
        const element = mount({ limits, findings });
        expect(element.shadowRoot.querySelector('[data-id="limits-allocation-unknown"]').textContent).toContain('set in HubSpot');
    });

    it('shows an empty state without limits', async () => {
        const element = mount({ limits: [], findings: [] });
        expect(element.shadowRoot.querySelector('[data-id="limits-empty"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
