import { createElement } from 'lwc';
import ObjectMatrix from 'c/objectMatrix';

const { objects, findings } = require('./data/objects.json');

function mount(props) {
    const element = createElement('c-object-matrix', { is: ObjectMatrix });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

function cells(element, objectName) {
    const row = element.shadowRoot.querySelector(`[data-id="object-row"][data-object="${objectName}"]`);
    return Object.fromEntries(
        [...row.querySelectorAll('[data-id="object-cell"]')].map((cell) => [cell.dataset.access, cell.dataset.state])
    );
}

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-object-matrix', () => {
    it('shows one row per object with required against effective in six columns', async () => {
        const element = mount({ objects, findings });
        const rows = [...element.shadowRoot.querySelectorAll('[data-id="object-row"]')].map((row) => row.dataset.object);
        expect(rows).toEqual(['Contact', 'Lead', 'Household__c']);
        expect(cells(element, 'Contact')).toEqual({
            read: 'granted',
            create: 'granted',
            edit: 'missing',
            delete: 'none',
            viewAll: 'none',
            modifyAll: 'none'
        });
        // Rights granted without being required are shown too, but not as a requirement.
        expect(cells(element, 'Lead').delete).toBe('extra');
        const headers = [...element.shadowRoot.querySelectorAll('thead th')].map((th) => th.textContent.trim());
        expect(headers).toEqual(['Object', 'Read', 'Create', 'Edit', 'Delete', 'View All', 'Modify All', 'Granted by']);
        await expect(element).toBeAccessible();
    });

    it('counts the missing rights and names what grants the others', () => {
        const element = mount({ objects, findings });
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-summary"]').textContent).toBe(
            '2 required object rights are missing.'
        );
        const contact = element.shadowRoot.querySelector('[data-object="Contact"]');
        expect(contact.dataset.missing).toBe('1');
        expect(contact.textContent).toContain('Profile: Minimum Access - API Only Integrations, HubSpot Integration Permissions');
        expect(contact.textContent).toContain('The integration user cannot edit Contact records.');
        expect(element.shadowRoot.querySelector('[data-object="Household__c"]').textContent).toContain('Nothing grants it');
    });

    it('marks objects reached by a lookup and says from where', () => {
        const element = mount({ objects, findings });
        const related = element.shadowRoot.querySelector('[data-object="Household__c"]');
        expect(related.textContent).toContain('via lookup');
        expect(related.textContent).toContain('lookup from Contact.Household__c');
        expect(element.shadowRoot.querySelector('[data-object="Lead"]').textContent).not.toContain('via lookup');
    });

    it('gives every cell a text for screen readers, not only a symbol', () => {
        const element = mount({ objects, findings });
        const edit = element.shadowRoot.querySelector('[data-object="Contact"] [data-access="edit"] .slds-assistive-text');
        expect(edit.textContent).toBe('Missing (required)');
    });

    it('says all is granted when nothing is missing', () => {
        const element = mount({ objects: objects.filter((object) => object.name === 'Lead'), findings: [] });
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-summary"]').textContent).toBe(
            'Every required object right is granted.'
        );
    });

    it('shows an empty state without objects', async () => {
        const element = mount({ objects: [], findings: [] });
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-empty"]')).not.toBeNull();
        expect(element.shadowRoot.querySelector('table')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
