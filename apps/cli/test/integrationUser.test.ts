import type { IntegrationUserCandidate } from '@sync-doctor/core';
import type { IntegrationUserSearch } from '@sync-doctor/salesforce';
import { IntegrationUserNotChosen, explainChoice } from '../src/integrationUser.js';
import { createProgress } from '../src/progress.js';

const hub: IntegrationUserCandidate = {
  userId: '005000000000001',
  username: 'hub@acme.example',
  name: 'Hub',
  isActive: true,
  sources: ['permissionSet'],
};
const refused = {
  source: 'oauth' as const,
  errorCode: 'INSUFFICIENT_ACCESS',
  message: 'no Manage Users',
};
const search = (
  candidates: IntegrationUserCandidate[],
  unread: IntegrationUserSearch['unread'] = [],
): IntegrationUserSearch => ({ candidates, unread, requests: 1 });

function notChosen(run: () => unknown): IntegrationUserNotChosen {
  try {
    run();
  } catch (error) {
    if (error instanceof IntegrationUserNotChosen) return error;
    throw error;
  }
  throw new Error('expected IntegrationUserNotChosen');
}

describe('explainChoice', () => {
  it('names the chosen user, and the evidence it could not read', () => {
    const { username, notes } = explainChoice(search([hub], [refused]));
    expect(username).toBe('hub@acme.example');
    expect(notes).toEqual([
      "checking hub@acme.example (Hub) as HubSpot's integration user: it is assigned the 'HubSpot Integration Permissions' permission set (directly or through a permission set group).",
      "could not read the OAuth tokens (seeing other users' tokens needs Customize Application; without it Salesforce shows only your own, so none counted): INSUFFICIENT_ACCESS: no Manage Users",
    ]);
  });

  it('says when the holders through a permission set group could not be read, and which right that needs', () => {
    const { notes } = explainChoice(
      search(
        [hub],
        [{ source: 'permissionSet', errorCode: 'INVALID_TYPE', message: 'not supported' }],
      ),
    );
    expect(notes[1]).toBe(
      "could not read which permission set groups hold 'HubSpot Integration Permissions' (reading permission set groups needs View Setup and Configuration), so only users assigned the set directly count: INVALID_TYPE: not supported",
    );
  });

  it('nobody: INTEGRATION_USER_NOT_FOUND, with the unread evidence as a note', () => {
    const error = notChosen(() => explainChoice(search([], [refused])));
    expect(error.errorCode).toBe('INTEGRATION_USER_NOT_FOUND');
    expect(error.message).toContain('Note: could not read the OAuth tokens');
    expect(error.toJSON()).toEqual({
      errorCode: 'INTEGRATION_USER_NOT_FOUND',
      message: error.message,
      candidates: [],
    });
  });

  it('a tie: INTEGRATION_USER_AMBIGUOUS with the tied users first in the JSON', () => {
    const twin = {
      ...hub,
      userId: '005000000000002',
      username: 'twin@acme.example',
      name: 'Twin',
      sources: ['saved' as const],
    };
    const error = notChosen(() => explainChoice(search([twin, hub])));
    expect(error.errorCode).toBe('INTEGRATION_USER_AMBIGUOUS');
    expect((error.toJSON().candidates as { username: string }[]).map((c) => c.username)).toEqual([
      'hub@acme.example',
      'twin@acme.example',
    ]);
  });
});

describe('progress notes', () => {
  it('stay as plain lines when not interactive, even when quiet', () => {
    for (const quiet of [false, true]) {
      const out: string[] = [];
      const progress = createProgress(
        { write: (c: string) => out.push(c) },
        { interactive: false, quiet },
      );
      progress.update('step');
      progress.note('chosen');
      expect(out.join('')).toBe(
        quiet ? 'sync-doctor: chosen\n' : 'sync-doctor: step\nsync-doctor: chosen\n',
      );
    }
  });

  it('clear the spinner line on a TTY, print, and redraw the spinner below', () => {
    const out: string[] = [];
    const progress = createProgress(
      { write: (c: string) => out.push(c), isTTY: true },
      { interactive: true },
    );
    progress.update('looking…');
    progress.note('chosen');
    progress.stop();
    expect(out.slice(1, 4)).toEqual([
      '\r\u001b[K',
      'sync-doctor: chosen\n',
      expect.stringMatching(/^\r\u001b\[K. looking…$/),
    ]);
  });
});
