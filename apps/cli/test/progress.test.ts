import { createProgress } from '../src/progress.js';
import { requirementsFromJson } from '../src/requirementsFile.js';
import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';

describe('progress', () => {
  it('writes one plain line per step when not interactive', () => {
    const out: string[] = [];
    const progress = createProgress({ write: (c: string) => out.push(c) }, { interactive: false });
    progress.update('connecting…');
    progress.update('reading…');
    progress.stop();
    expect(out.join('')).toBe('sync-doctor: connecting…\nsync-doctor: reading…\n');
  });

  it('redraws a spinner in place on a TTY and clears it when done', () => {
    jest.useFakeTimers();
    try {
      const out: string[] = [];
      const progress = createProgress(
        { write: (c: string) => out.push(c), isTTY: true },
        { interactive: true },
      );
      progress.update('reading…');
      jest.advanceTimersByTime(250);
      expect(out.length).toBeGreaterThanOrEqual(3);
      expect(out.every((c) => c.startsWith('\r\u001b[K'))).toBe(true);
      expect(new Set(out.map((c) => c[4])).size).toBeGreaterThan(1);
      progress.stop();
      expect(out[out.length - 1]).toBe('\r\u001b[K');
      const count = out.length;
      jest.advanceTimersByTime(500);
      expect(out.length).toBe(count);
    } finally {
      jest.useRealTimers();
    }
  });
  it('keeps the spinner line within a narrow terminal, so redraws do not pile up wrapped lines', () => {
    // \r and erase-line only reach the last screen row: a line wider than the terminal wraps and
    // each redraw (every 80 ms) would leave another copy of it above.
    jest.useFakeTimers();
    try {
      const out: string[] = [];
      const progress = createProgress(
        { write: (c: string) => out.push(c), isTTY: true, columns: 30 },
        { interactive: true },
      );
      progress.update("reading firstname.lastname+hubspot@acme-corporation.example's access…");
      jest.advanceTimersByTime(250);
      for (const chunk of out) {
        const visible = [...chunk.replace(/^\r\u001b\[K/, '')];
        expect(visible.length).toBeLessThan(30);
      }
      expect(out[0]).toContain('reading firstname');
      expect(out[0]!.endsWith('…')).toBe(true);
      progress.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('requirements file', () => {
  it('merges extra fields and objects into the defaults', () => {
    const merged = requirementsFromJson('r.json', {
      objects: [{ name: 'Invoice__c', access: ['read'] }],
      fields: [{ name: 'Contact.Birthdate' }],
    });
    expect(merged.objects.map((o) => o.name)).toEqual([
      ...DEFAULT_REQUIREMENTS.objects.map((o) => o.name),
      'Invoice__c',
    ]);
    expect(merged.fields.find((f) => f.name === 'Contact.Birthdate')?.access).toEqual([
      'read',
      'edit',
    ]);
    expect(merged.fields.length).toBe(DEFAULT_REQUIREMENTS.fields.length + 1);
  });

  it('replaces the defaults when asked', () => {
    const only = requirementsFromJson('r.json', {
      replaceDefaults: true,
      objects: [{ name: 'Lead', access: ['read'] }],
    });
    expect(only).toEqual({
      objects: [{ name: 'Lead', access: ['read'] }],
      fields: [],
      permissionSets: [],
      systemPermissions: [],
    });
  });

  it('names the file and the place of a mistake', () => {
    expect(() => requirementsFromJson('r.json', [])).toThrow(
      'r.json: the document must be a JSON object',
    );
    expect(() => requirementsFromJson('r.json', { feilds: [] })).toThrow(
      'r.json: "feilds" is not a requirements key',
    );
    expect(() =>
      requirementsFromJson('r.json', { objects: [{ name: 'Lead', access: ['write'] }] }),
    ).toThrow("r.json: objects[0].access has 'write'");
    expect(() =>
      requirementsFromJson('r.json', { fields: [{ name: "Contact.Email' OR" }] }),
    ).toThrow('fields[0].name must be "Object.Field"');
    expect(() => requirementsFromJson('r.json', { systemPermissions: ['ApiEnabled'] })).toThrow(
      'use PermissionSet column names',
    );
  });
});
