import { createElement } from 'lwc';
import ObjectMatrix from 'c/objectMatrix';
import { reachedBySentence } from 'c/syncDoctorCore';
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

    it('does not mark an object HubSpot syncs itself "via lookup" when lookups reach it too, and says they also do', () => {
        // As the core judges Account with the default requirements: asked for (read, create, edit),
        // so its rule is object-permissions, and Contact.AccountId and Opportunity.AccountId reach it.
        const account = {
            name: 'Account',
            required: ['read', 'create', 'edit'],
            effective: { read: true, create: true, edit: true, delete: false, viewAll: false, modifyAll: false },
            grantedBy: ['HubSpot Integration Permissions'],
            rule: 'object-permissions',
            reachedBy: ['lookup from Contact.AccountId', 'lookup from Opportunity.AccountId']
        };
        // Judged only because a lookup points at it: the core's lookup-target rule.
        const household = { ...objects.find((object) => object.name === 'Household__c'), rule: 'lookup-target-read' };
        // Not asked for, but with a mapped field of its own as well as a lookup to it.
        const invoice = {
            name: 'Invoice__c',
            required: ['read', 'edit'],
            effective: { read: true, create: false, edit: true, delete: false, viewAll: false, modifyAll: false },
            grantedBy: ['HubSpot Integration Permissions'],
            rule: 'object-permissions',
            reachedBy: ['mapped field Invoice__c.Amount__c (edit)', 'lookup from Contact.Invoice__c']
        };
        const element = mount({ objects: [account, household, invoice], findings: [] });
        const row = (name) => element.shadowRoot.querySelector(`[data-object="${name}"]`);
        expect(row('Account').querySelector('[data-id="object-via-lookup"]')).toBeNull();
        expect(row('Account').querySelector('[data-id="object-reached-by"]').textContent).toBe(
            'Also reached by lookups from Contact.AccountId and Opportunity.AccountId'
        );
        expect(row('Household__c').querySelector('[data-id="object-via-lookup"]').textContent).toBe('via lookup');
        expect(row('Household__c').querySelector('[data-id="object-reached-by"]').textContent).toBe('lookup from Contact.Household__c');
        expect(row('Invoice__c').querySelector('[data-id="object-via-lookup"]')).toBeNull();
        expect(row('Invoice__c').querySelector('[data-id="object-reached-by"]').textContent).toBe(
            'mapped field Invoice__c.Amount__c (edit); lookup from Contact.Invoice__c'
        );
    });

    it('names the first three of many lookups and how many more, the whole list on demand', async () => {
        const reachedBy = Array.from({ length: 30 }, (_, i) => `lookup from Custom_Object_${String(i + 1).padStart(3, '0')}__c.Contact__c`);
        const contact = { ...objects[0], rule: 'object-permissions', reachedBy };
        const element = mount({ objects: [contact], findings: [] });
        const row = element.shadowRoot.querySelector('[data-object="Contact"]');
        const text = () => row.querySelector('[data-id="object-reached-by"]').firstChild.textContent;
        expect(text()).toBe(
            'Also reached by lookups from Custom_Object_001__c.Contact__c, Custom_Object_002__c.Contact__c, Custom_Object_003__c.Contact__c and 27 more'
        );
        // Once in the row: no tooltip repeats the thirty.
        expect(row.innerHTML.match(/Custom_Object_030__c/g)).toBeNull();
        const toggle = row.querySelector('[data-id="object-reached-by-toggle"]');
        expect(toggle.getAttribute('aria-expanded')).toBe('false');
        expect(toggle.textContent).toBe('Show all 30: what reaches Contact');
        toggle.click();
        await flush();
        expect(text()).toContain('Custom_Object_029__c.Contact__c and Custom_Object_030__c.Contact__c');
        expect(text().match(/Custom_Object_\d+__c/g)).toHaveLength(30);
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        expect(toggle.textContent).toBe('Show fewer: what reaches Contact');
        toggle.click();
        await flush();
        expect(text()).toContain('and 27 more');
        await expect(element).toBeAccessible();
    });

    it("leaves out of the finding under a row the core's sentence naming every source again, which the row names", async () => {
        const reachedBy = Array.from({ length: 30 }, (_, i) => `lookup from Custom_Object_${String(i + 1).padStart(3, '0')}__c.Contact__c`);
        const contact = { ...objects[0], rule: 'object-permissions', reachedBy };
        // The core's finding ends with its own sentence, naming the first three sources.
        const message = `'hubspot.integration@acme.example' cannot Create and Edit Contact records (it has Read).${reachedBySentence('Contact', reachedBy, true)}`;
        const finding = { reason: 'OBJECT_PERMISSIONS_MISSING', severity: 'error', subject: 'Contact', message, remedy: 'Grant them.' };
        const element = mount({ objects: [contact], findings: [finding], findingLinks: true });
        const problem = element.shadowRoot.querySelector('[data-object="Contact"] [data-id="object-problem"]');
        expect(problem.firstChild.textContent).toBe(
            "'hubspot.integration@acme.example' cannot Create and Edit Contact records (it has Read)."
        );
        // Once in the row, folded to three: not thirty times more in the finding.
        expect(element.shadowRoot.querySelector('[data-object="Contact"]').textContent.match(/Custom_Object_\d+__c/g)).toHaveLength(3);
        // The link still names the finding whole, for the Findings card to find it.
        const handler = jest.fn();
        element.addEventListener('showfinding', handler);
        problem.querySelector('[data-id="object-finding-link"]').click();
        expect(handler.mock.calls[0][0].detail.message).toBe(message);
        // A message that does not end so is shown whole.
        const other = mount({ objects: [contact], findings: [{ ...finding, message: 'Cannot edit Contact.' }] });
        expect(other.shadowRoot.querySelector('[data-id="object-problem"]').textContent).toBe('Cannot edit Contact.');
    });

    it('names four sources in full rather than "and 1 more"', () => {
        const reachedBy = [
            'lookup from A__c.Contact__c',
            'lookup from B__c.Contact__c',
            'lookup from C__c.Contact__c',
            'lookup from D__c.Contact__c'
        ];
        const element = mount({ objects: [{ ...objects[0], rule: 'object-permissions', reachedBy }], findings: [] });
        const row = element.shadowRoot.querySelector('[data-object="Contact"]');
        expect(row.querySelector('[data-id="object-reached-by"]').textContent).toBe(
            'Also reached by lookups from A__c.Contact__c, B__c.Contact__c, C__c.Contact__c and D__c.Contact__c'
        );
        expect(row.querySelector('[data-id="object-reached-by-toggle"]')).toBeNull();
    });

    it('draws a required right bold in a box and one nobody requires plain, not told apart by colour alone', () => {
        const element = mount({ objects, findings });
        const mark = (name, access) =>
            element.shadowRoot.querySelector(`[data-object="${name}"] [data-access="${access}"] [aria-hidden="true"]`).classList;
        // Lead: Read granted and required, Delete granted and not required: the same ✓.
        expect(mark('Lead', 'read')).toContain('sd-right_required');
        expect(mark('Lead', 'read')).not.toContain('sd-right_optional');
        expect(mark('Lead', 'delete')).toContain('sd-right_optional');
        expect(mark('Lead', 'delete')).not.toContain('sd-right_required');
        expect(mark('Contact', 'edit')).toContain('sd-right_required');
        expect(mark('Contact', 'viewAll')).toContain('sd-right_optional');
        const text = (name, access) =>
            element.shadowRoot.querySelector(`[data-object="${name}"] [data-access="${access}"] .slds-assistive-text`).textContent;
        expect(text('Lead', 'read')).toBe('Granted (required)');
        expect(text('Lead', 'delete')).toBe('Granted (not required)');
        expect(element.shadowRoot.querySelector('[data-id="object-matrix-legend"]').textContent).toContain(
            'A bold, boxed mark is a required right'
        );
    });

    it('folds, when stacked, the rights nobody requires or grants of a row, unless it has no other', () => {
        const nothing = {
            name: 'Orphan__c',
            required: [],
            effective: { read: false, create: false, edit: false, delete: false, viewAll: false, modifyAll: false },
            grantedBy: []
        };
        const element = mount({ objects: [...objects, nothing], findings });
        const folded = (name) =>
            [...element.shadowRoot.querySelectorAll(`[data-object="${name}"] [data-id="object-cell"]`)]
                .filter((cell) => cell.classList.contains('sd-fold-stacked'))
                .map((cell) => cell.dataset.access);
        expect(folded('Contact')).toEqual(['delete', 'viewAll', 'modifyAll']);
        expect(folded('Lead')).toEqual(['viewAll', 'modifyAll']);
        expect(folded('Orphan__c')).toEqual([]);
        // Folded from the eye only: each cell keeps its text for a screen reader.
        const contactTexts = [
            ...element.shadowRoot.querySelectorAll('[data-object="Contact"] [data-id="object-cell"] .slds-assistive-text')
        ];
        expect(contactTexts.map((span) => span.textContent)).toEqual([
            'Granted (required)',
            'Granted (required)',
            'Missing (required)',
            'Not granted',
            'Not granted',
            'Not granted'
        ]);
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
