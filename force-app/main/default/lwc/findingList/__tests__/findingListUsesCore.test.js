import { createElement } from 'lwc';
import FindingList from 'c/findingList';
import { groupFindings, ruleLabel } from 'c/syncDoctorCore';
import { resetDOM } from 'test-utils';

// groupFindings is the core's one grouping of findings (the CLI and the verdict use it too): the
// card must draw the groups, their order and their headings as it returns them, never its own.
jest.mock('c/syncDoctorCore', () => {
    const actual = jest.requireActual('c/syncDoctorCore');
    return { ...actual, groupFindings: jest.fn(actual.groupFindings), ruleLabel: jest.fn((id) => `Core label of ${id}`) };
});

const finding = (reason, severity, subject) => ({ reason, severity, subject, message: `${subject}.`, remedy: 'Fix it.' });
const findings = [
    finding('OBJECT_PERMISSIONS_MISSING', 'error', 'Contact'),
    finding('API_LIMIT_EXCEEDED', 'warning', 'DailyApiRequests'),
    finding('FIELD_PERMISSIONS_MISSING', 'error', 'Contact.Email')
];

function mount() {
    const element = createElement('c-finding-list', { is: FindingList });
    element.findings = findings;
    document.body.appendChild(element);
    return element;
}

const headings = (element) =>
    [...element.shadowRoot.querySelectorAll('[data-id="finding-group-toggle"] strong')].map((strong) => strong.textContent);

afterEach(() => {
    resetDOM();
    groupFindings.mockClear();
});

describe("c-finding-list groups with the core's groupFindings", () => {
    it("asks the core for the groups of the findings it was given and shows the core's", () => {
        const element = mount();
        expect(groupFindings).toHaveBeenCalledWith(findings);
        expect(headings(element)).toEqual(groupFindings.mock.results[0].value.map((group) => group.title));
    });

    it('draws the order and the headings the core returns, whatever they are', () => {
        const actual = jest.requireActual('c/syncDoctorCore');
        groupFindings.mockImplementation((list) =>
            actual
                .groupFindings(list)
                .reverse()
                .map((group) => ({ ...group, title: `Core says: ${group.code}` }))
        );
        const element = mount();
        expect(headings(element)).toEqual([
            'Core says: API_LIMIT_EXCEEDED',
            'Core says: FIELD_PERMISSIONS_MISSING',
            'Core says: OBJECT_PERMISSIONS_MISSING'
        ]);
        // The first group the core gives is the one open.
        const groups = [...element.shadowRoot.querySelectorAll('[data-id="finding-group"]')];
        expect(groups.map((group) => group.querySelectorAll('[data-id="finding"]').length)).toEqual([1, 0, 0]);
        groupFindings.mockImplementation(actual.groupFindings);
    });
});

describe("c-finding-list names rules with the core's ruleLabel", () => {
    it("shows the core's label of the finding's rule", () => {
        const element = createElement('c-finding-list', { is: FindingList });
        element.findings = [{ ...findings[0], rule: 'object-permissions' }];
        document.body.appendChild(element);
        expect(ruleLabel).toHaveBeenCalledWith('object-permissions');
        expect(element.shadowRoot.querySelector('[data-id="finding-rule"]').textContent).toBe('Rule: Core label of object-permissions');
    });
});
