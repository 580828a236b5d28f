import {
  clockWarnThresholdMs,
  measureClockOffset,
  warnOfClockOffset,
} from '../src/plugins/clockCheck.js';
import { createStore } from '../src/store/index.js';
import { captureLogs, POSTGRES_URL, postgresSchema, startTestRelay, tempDir } from './helpers.js';

// Instances sharing PostgreSQL judge each other's outbox leases by their own clocks; a sixth of
// the lease is all the disagreement they can take. The relay measures its clock against the
// database's, exposes it, and warns past half that margin.

describe("the relay's clock against PostgreSQL's", () => {
  it('measures an instance clock 5 s ahead as +5 s, within the read it took', async () => {
    const { schema, drop } = await postgresSchema();
    const dir = tempDir();
    const store = await createStore({
      dataDir: dir.path,
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
    });
    try {
      const databaseTime = store.databaseTime!.bind(store);
      const same = await measureClockOffset(databaseTime);
      expect(Math.abs(same.offsetMs)).toBeLessThanOrEqual(same.uncertaintyMs + 50);
      const ahead = await measureClockOffset(databaseTime, () => Date.now() + 5000);
      expect(Math.abs(ahead.offsetMs - 5000)).toBeLessThanOrEqual(ahead.uncertaintyMs + 50);
      const behind = await measureClockOffset(databaseTime, () => Date.now() - 3000);
      expect(Math.abs(behind.offsetMs + 3000)).toBeLessThanOrEqual(behind.uncertaintyMs + 50);
    } finally {
      await store.close();
      await drop();
      dir.remove();
    }
  });

  it('keeps the sample with the shortest round trip', async () => {
    let clock = 1_000_000;
    // Round trips of 400, 20 and 200 ms; the database reads its clock 10 ms into each.
    const trips = [400, 20, 200];
    let trip = 0;
    const now = () => clock;
    const databaseTime = async () => {
      const length = trips[trip++]!;
      const read = clock + 10 - 2000; // the database's clock is 2 s behind
      clock += length;
      return read;
    };
    const measured = await measureClockOffset(databaseTime, now);
    expect(measured.uncertaintyMs).toBe(10);
    expect(measured.offsetMs).toBe(2000);
  });

  it('warns only when the offset is surely past a twelfth of the lease, saying which way', () => {
    const leaseMs = 30_000;
    expect(clockWarnThresholdMs(leaseMs)).toBe(2500);
    const logs = captureLogs();
    expect(warnOfClockOffset({ offsetMs: 2000, uncertaintyMs: 5 }, leaseMs, logs.logger)).toBe(
      false,
    );
    // 3 s, but the read could not tell it from 2.3 s.
    expect(warnOfClockOffset({ offsetMs: 3000, uncertaintyMs: 700 }, leaseMs, logs.logger)).toBe(
      false,
    );
    expect(logs.entries()).toHaveLength(0);
    expect(warnOfClockOffset({ offsetMs: -4200, uncertaintyMs: 3 }, leaseMs, logs.logger)).toBe(
      true,
    );
    const [entry] = logs.entries();
    expect(entry).toMatchObject({ offsetMs: -4200, thresholdMs: 2500 });
    expect(entry!.msg).toContain('4.2 s behind the database');
    expect(entry!.msg).toContain('NTP');
  });

  it('exposes relay_clock_offset_seconds on PostgreSQL, near 0 on one host, and not on SQLite', async () => {
    const { schema, drop } = await postgresSchema();
    const scrape = async (relay: Awaited<ReturnType<typeof startTestRelay>>) =>
      (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;
    const postgres = await startTestRelay({ databaseUrl: POSTGRES_URL, databaseSchema: schema });
    const sqlite = await startTestRelay();
    try {
      const match = /^relay_clock_offset_seconds (\S+)$/m.exec(await scrape(postgres));
      expect(match).not.toBeNull();
      expect(Math.abs(Number(match![1]))).toBeLessThan(1);
      expect(await scrape(sqlite)).not.toContain('relay_clock_offset_seconds');
    } finally {
      await postgres.close();
      await sqlite.close();
      await drop();
    }
  });
});
