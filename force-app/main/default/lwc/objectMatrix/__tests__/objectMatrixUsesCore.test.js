import { createElement } from 'lwc';
import ObjectMatrix from 'c/objectMatrix';
import { resetDOM } from 'test-utils';

// The columns are the core's OBJECT_RIGHTS named by its OBJECT_RIGHT_LABELS: named otherwise
// here, the headers and each cell's label must follow, which a list of the component's would not.
jest.mock('c/syncDoctorCore', () => ({
    ...jest.requireActual('c/syncDoctorCore'),
    OBJECT_RIGHT_LABELS: Object.freeze({
        read: 'R-core',
        create: 'C-core',
        edit: 'E-core',
        delete: 'D-core',
        viewAll: 'VA-core',
        modifyAll: 'MA-core'
    })
}));

const { objects, findings } = require('./data/objects.json');

afterEach(resetDOM);

describe('c-object-matrix names the object rights as the core does', () => {
    it('in the column headers and in each cell', () => {
        const element = createElement('c-object-matrix', { is: ObjectMatrix });
        Object.assign(element, { objects, findings });
        document.body.appendChild(element);
        const headers = [...element.shadowRoot.querySelectorAll('thead th')].map((th) => th.textContent.trim());
        expect(headers).toEqual(['Object', 'R-core', 'C-core', 'E-core', 'D-core', 'VA-core', 'MA-core', 'Granted by']);
        const row = element.shadowRoot.querySelector('[data-id="object-row"][data-object="Contact"]');
        const labels = [...row.querySelectorAll('[data-id="object-cell"]')].map((cell) => cell.dataset.label);
        expect(labels).toEqual(['R-core', 'C-core', 'E-core', 'D-core', 'VA-core', 'MA-core']);
    });
});
