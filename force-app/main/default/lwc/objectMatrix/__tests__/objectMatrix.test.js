import { createElement } from 'lwc';
import ObjectMatrix from 'c/objectMatrix';
import { flush, resetDOM } from 'test-utils';

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

afterEach(resetDOM);

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

    it('stacks below the medium breakpoint, each cell labelled with its column', () => {
        const element = mount({ objects, findings });
        const table = element.shadowRoot.querySelector('table');
        // A narrow window (SLDS's media query), or a narrow region of a wide page (c/tableStyles'
        // container query on the region around the table: jsdom lays nothing out, the preview's
        // browser tests check the layout).
        expect(table.classList).toContain('slds-max-medium-table_stacked-horizontal');
        expect(table.classList).toContain('sd-table');
        expect(table.parentElement.classList).toContain('sd-table-region');
        const headings = [...element.shadowRoot.querySelectorAll('th[scope="col"]')].map((th) => th.textContent);
        const rows = element.shadowRoot.querySelectorAll('[data-id="object-row"]');
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect([...row.querySelectorAll('td')].map((td) => td.dataset.label)).toEqual(headings.slice(1));
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

    it('names the lookups reaching an object once, as one phrase (never "lookup from X; lookup from Y")', () => {
        const household = objects.find((object) => object.name === 'Household__c');
        const twice = {
            ...household,
            reachedBy: ['lookup from Contact.Household__c', 'lookup from Lead.Household__c', 'lookup from Contact.Household__c']
        };
        const element = mount({ objects: [twice], findings });
        const row = element.shadowRoot.querySelector('[data-object="Household__c"]');
        expect(row.textContent).toContain('lookups from Contact.Household__c and Lead.Household__c');
        expect(row.textContent).not.toContain(';');
    });

    it('shows an object the org does not have as such, not as rights nothing grants (as the CLI does)', async () => {
        // As the core judges a mapped field of an object the org lacks (Widget__c.Score__c): one
        // FIELD_MAPPINGS_MISSING finding, no missing rights, exists false.
        const widget = {
            name: 'Widget__c',
            required: ['read', 'edit'],
            effective: { read: false, create: false, edit: false, delete: false, viewAll: false, modifyAll: false },
            grantedBy: [],
            rule: 'object-does-not-exist',
            missing: [],
            exists: false,
            note: 'The object does not exist in this org.',
            reachedBy: ['mapped field Widget__c.Score__c (edit)']
        };
        const lead = objects.find((object) => object.name === 'Lead');
        const element = mount({ objects: [lead, widget], findings: [] });
        const row = element.shadowRoot.querySelector('[data-object="Widget__c"]');
        expect(row.dataset.missing).toBe('0');
        expect(cells(element, 'Widget__c')).toEqual({
            read: 'absent',
            create: 'none',
            edit: 'absent',
            delete: 'none',
            viewAll: 'none',
            modifyAll: 'none'
        });
        expect(row.querySelector('[data-access="read"] .slds-assistive-text').textContent).toBe('Object not in the org');
        expect(row.textContent).toContain('Not in the org');
        expect(row.textContent).not.toContain('Nothing grants it');
        expect(row.querySelector('[data-id="object-note"]').textContent).toBe('The object does not exist in this org.');
        // Reached by a mapped field, not by a lookup.
        expect(row.textContent).not.toContain('via lookup');
        expect(row.textContent).toContain('mapped field Widget__c.Score__c (edit)');
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-summary"]').textContent).toBe(
            '1 required object is not in the org.'
        );
        await expect(element).toBeAccessible();
    });

    it('shows rights the core could not judge as "check by hand", not as missing', () => {
        const task = {
            name: 'Task',
            required: ['read', 'create', 'edit'],
            effective: { read: true, create: false, edit: false, delete: false, viewAll: false, modifyAll: false },
            grantedBy: ['Every user (activities on records it can see)'],
            rule: 'task-edit-tasks',
            note: 'Not judged: this org\'s API does not expose "Edit Tasks" (PermissionSet has no PermissionsEditTask column), which governs Create and Edit.'
        };
        const element = mount({ objects: [task], findings: [] });
        expect(cells(element, 'Task')).toMatchObject({ read: 'granted', create: 'unknown', edit: 'unknown' });
        expect(element.shadowRoot.querySelector('[data-object="Task"]').dataset.missing).toBe('0');
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-summary"]').textContent).toBe(
            '2 required object rights could not be judged: check by hand.'
        );
        expect(element.shadowRoot.querySelector('[data-object="Task"] [data-id="object-note"]').textContent).toContain('Not judged');
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

describe('c-object-matrix revealObject (a finding links to the row that proves it)', () => {
    let scrollIntoView;
    beforeEach(() => {
        // jsdom lays nothing out and has no scrollIntoView.
        scrollIntoView = jest.fn();
        Element.prototype.scrollIntoView = scrollIntoView;
    });
    afterEach(() => {
        delete Element.prototype.scrollIntoView;
    });

    const row = (element, name) => element.shadowRoot.querySelector(`[data-id="object-row"][data-object="${name}"]`);

    it('scrolls the row to the middle of the view, highlights it and moves the focus to it', async () => {
        const element = mount({ objects, findings });
        expect(element.revealObject('Household__c')).toBe(true);
        await flush();
        const household = row(element, 'Household__c');
        expect(element.shadowRoot.activeElement).toBe(household);
        expect(household.getAttribute('tabindex')).toBe('-1');
        expect(household.classList).toContain('sd-row_revealed');
        expect(row(element, 'Contact').classList).not.toContain('sd-row_revealed');
        expect(scrollIntoView).toHaveBeenCalledTimes(1);
        expect(scrollIntoView.mock.instances[0]).toBe(household);
        expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
        await expect(element).toBeAccessible();
    });

    it('moves the highlight to the next row revealed, and replays it when the same row is revealed again', async () => {
        const element = mount({ objects, findings });
        element.revealObject('Contact');
        await flush();
        const first = [...row(element, 'Contact').classList].find((name) => /^sd-row_revealed-/.test(name));
        // The failing row keeps its red mark beside the highlight.
        expect(row(element, 'Contact').classList).toContain('sd-row_missing');
        // The same row again (the admin clicked the finding's link twice): another animation name replays the flash.
        element.shadowRoot.activeElement.blur();
        element.revealObject('Contact');
        await flush();
        const again = [...row(element, 'Contact').classList].find((name) => /^sd-row_revealed-/.test(name));
        expect(again).toBeDefined();
        expect(again).not.toBe(first);
        expect(element.shadowRoot.activeElement).toBe(row(element, 'Contact'));
        element.revealObject('Lead');
        await flush();
        expect(row(element, 'Contact').classList).not.toContain('sd-row_revealed');
        expect(row(element, 'Lead').classList).toContain('sd-row_revealed');
        expect(element.shadowRoot.activeElement).toBe(row(element, 'Lead'));
    });

    it('answers false and moves nothing for an object it has no row for', async () => {
        const element = mount({ objects, findings });
        expect(element.revealObject('Contact.Email')).toBe(false);
        expect(element.revealObject('contact')).toBe(false);
        expect(element.revealObject(undefined)).toBe(false);
        expect(mount({ objects: [], findings: [] }).revealObject('Contact')).toBe(false);
        await flush();
        expect(element.shadowRoot.activeElement).toBeNull();
        expect(element.shadowRoot.querySelector('.sd-row_revealed')).toBeNull();
        expect(scrollIntoView).not.toHaveBeenCalled();
    });
});

describe('c-object-matrix links to the findings under a row', () => {
    it('sends showfinding with the finding of the link, when the page has a Findings card', async () => {
        const element = mount({ objects, findings, findingLinks: true });
        const handler = jest.fn();
        element.addEventListener('showfinding', handler);
        const link = row(element, 'Contact').querySelector('[data-id="object-finding-link"]');
        expect(link.textContent).toBe('Show in Findings: Contact');
        link.click();
        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toEqual({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            subject: 'Contact',
            message: 'The integration user cannot edit Contact records.'
        });
        await expect(element).toBeAccessible();
    });

    it('lists the findings as text without a Findings card', () => {
        const element = mount({ objects, findings });
        expect(element.shadowRoot.querySelector('[data-id="object-finding-link"]')).toBeNull();
        expect(row(element, 'Contact').querySelector('[data-id="object-problem"]').textContent).toBe(
            'The integration user cannot edit Contact records.'
        );
    });

    function row(element, name) {
        return element.shadowRoot.querySelector(`[data-id="object-row"][data-object="${name}"]`);
    }
});
