// Contract between the Apex reader, the Node collector and the core on why the integration user's
// frozen state went unread: SyncDoctorSnapshotReader's FROZEN_* constants (the snapshot's
// frozenRead.cause and message) are the core's FROZEN_READ_CAUSES and FROZEN_NOT_READ_MESSAGES,
// and the Node collector (packages/salesforce, frozenOf) gives the same cause and words for the
// same case, so the app, the CLI and the report say the same thing whichever read the org.
import { ApexLexer } from '@apexdevtools/apex-parser';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  FROZEN_NOT_READ_MESSAGES,
  FROZEN_NOT_READ_PREFIX,
  FROZEN_READ_CAUSES,
} from '../../../packages/core/src/snapshot/frozenRead.js';
import { SNAPSHOT_SCHEMA } from '../../../packages/core/src/snapshot/schema.js';
import type { JsonSchema } from '../../../packages/core/src/snapshot/jsonSchema.js';
import { frozenOf } from '../../../packages/salesforce/src/collect/frozen.js';
import { apexFamilySource, mapLiteralKeys, parseApex } from './lib/apex.js';

// The reader split by concern (APEX_CLASS_FAMILIES in lib/apex.ts): its classes as one source.
const reader = apexFamilySource('SyncDoctorSnapshotReader');

/**
 * The value of a `static final String NAME = ...;` constant of the reader: its string literals and
 * the other constants it adds together ('A' + B + 'c').
 */
function stringConstant(source: string, name: string): string {
  const { tokens } = parseApex(source);
  const start = tokens.findIndex(
    (token, index) =>
      token.type === ApexLexer.Identifier &&
      token.text === name &&
      tokens[index + 1]?.type === ApexLexer.ASSIGN,
  );
  if (start < 0) throw new Error(`${name} is not a constant of the reader`);
  let value = '';
  for (let index = start + 2; tokens[index]!.type !== ApexLexer.SEMI; index++) {
    const token = tokens[index]!;
    if (token.type === ApexLexer.StringLiteral)
      value += token.text.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (token.type === ApexLexer.Identifier) value += stringConstant(source, token.text);
    else if (token.type !== ApexLexer.ADD)
      throw new Error(`${name}: cannot read '${token.text}' as part of a string constant`);
  }
  return value;
}

const APEX = {
  needsManageUsers: stringConstant(reader, 'FROZEN_NEEDS_MANAGE_USERS'),
  noUserLogin: stringConstant(reader, 'FROZEN_NO_USER_LOGIN'),
  refused: stringConstant(reader, 'FROZEN_REFUSED'),
};

describe('why the frozen state went unread: Apex, Node and the core agree', () => {
  it("the Apex reader's causes are the core's, every one of them", () => {
    expect([APEX.needsManageUsers, APEX.noUserLogin, APEX.refused].sort()).toEqual(
      [...FROZEN_READ_CAUSES].sort(),
    );
  });

  it("the Apex reader's messages are the core's", () => {
    expect(stringConstant(reader, 'FROZEN_NOT_READ_PREFIX')).toBe(FROZEN_NOT_READ_PREFIX);
    expect(stringConstant(reader, 'FROZEN_NEEDS_MANAGE_USERS_MESSAGE')).toBe(
      FROZEN_NOT_READ_MESSAGES['needs-manage-users'],
    );
    expect(stringConstant(reader, 'FROZEN_NO_USER_LOGIN_MESSAGE')).toBe(
      FROZEN_NOT_READ_MESSAGES['no-user-login'],
    );
  });

  it('the Node collector gives the Apex cause and words for each case', () => {
    const userId = '005000000000001AAA';
    const answer = (httpStatusCode: number, body: unknown) =>
      new Map([['userLogin', { referenceId: 'userLogin', httpStatusCode, body }]]);
    const refusal = (errorCode: string, message: string) => answer(400, [{ errorCode, message }]);

    // No Manage Users: UserLogin is INVALID_TYPE to the reader.
    expect(
      frozenOf(refusal('INVALID_TYPE', "sObject type 'UserLogin' is not supported."), userId).read,
    ).toMatchObject({
      read: false,
      cause: APEX.needsManageUsers,
      message: stringConstant(reader, 'FROZEN_NEEDS_MANAGE_USERS_MESSAGE'),
    });
    // Read, and Salesforce has no row for the user.
    expect(frozenOf(answer(200, { totalSize: 0, done: true, records: [] }), userId).read).toEqual({
      read: false,
      cause: APEX.noUserLogin,
      message: stringConstant(reader, 'FROZEN_NO_USER_LOGIN_MESSAGE'),
    });
    // Refused otherwise: the prefix, then Salesforce's words.
    expect(
      frozenOf(refusal('UNKNOWN_EXCEPTION', 'An unexpected error occurred.'), userId).read,
    ).toMatchObject({
      read: false,
      cause: APEX.refused,
      message: `${stringConstant(reader, 'FROZEN_NOT_READ_PREFIX')}An unexpected error occurred.`,
    });
    // Read: the row's flag.
    expect(
      frozenOf(answer(200, { records: [{ UserId: userId, IsFrozen: true }] }), userId).read,
    ).toEqual({ read: true, frozen: true });
  });

  it("both put it in the snapshot as the schema's frozenRead, whose cause the core words what to do from", () => {
    const schema = (SNAPSHOT_SCHEMA.properties as Record<string, JsonSchema>).frozenRead!;
    const keys = Object.keys(schema.properties ?? {});
    expect(schema.required).toEqual(['read']);
    // The Apex reader's maps (frozenReadOf, frozenNotRead) write only the schema's keys: from
    // frozenReadOf to the end of its class (the family's next class begins a separator comment).
    const method = reader.slice(reader.indexOf('Map<String, Object> frozenReadOf('));
    const classEnd = method.indexOf('/* ---- the next class of the family ---- */');
    const written = mapLiteralKeys(classEnd < 0 ? method : method.slice(0, classEnd));
    expect([...new Set(written)].sort()).toEqual(['cause', 'frozen', 'message', 'read']);
    expect(keys).toEqual(expect.arrayContaining(written));
    expect(reader).toMatch(/snapshot\.put\('frozenRead', frozenRead\);/);
    // The Node collector's snapshot carries the FrozenRead it returns beside it (collectSnapshot).
    const collector = readFileSync(
      path.join(__dirname, '../../../packages/salesforce/src/collect/collectSnapshot.ts'),
      'utf8',
    );
    expect(collector).toMatch(
      /\n {4}frozenRead(?:: first\.frozenRead)?,\n {2}\};\n {2}if \(!snapshot\.frozenRead\) delete snapshot\.frozenRead;/,
    );
  });
});
