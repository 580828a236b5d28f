import {
    countFindings,
    errorMessage,
    extraFieldRequirements,
    findingCountsText,
    frozenNotRead,
    limitLabel,
    parseApexJson,
    percent,
    subjectLabel
} from 'c/syncDoctorUtils';
import { FROZEN_NOT_READ_MESSAGES, FROZEN_NOT_READ_PREFIX, FROZEN_READ_CAUSES, frozenNotReadLine } from 'c/syncDoctorCore';

describe('c/syncDoctorUtils', () => {
    it('reads the message of every Apex error shape', () => {
        expect(errorMessage({ body: { message: 'No access' } })).toBe('No access');
        expect(errorMessage({ body: [{ message: 'One' }, { message: 'Two' }] })).toBe('One Two');
        expect(errorMessage({ body: { pageErrors: [{ message: 'Page' }], fieldErrors: { Name: [{ message: 'Field' }] } } })).toBe(
            'Page Field'
        );
        expect(errorMessage(new Error('Plain'))).toBe('Plain');
        expect(errorMessage('Text')).toBe('Text');
        expect(errorMessage({ error: '403::Unknown client' })).toBe('403::Unknown client');
        expect(errorMessage(undefined)).toBe('Unknown error.');
    });

    it('parses Apex JSON and names the method when it is not JSON', () => {
        expect(parseApexJson('{"a":1}', 'getSettings')).toEqual({ a: 1 });
        expect(parseApexJson('null', 'getSuspensionStatus')).toBeNull();
        expect(parseApexJson(null, 'getSuspensionStatus')).toBeNull();
        expect(() => parseApexJson('<html>', 'getSnapshot')).toThrow(/^getSnapshot: Apex returned text that is not JSON/);
        // The parse error stays attached, so the browser console shows where the text broke.
        let thrown;
        try {
            parseApexJson('<html>', 'getSnapshot');
        } catch (error) {
            thrown = error;
        }
        expect(thrown.cause).toBeInstanceOf(SyntaxError);
        expect(() => parseApexJson({ a: 1 }, 'getSnapshot')).toThrow('getSnapshot: expected JSON text from Apex, got object.');
    });

    it('turns saved extra fields into field requirements, edit implying read', () => {
        expect(
            extraFieldRequirements([
                { name: 'Contact.A__c', access: ['edit'] },
                { name: 'Contact.B__c', access: 'read' },
                { name: 'Contact.C__c' },
                { name: 'NoDot', access: ['read'] },
                null
            ])
        ).toEqual([
            { name: 'Contact.A__c', access: ['read', 'edit'] },
            { name: 'Contact.B__c', access: ['read'] },
            { name: 'Contact.C__c', access: ['read', 'edit'] }
        ]);
        expect(extraFieldRequirements(undefined)).toEqual([]);
    });

    it('computes a clamped percentage', () => {
        expect(percent(92000, 100000)).toBe(92);
        expect(percent(1, 3)).toBe(33.3);
        expect(percent(5, 0)).toBe(0);
        expect(percent(150, 100)).toBe(100);
    });
});

describe("findingCountsText: the counts in the badges' words, singular and plural", () => {
    it.each([
        [[{ severity: 'error' }], '1 finding blocks the sync, 0 risks, 0 notes'],
        [[{ severity: 'error' }, { severity: 'error' }, { severity: 'warning' }], '2 findings block the sync, 1 risk, 0 notes'],
        [[{ severity: 'warning' }, { severity: 'info' }, { severity: 'info' }], '0 findings block the sync, 1 risk, 2 notes'],
        [[], '0 findings block the sync, 0 risks, 0 notes']
    ])('%j reads "%s"', (findings, text) => {
        expect(findingCountsText(countFindings(findings))).toBe(text);
    });
});

describe('subjectLabel and limitLabel', () => {
    it("names the core's API-named subjects as Setup does and keeps every other name", () => {
        expect(subjectLabel('DailyApiRequests')).toBe('API requests, last 24 hours (whole org)');
        expect(subjectLabel('DailyApiRequests.HubSpot')).toBe('API requests of the connected app HubSpot');
        expect(subjectLabel('FileStorageMB')).toBe('File storage');
        expect(subjectLabel('PermissionsApiEnabled')).toBe('API Enabled (system permission)');
        expect(subjectLabel('Contact.Email')).toBe('Contact.Email');
        expect(subjectLabel('hubspot@acme.com')).toBe('hubspot@acme.com');
        expect(subjectLabel('HubSpot Integration Permissions')).toBe('HubSpot Integration Permissions');
        expect(subjectLabel(undefined)).toBe('');
    });

    it('gives a limit its unit', () => {
        expect(limitLabel('DataStorageMB')).toEqual({ label: 'Data storage', unit: ' MB' });
        expect(limitLabel('SomethingNew')).toEqual({ label: 'SomethingNew', unit: '' });
    });

    describe('frozenNotRead: the core words why the frozen state was not read', () => {
        const user = { Id: '005000000000001AAA', Username: 'hubspot@acme.com' };
        const unread = (cause, message) => ({ user, frozenRead: { read: false, cause, message } });
        const screen = (snapshot) => frozenNotRead(snapshot, 'HubSpot Integration').screen;

        it("shows the core's line for every cause, after the page's own opening", () => {
            for (const cause of FROZEN_READ_CAUSES) {
                const snapshot = unread(cause, FROZEN_NOT_READ_MESSAGES[cause] || `${FROZEN_NOT_READ_PREFIX}Salesforce said no.`);
                const detail = frozenNotReadLine(snapshot.frozenRead).slice(FROZEN_NOT_READ_PREFIX.length);
                expect(screen(snapshot)).toMatch(new RegExp(`^Not checked whether HubSpot Integration is frozen: `));
                expect(screen(snapshot)).toContain(detail);
                expect(frozenNotRead(snapshot, 'x').frozenRead).toBe(snapshot.frozenRead);
                expect(frozenNotRead(snapshot, 'x').cause).toBe(cause);
            }
        });

        it('reads as the admin sees it', () => {
            expect(screen(unread('needs-manage-users', FROZEN_NOT_READ_MESSAGES['needs-manage-users']))).toBe(
                'Not checked whether HubSpot Integration is frozen: reading UserLogin needs the "Manage Users" permission. You do not have it.'
            );
            expect(screen(unread('no-user-login', FROZEN_NOT_READ_MESSAGES['no-user-login']))).toBe(
                'Not checked whether HubSpot Integration is frozen: Salesforce has no UserLogin row for it. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
            );
            expect(screen(unread('error', "Whether the user is frozen was not read: sObject type 'UserLogin' is not supported."))).toBe(
                "Not checked whether HubSpot Integration is frozen: sObject type 'UserLogin' is not supported."
            );
        });

        it('says not read, with no reason, when the snapshot does not say why; nothing when IsFrozen was read', () => {
            expect(screen({ user })).toBe(
                'Not checked whether HubSpot Integration is frozen. Check the user in Setup > Users (a frozen user has an Unfreeze button).'
            );
            expect(frozenNotReadLine(frozenNotRead({ user }, 'x').frozenRead)).toBe('Whether the user is frozen was not read.');
            expect(frozenNotRead({ user: { ...user, IsFrozen: false }, frozenRead: { read: true, frozen: false } }, 'x')).toBeNull();
            expect(frozenNotRead({ user: { ...user, IsFrozen: true } }, 'x')).toBeNull();
            expect(frozenNotRead(null, 'x')).toBeNull();
        });
    });
});
