import { createElement } from 'lwc';
import FindingList from 'c/findingList';
import { SUSPENSION_REASONS } from 'c/syncDoctorCore';

const findings = require('./data/findings.json');

function mount(props) {
    const element = createElement('c-finding-list', { is: FindingList });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-finding-list', () => {
    it('lists errors first, then warnings, then notes', async () => {
        const element = mount({ findings });
        const items = [...element.shadowRoot.querySelectorAll('[data-id="finding"]')];
        expect(items.map((item) => item.dataset.severity)).toEqual(['error', 'warning', 'info']);
        await expect(element).toBeAccessible();
    });

    it("names HubSpot's suspension reason from the core's catalog, with message, remedy and rule", () => {
        const element = mount({ findings });
        const contact = element.shadowRoot.querySelector('[data-id="finding"][data-subject="Contact"]');
        expect(contact.dataset.reason).toBe('OBJECT_PERMISSIONS_MISSING');
        expect(contact.textContent).toContain(SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en);
        expect(contact.textContent).toContain('The integration user cannot edit Contact records.');
        expect(contact.textContent).toContain('Grant Edit on Contact.');
        const api = element.shadowRoot.querySelector('[data-subject="DailyApiRequests"]');
        expect(api.textContent).toContain('Rule: Salesforce refuses every call at 100%.');
    });

    it('says so when there is nothing to report', async () => {
        const element = mount({ findings: [] });
        expect(element.shadowRoot.querySelector('[data-id="finding-none"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
