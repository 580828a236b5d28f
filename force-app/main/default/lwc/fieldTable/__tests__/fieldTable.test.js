import { createElement } from 'lwc';
import FieldTable from 'c/fieldTable';
import { byId, flush, resetDOM } from 'test-utils';

const { fields, findings } = require('./data/fields.json');

function mount(props) {
    const element = createElement('c-field-table', { is: FieldTable });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const rowNames = (element) => [...element.shadowRoot.querySelectorAll('[data-id="field-row"]')].map((row) => row.dataset.field);

/** Hundreds of mapped fields, one in ten failing, as a large org has. */
function manyFields(count) {
    const list = [];
    const problems = [];
    for (let i = 0; i < count; i++) {
        const name = `${i % 2 ? 'Contact' : 'Lead'}.Field_${String(i).padStart(3, '0')}__c`;
        const failing = i % 10 === 0;
        list.push({
            name,
            required: ['read', 'edit'],
            effective: { read: true, edit: !failing },
            grantedBy: ['HubSpot Integration Permissions']
        });
        if (failing)
            problems.push({
                reason: 'FIELD_PERMISSIONS_MISSING',
                severity: 'error',
                subject: name,
                message: `${name} is read-only.`,
                remedy: 'Grant Edit.'
            });
    }
    return { fields: list, findings: problems };
}

async function change(element, id, detailOrTarget) {
    const control = byId(element, id);
    if ('checked' in detailOrTarget) control.checked = detailOrTarget.checked;
    if ('value' in detailOrTarget) control.value = detailOrTarget.value;
    control.dispatchEvent(new CustomEvent('change'));
    await flush();
}

afterEach(resetDOM);

describe('c-field-table', () => {
    it('lists every mapped field with required and effective read and edit', async () => {
        const element = mount({ fields, findings });
        // The failing ones first (Account.Rating__c and Contact.Email), each part by object then field.
        expect(rowNames(element)).toEqual(['Account.Rating__c', 'Contact.Email', 'Contact.Phone', 'Lead.Company']);
        const email = element.shadowRoot.querySelector('[data-field="Contact.Email"]');
        expect(email.querySelector('[data-id="field-read"]').dataset.state).toBe('granted');
        expect(email.querySelector('[data-id="field-edit"]').dataset.state).toBe('missing');
        expect(email.dataset.failing).toBe('true');
        expect(email.textContent).toContain('Contact.Email is read-only for the integration user.');
        expect(byId(element, 'field-count').textContent).toBe('Showing 4 of 4 matching fields (4 mapped, 2 failing).');
        await expect(element).toBeAccessible();
    });

    it('draws a required right bold in a box and one nobody requires plain, as the object matrix does', () => {
        // Read only for HubSpot, yet the user may edit it: a ✓ under Edit that nobody asked for.
        const readOnly = {
            name: 'Contact.Title',
            required: ['read'],
            effective: { read: true, edit: true },
            grantedBy: ['HubSpot Integration Permissions']
        };
        const element = mount({ fields: [...fields, readOnly], findings });
        const cell = (name, id) => element.shadowRoot.querySelector(`[data-field="${name}"] [data-id="${id}"]`);
        const mark = (name, id) => cell(name, id).querySelector('[aria-hidden="true"]').classList;
        expect(cell('Contact.Title', 'field-read').dataset.state).toBe('granted');
        expect(cell('Contact.Title', 'field-edit').dataset.state).toBe('extra');
        expect(mark('Contact.Title', 'field-read')).toContain('sd-right_required');
        expect(mark('Contact.Title', 'field-edit')).toContain('sd-right_optional');
        expect(mark('Contact.Title', 'field-edit')).not.toContain('sd-right_required');
        expect(mark('Contact.Email', 'field-edit')).toContain('sd-right_required');
        expect(cell('Contact.Title', 'field-edit').querySelector('.slds-assistive-text').textContent).toBe('Granted (not required)');
    });

    it('stacks below the medium breakpoint, each cell labelled with its column', () => {
        const element = mount({ fields, findings });
        const table = element.shadowRoot.querySelector('table');
        // A narrow window (SLDS's media query), or a narrow region of a wide page (c/tableStyles'
        // container query on the region around the table: jsdom lays nothing out, the preview's
        // browser tests check the layout).
        expect(table.classList).toContain('slds-max-medium-table_stacked-horizontal');
        expect(table.classList).toContain('sd-table');
        expect(table.parentElement.classList).toContain('sd-table-region');
        const headings = [...element.shadowRoot.querySelectorAll('th[scope="col"]')].map((th) => th.textContent);
        for (const row of element.shadowRoot.querySelectorAll('[data-id="field-row"]')) {
            // The row header (the field's name) needs no label; every other cell names its column.
            expect([...row.querySelectorAll('td')].map((td) => td.dataset.label)).toEqual(headings.slice(1));
        }
    });

    it("puts each field's status right after its name, where a narrow screen still shows it", () => {
        const element = mount({ fields, findings });
        expect([...element.shadowRoot.querySelectorAll('th[scope="col"]')].map((th) => th.textContent)).toEqual([
            'Field',
            'Status',
            'Required',
            'Read',
            'Edit',
            'Granted by'
        ]);
        const email = element.shadowRoot.querySelector('[data-field="Contact.Email"]');
        expect(email.children[1].textContent).toBe('Failing');
        expect(email.children[1].dataset.id).toBe('field-status');
        // What it requires, worded as the Read and Edit columns (and Setup) word it.
        expect(email.children[2].textContent).toBe('Read, Edit');
    });

    it('does not count a note of the core (info) against a field that has what it needs', () => {
        const element = mount({ fields, findings });
        expect(element.shadowRoot.querySelector('[data-field="Lead.Company"]').dataset.failing).toBe('false');
        const deleted = element.shadowRoot.querySelector('[data-field="Account.Rating__c"]');
        expect(deleted.querySelector('[data-id="field-problem"]').textContent).toContain('is mapped in HubSpot but does not exist');
        // A note of the core (not a finding) is shown, but not as a problem.
        expect(deleted.querySelector('[data-id="field-note"]').textContent).toBe('The field does not exist in the org.');
        expect(element.shadowRoot.querySelector('[data-field="Contact.Phone"] [data-id="field-note"]')).toBeNull();
    });

    it('counts a field blocked by its object, or of an object the org lacks, as failing, as the CLI does', async () => {
        // The core reports these once, on the object (OBJECT_PERMISSIONS_MISSING, FIELD_MAPPINGS_MISSING),
        // and not again per field: the field's own rights and existence say it fails.
        const blocked = [
            {
                name: 'Contact.Fax',
                required: ['read', 'edit'],
                effective: { read: true, edit: false },
                grantedBy: ['Permission set: HubSpot Integration Permissions'],
                hubspotProperty: 'fax',
                missing: [],
                note: 'Blocked by the object access on Contact.'
            },
            {
                name: 'Widget__c.Score__c',
                required: ['read', 'edit'],
                effective: { read: false, edit: false },
                grantedBy: [],
                exists: false,
                note: 'Its object Widget__c does not exist in this org.'
            },
            { name: 'Contact.Phone', required: ['read', 'edit'], effective: { read: true, edit: true }, grantedBy: [] }
        ];
        const element = mount({ fields: blocked, findings: [] });
        const state = (name) => element.shadowRoot.querySelector(`[data-field="${name}"]`).dataset.failing;
        expect(state('Contact.Fax')).toBe('true');
        expect(state('Widget__c.Score__c')).toBe('true');
        expect(state('Contact.Phone')).toBe('false');
        // Its own field-level security is there: the status names the object, not the field, as the cause.
        expect(element.shadowRoot.querySelector('[data-field="Contact.Fax"]').textContent).toContain('Blocked by object');
        expect(element.shadowRoot.querySelector('[data-field="Contact.Fax"]').textContent).not.toContain('Failing');
        expect(element.shadowRoot.querySelector('[data-field="Widget__c.Score__c"]').textContent).toContain('Failing');
        expect(byId(element, 'field-count').textContent).toBe(
            "Showing 3 of 3 matching fields (3 mapped, 2 failing, 1 of them because of its object's access)."
        );
        await change(element, 'field-failing-only', { checked: true });
        expect(rowNames(element)).toEqual(['Contact.Fax', 'Widget__c.Score__c']);
    });

    it('names the HubSpot property mapped to a field, and finds the field by it', async () => {
        const element = mount({
            fields: [
                {
                    name: 'Contact.Title',
                    required: ['read', 'edit'],
                    effective: { read: true, edit: true },
                    grantedBy: [],
                    hubspotProperty: 'jobtitle'
                },
                { name: 'Contact.Phone', required: ['read', 'edit'], effective: { read: true, edit: true }, grantedBy: [] }
            ],
            findings: []
        });
        expect(element.shadowRoot.querySelector('[data-field="Contact.Title"] [data-id="field-hubspot-property"]').textContent).toBe(
            'HubSpot property: jobtitle'
        );
        expect(element.shadowRoot.querySelector('[data-field="Contact.Phone"] [data-id="field-hubspot-property"]')).toBeNull();
        await change(element, 'field-search', { value: 'JOBTITLE' });
        expect(rowNames(element)).toEqual(['Contact.Title']);
    });

    it('filters to failing fields only', async () => {
        const element = mount({ fields, findings });
        await change(element, 'field-failing-only', { checked: true });
        expect(rowNames(element)).toEqual(['Account.Rating__c', 'Contact.Email']);
    });

    it('filters by object, offering the objects of the mapped fields', async () => {
        const element = mount({ fields, findings });
        const options = [...byId(element, 'field-object-filter').options].map((option) => option.value);
        expect(options).toEqual(['', 'Account', 'Contact', 'Lead']);
        await change(element, 'field-object-filter', { value: 'Contact' });
        expect(rowNames(element)).toEqual(['Contact.Email', 'Contact.Phone']);
    });

    it('searches field names and problem text, case-insensitively', async () => {
        const element = mount({ fields, findings });
        await change(element, 'field-search', { value: 'PHONE' });
        expect(rowNames(element)).toEqual(['Contact.Phone']);
        await change(element, 'field-search', { value: 'does not exist' });
        expect(rowNames(element)).toEqual(['Account.Rating__c']);
        await change(element, 'field-search', { value: 'nothing like it' });
        expect(rowNames(element)).toEqual([]);
        expect(byId(element, 'field-no-match')).not.toBeNull();
    });

    it('pages hundreds of fields 50 at a time, and filters all of them', async () => {
        const element = mount(manyFields(400));
        expect(rowNames(element)).toHaveLength(50);
        // All 40 failing fields are on the first page, ahead of the passing ones, by object then field.
        const firstPage = [...element.shadowRoot.querySelectorAll('[data-id="field-row"]')];
        expect(firstPage.slice(0, 40).every((row) => row.dataset.failing === 'true')).toBe(true);
        expect(firstPage[40].dataset.failing).toBe('false');
        expect(rowNames(element).slice(0, 3)).toEqual(['Lead.Field_000__c', 'Lead.Field_010__c', 'Lead.Field_020__c']);
        expect(byId(element, 'field-count').textContent).toBe('Showing 50 of 400 matching fields (400 mapped, 40 failing).');
        expect(byId(element, 'field-show-more').label).toBe('Show 50 more');
        byId(element, 'field-show-more').click();
        await flush();
        expect(rowNames(element)).toHaveLength(100);
        await change(element, 'field-failing-only', { checked: true });
        expect(rowNames(element)).toHaveLength(40);
        expect(byId(element, 'field-show-more')).toBeNull();
        await change(element, 'field-object-filter', { value: 'Lead' });
        expect(rowNames(element)).toHaveLength(40);
        await change(element, 'field-object-filter', { value: 'Contact' });
        expect(rowNames(element)).toHaveLength(0);
    });

    it('offers as many more as are left when fewer than a page remain ("Show 11 more", not "Show 50 more")', async () => {
        const element = mount(manyFields(111));
        expect(byId(element, 'field-show-more').label).toBe('Show 50 more');
        byId(element, 'field-show-more').click();
        await flush();
        expect(rowNames(element)).toHaveLength(100);
        expect(byId(element, 'field-show-more').label).toBe('Show 11 more');
        byId(element, 'field-show-more').click();
        await flush();
        expect(rowNames(element)).toHaveLength(111);
        expect(byId(element, 'field-show-more')).toBeNull();
    });

    it('sorts hundreds of fields by object then field, failing ones first, whatever order the core gave', async () => {
        // The core lists fields by requirement: scrambled across objects, as a large org's are.
        const names = [];
        for (const object of ['Opportunity', 'account', 'Contact', 'Lead'])
            for (let i = 0; i < 60; i++) names.push(`${object}.Field_${i}__c`);
        names.sort(
            (a, b) =>
                ((a.length * 7 + a.charCodeAt(a.length - 4)) % 13) - ((b.length * 7 + b.charCodeAt(b.length - 4)) % 13) || (a < b ? 1 : -1)
        );
        const failingNames = new Set(['Lead.Field_2__c', 'Contact.Field_50__c', 'account.Field_10__c']);
        const element = mount({
            fields: names.map((name) => ({
                name,
                required: ['read', 'edit'],
                effective: { read: true, edit: !failingNames.has(name) },
                grantedBy: ['HubSpot Integration Permissions']
            })),
            findings: []
        });
        // Five pages of 50: all 240 rows.
        element.revealField('Opportunity.Field_59__c');
        await flush();
        const shown = rowNames(element);
        expect(shown).toHaveLength(240);
        expect(shown.slice(0, 3)).toEqual(['account.Field_10__c', 'Contact.Field_50__c', 'Lead.Field_2__c']);
        // Then the passing ones: objects case aside (account before Contact), fields by number.
        expect(shown.slice(3, 6)).toEqual(['account.Field_0__c', 'account.Field_1__c', 'account.Field_2__c']);
        expect(shown.slice(3 + 59, 3 + 62)).toEqual(['Contact.Field_0__c', 'Contact.Field_1__c', 'Contact.Field_2__c']);
        expect(shown[3 + 59 + 8]).toBe('Contact.Field_8__c');
        expect(shown[3 + 59 + 9]).toBe('Contact.Field_9__c');
        expect(shown[3 + 59 + 10]).toBe('Contact.Field_10__c');
        expect(shown[shown.length - 1]).toBe('Opportunity.Field_59__c');
        const objects = shown.slice(3).map((name) => name.split('.')[0].toLowerCase());
        expect(objects).toEqual([...objects].sort());
    });

    it('shows an empty state without mapped fields', async () => {
        const element = mount({ fields: [], findings: [] });
        expect(byId(element, 'field-table-empty')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});

describe('c-field-table revealField (a finding links to the row that proves it)', () => {
    let scrollIntoView;
    beforeEach(() => {
        // jsdom lays nothing out and has no scrollIntoView.
        scrollIntoView = jest.fn();
        Element.prototype.scrollIntoView = scrollIntoView;
    });
    afterEach(() => {
        delete Element.prototype.scrollIntoView;
    });

    const row = (element, name) => element.shadowRoot.querySelector(`[data-id="field-row"][data-field="${name}"]`);

    it('scrolls the row to the middle of the view, highlights it and moves the focus to it', async () => {
        const element = mount({ fields, findings });
        expect(element.revealField('Account.Rating__c')).toBe(true);
        await flush();
        const rating = row(element, 'Account.Rating__c');
        expect(element.shadowRoot.activeElement).toBe(rating);
        expect(rating.getAttribute('tabindex')).toBe('-1');
        expect(rating.classList).toContain('sd-row_revealed');
        expect(row(element, 'Contact.Email').classList).not.toContain('sd-row_revealed');
        expect(scrollIntoView).toHaveBeenCalledTimes(1);
        expect(scrollIntoView.mock.instances[0]).toBe(rating);
        expect(scrollIntoView).toHaveBeenCalledWith({ block: 'center' });
        // Nothing hid it: the filters and the count stay as they were, with nothing more to say.
        expect(byId(element, 'field-reveal-note')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('undoes "Failing only", another object and a search that hide the row, and says so', async () => {
        const element = mount({ fields, findings });
        await change(element, 'field-failing-only', { checked: true });
        await change(element, 'field-object-filter', { value: 'Account' });
        await change(element, 'field-search', { value: 'rating' });
        expect(rowNames(element)).toEqual(['Account.Rating__c']);

        expect(element.revealField('Contact.Phone')).toBe(true);
        await flush();
        expect(element.shadowRoot.activeElement).toBe(row(element, 'Contact.Phone'));
        expect(byId(element, 'field-failing-only').checked).toBe(false);
        expect(byId(element, 'field-object-filter').value).toBe('');
        expect(byId(element, 'field-search').value).toBe('');
        expect(byId(element, 'field-reveal-note').textContent).toBe(
            'Cleared Failing only, the object filter and the search to show Contact.Phone.'
        );
        // The admin's next filter change is theirs again: the note goes.
        await change(element, 'field-object-filter', { value: 'Contact' });
        expect(byId(element, 'field-reveal-note')).toBeNull();
    });

    it('keeps the filters that do not hide the row', async () => {
        const element = mount({ fields, findings });
        await change(element, 'field-failing-only', { checked: true });
        await change(element, 'field-object-filter', { value: 'Contact' });
        element.revealField('Contact.Email');
        await flush();
        expect(byId(element, 'field-failing-only').checked).toBe(true);
        expect(byId(element, 'field-object-filter').value).toBe('Contact');
        expect(rowNames(element)).toEqual(['Contact.Email']);
        expect(element.shadowRoot.activeElement).toBe(row(element, 'Contact.Email'));
        expect(byId(element, 'field-reveal-note')).toBeNull();
    });

    it('shows as many pages as it takes to reach a row past the first 50', async () => {
        const element = mount(manyFields(400));
        expect(row(element, 'Contact.Field_123__c')).toBeNull();
        expect(element.revealField('Contact.Field_123__c')).toBe(true);
        await flush();
        const target = row(element, 'Contact.Field_123__c');
        expect(element.shadowRoot.activeElement).toBe(target);
        // Passing fields follow the 40 failing ones, Contact's before Lead's: Field_123 is Contact's
        // 62nd (Field_001, 003, ...), row 102, on the third page.
        expect(rowNames(element).indexOf('Contact.Field_123__c')).toBe(101);
        expect(rowNames(element)).toHaveLength(150);
        expect(byId(element, 'field-count').textContent).toContain('Showing 150 of 400 matching fields');
    });

    it('answers false and changes nothing for a field it has no row for', async () => {
        const element = mount({ fields, findings });
        await change(element, 'field-failing-only', { checked: true });
        expect(element.revealField('Contact.Fax')).toBe(false);
        expect(element.revealField('Contact')).toBe(false);
        expect(element.revealField(null)).toBe(false);
        expect(mount({ fields: [], findings: [] }).revealField('Contact.Email')).toBe(false);
        await flush();
        expect(byId(element, 'field-failing-only').checked).toBe(true);
        expect(rowNames(element)).toEqual(['Account.Rating__c', 'Contact.Email']);
        expect(element.shadowRoot.activeElement).toBeNull();
        expect(element.shadowRoot.querySelector('.sd-row_revealed')).toBeNull();
        expect(scrollIntoView).not.toHaveBeenCalled();
    });
});
