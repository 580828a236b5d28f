import { API, startTestOrg, type TestOrg } from './helpers.js';

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

async function readAll(
  org: TestOrg,
  first: Response,
): Promise<{ pages: QueryPage[]; records: Array<Record<string, unknown>> }> {
  const pages: QueryPage[] = [(await first.json()) as QueryPage];
  while (!pages[pages.length - 1]!.done) {
    const next = await org.get(pages[pages.length - 1]!.nextRecordsUrl!);
    expect(next.status).toBe(200);
    pages.push((await next.json()) as QueryPage);
  }
  return { pages, records: pages.flatMap((p) => p.records) };
}

describe('paging with nextRecordsUrl', () => {
  test('the large fixture pages the integration user field permissions in batches of 2000', async () => {
    const org = await startTestOrg({ fixture: 'healthy', size: 'large' });
    try {
      const soql = `SELECT Id, Field, PermissionsEdit FROM FieldPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${org.sim.integrationUser.Id}')`;
      const { pages, records } = await readAll(org, await org.query(soql));
      const total = pages[0]!.totalSize;
      expect(total).toBeGreaterThan(6000);
      expect(pages.length).toBe(Math.ceil(total / 2000));
      expect(pages.slice(0, -1).every((p) => p.records.length === 2000 && !p.done)).toBe(true);
      expect(pages[0]!.nextRecordsUrl).toMatch(
        /^\/services\/data\/v64\.0\/query\/01g[0-9A-Za-z]+-2000$/,
      );
      expect(new Set(records.map((r) => r.Id)).size).toBe(total);
      // The cursor is gone once read to the end.
      const again = await org.get(pages[pages.length - 2]!.nextRecordsUrl!);
      expect(again.status).toBe(400);
      expect(((await again.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
        'INVALID_QUERY_LOCATOR',
      );
    } finally {
      await org.sim.close();
    }
  });

  test('a smaller batch size (simulator option and Sforce-Query-Options header)', async () => {
    const org = await startTestOrg({ fixture: 'healthy', queryBatchSize: 3 });
    try {
      const { pages, records } = await readAll(
        org,
        await org.query('SELECT Id, Name FROM Profile ORDER BY Name'),
      );
      expect(pages.map((p) => p.records.length)).toEqual([3, 1]);
      const users = await readAll(
        org,
        await org.query('SELECT Username FROM User ORDER BY Username'),
      );
      expect(users.pages.map((p) => p.records.length)).toEqual([3, 2]);
      expect(users.records.map((r) => r.Username)).toEqual([
        'admin@acme.example',
        'hubspot.integration@acme.example',
        'old.hubspot@acme.example',
        'sam.sales@acme.example',
        'sync-doctor.relay@acme.example',
      ]);
      expect(records).toHaveLength(4);
      const big = await startTestOrg({ fixture: 'healthy' });
      try {
        const res = await big.query('SELECT Id FROM FieldPermissions', {
          'Sforce-Query-Options': 'batchSize=200',
        });
        const page = (await res.json()) as QueryPage;
        expect(page.records).toHaveLength(200);
        expect(page.done).toBe(false);
      } finally {
        await big.sim.close();
      }
    } finally {
      await org.sim.close();
    }
  });

  test('queryAll answers like query, and an unknown locator is INVALID_QUERY_LOCATOR', async () => {
    const org = await startTestOrg();
    try {
      const res = await org.get(
        `${API}/queryAll?q=${encodeURIComponent('SELECT COUNT() FROM User')}`,
      );
      expect(await res.json()).toEqual({ totalSize: 5, done: true, records: [] });
      const bad = await org.get(`${API}/query/01gXXXXXXXXXXXX-2000`);
      expect(bad.status).toBe(400);
      const empty = await org.get(`${API}/query?q=`);
      expect(((await empty.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
        'MALFORMED_QUERY',
      );
    } finally {
      await org.sim.close();
    }
  });
});
