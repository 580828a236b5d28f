import { Compile } from 'typebox/compile';
import { isUserId } from '@sync-doctor/salesforce';
import { SalesforceJwtSchema, SalesforceTokenSchema } from '../src/routes/v1/schemas/admin.js';

// The admin API's integrationUser takes a User Id by the pattern of @sync-doctor/salesforce's
// isUserId (one definition), or a username.
describe('the admin schema of the integration user', () => {
  const tokenSchema = Compile(SalesforceTokenSchema);
  const jwtSchema = Compile(SalesforceJwtSchema);
  const token = (value: unknown) => tokenSchema.Check(value);
  const jwt = (value: unknown) => jwtSchema.Check(value);
  const tokenConnection = (integrationUser: string) => ({
    kind: 'token',
    instanceUrl: 'https://acme.my.salesforce.com',
    accessToken: '00Dxx0000000001!AQ0AQsecret',
    integrationUser,
  });
  const jwtConnection = (integrationUser: string) => ({
    kind: 'jwt',
    clientId: '3MVG9',
    username: 'relay@acme.example',
    loginUrl: 'https://login.salesforce.com',
    privateKey: 'k'.repeat(64),
    integrationUser,
  });

  it.each(['005000000000001', '005000000000001AAA', '005Ab0000000XyZAAQ', 'hubspot@acme.example'])(
    'takes %s, as isUserId or as a username',
    (value) => {
      expect(token(tokenConnection(value))).toBe(true);
      expect(jwt(jwtConnection(value))).toBe(true);
    },
  );

  it.each(['005000000000001AA', '00500000000001', '001000000000001AAA', 'not an id', '005 000'])(
    'refuses %s (neither a User Id nor a username)',
    (value) => {
      expect(isUserId(value)).toBe(false);
      expect(token(tokenConnection(value))).toBe(false);
      expect(jwt(jwtConnection(value))).toBe(false);
    },
  );

  it('agrees with isUserId on every id-shaped value', () => {
    for (const value of [
      '005000000000001',
      '005000000000001AAA',
      '005AAAAAAAAAAAA',
      '0050000000000011',
    ]) {
      const accepted = token(tokenConnection(value));
      expect(accepted).toBe(isUserId(value));
    }
  });
});
