import { createElement } from 'lwc';
import LimitsCard from 'c/limitsCard';
import { resetDOM } from 'test-utils';
import { worstSeverityBySubject } from 'c/syncDoctorCore';

// Where "Allocated to HubSpot" is changed is the core's to say (its plan steps and limit findings
// name the same place): a core that names it otherwise is followed here too, not a copy of its words.
// Which finding about a limit is the worst is the core's rule too (worstSeverityBySubject), not a
// ranking of the card's own.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    return {
        ...actual,
        HUBSPOT_ALLOCATION_PLACE: 'the place the core names',
        worstSeverityBySubject: jest.fn(actual.worstSeverityBySubject)
    };
});

const limits = [
    { name: 'DailyApiRequests', used: 23458, max: 100000, ratio: 0.23458 },
    { name: 'DailyApiRequests.HubSpot', used: 18210, max: 100000, ratio: 0.1821 }
];

function mount(props) {
    const element = createElement('c-limits-card', { is: LimitsCard });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

describe('c-limits-card uses the core', () => {
    afterEach(() => resetDOM());

    it('says where "Allocated to HubSpot" is set, in the core\'s words, when the allocation is unknown', () => {
        const element = mount({ limits, findings: [] });
        expect(element.shadowRoot.querySelector('[data-id="limits-allocation-unknown"]').textContent).toBe(
            'HubSpot\'s own API allocation ("Allocated to HubSpot") is set in the place the core names; Salesforce cannot read it.'
        );
    });

    it("colours each bar by the core's worst severity of the findings about its limit", () => {
        const findings = [{ subject: 'DailyApiRequests', severity: 'info' }];
        worstSeverityBySubject.mockReturnValue(new Map([['DailyApiRequests', 'warning']]));
        const element = mount({ limits, findings });
        const bar = element.shadowRoot.querySelector('[data-limit="DailyApiRequests"]');
        expect(worstSeverityBySubject).toHaveBeenCalledWith(findings);
        expect(bar.dataset.state).toBe('warning');
        worstSeverityBySubject.mockImplementation(jest.requireActual('c/syncDoctorCore').worstSeverityBySubject);
    });

    it('says where to change it beside the allocation bar when it is known', () => {
        const element = mount({ limits, findings: [], hubspotAllocation: 50000 });
        expect(element.shadowRoot.querySelector('[data-id="limits-allocation-place"]').textContent).toBe(
            '"Allocated to HubSpot" is changed in the place the core names.'
        );
    });
});
