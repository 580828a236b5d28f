import {
  CONNECTED_APPS_NOT_READ_MESSAGE,
  FROZEN_CHECK_BY_HAND,
  LOGINS_NOT_READ_MESSAGE,
  OBJECT_RIGHTS,
  OBJECT_RIGHT_LABELS,
  connectedAppsNotReadLine,
  formatReport,
  frozenNotReadLine,
  loginsNotReadLine,
} from '../src/index.js';

describe('the wording the app and the CLI show, exported once by the core', () => {
  it('names every object right as Setup does, and cannot be changed by a component', () => {
    expect(OBJECT_RIGHTS.map((r) => OBJECT_RIGHT_LABELS[r])).toEqual([
      'Read',
      'Create',
      'Edit',
      'Delete',
      'View All',
      'Modify All',
    ]);
    expect(Object.isFrozen(OBJECT_RIGHT_LABELS)).toBe(true);
  });

  it("words a Login History the reader may not read with the core's sentence", () => {
    expect(loginsNotReadLine({ read: false, cause: 'needs-manage-users', message: 'x' })).toBe(
      LOGINS_NOT_READ_MESSAGE,
    );
    expect(
      loginsNotReadLine({
        read: false,
        cause: 'error',
        message: 'Login History not read: REQUEST_LIMIT_EXCEEDED',
      }),
    ).toBe('Not read: REQUEST_LIMIT_EXCEEDED');
    expect(loginsNotReadLine({ read: false, cause: 'error' })).toBe('Not read.');
    expect(loginsNotReadLine({ read: true })).toBeUndefined();
    expect(loginsNotReadLine(undefined)).toBeUndefined();
  });

  it("words a connected app the reader may not read with the core's sentence", () => {
    expect(connectedAppsNotReadLine({ read: false, cause: 'needs-permissions' })).toBe(
      CONNECTED_APPS_NOT_READ_MESSAGE,
    );
    expect(
      connectedAppsNotReadLine({
        read: false,
        cause: 'error',
        message: "HubSpot's connected app not read: more rows than one page holds.",
      }),
    ).toBe('Not read: more rows than one page holds.');
    expect(connectedAppsNotReadLine({ read: true })).toBeUndefined();
  });

  it('puts the lines under their headings in the report', () => {
    const report = formatReport({ findings: [], objects: [], fields: [] } as never, {
      loginsNotRead: loginsNotReadLine({ read: false, cause: 'needs-manage-users' }),
      connectedAppsNotRead: connectedAppsNotReadLine({ read: false, cause: 'needs-permissions' }),
    });
    expect(report).toContain(`\n${LOGINS_NOT_READ_MESSAGE}`);
    expect(report).toContain(`\n${CONNECTED_APPS_NOT_READ_MESSAGE}`);
  });

  it('tells where to check a frozen user by hand with the exported hint', () => {
    expect(frozenNotReadLine({ read: false, cause: 'no-user-login', message: '' })).toMatch(
      new RegExp(`${FROZEN_CHECK_BY_HAND.replace(/[.()>]/g, '\\$&')}$`),
    );
  });
});
