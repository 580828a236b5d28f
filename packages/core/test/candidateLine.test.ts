import { candidateLine } from '../src/integrationUser/candidateLine.js';

describe('candidateLine', () => {
  it('names a candidate with its name, whether it is inactive, and its evidence', () => {
    expect(
      candidateLine({
        userId: '005000000000001AAA',
        username: 'sam.sales@acme.example',
        name: 'Sam Sales',
        isActive: false,
        sources: ['oauth', 'permissionSet', 'saved'],
      }),
    ).toBe(
      'sam.sales@acme.example (Sam Sales; inactive; HubSpot OAuth token, HubSpot Integration Permissions, saved in Sync Doctor)',
    );
    expect(
      candidateLine({
        userId: '005000000000002AAA',
        username: 'hub@acme.example',
        name: null,
        isActive: true,
        sources: ['oauth'],
      }),
    ).toBe('hub@acme.example (HubSpot OAuth token)');
  });
});
