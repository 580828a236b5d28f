import type pg from 'pg';

/**
 * Makes PostgreSQL itself roll back writes to a table with a conflict's SQLSTATE (40P01, 40001,
 * 55P03), from a trigger: a real deadlock needs two sessions timed against each other, and one
 * that goes on for every attempt cannot be made at all. Each attempt takes a number from a
 * sequence, which no rollback gives back, so a test can count how often the relay tried.
 */
export interface ConflictTrigger {
  /** Each UPDATE of a row of `table` fails with `code`, on the first `times` attempts (all: every one). */
  raise(table: string, code: string, times?: number): Promise<void>;
  /** The UPDATEs of `table` go through again. */
  stop(table: string): Promise<void>;
  /** The UPDATEs attempted since the last raise (rolled back or not). */
  attempts(): Promise<number>;
}

/** A conflict trigger in `schema`, set up through the test's own connection `sql`. */
export async function conflictTrigger(sql: pg.Client, schema: string): Promise<ConflictTrigger> {
  await sql.query(`CREATE SEQUENCE IF NOT EXISTS ${schema}.conflict_attempts`);
  return {
    async raise(table, code, times = Number.MAX_SAFE_INTEGER) {
      await sql.query(`ALTER SEQUENCE ${schema}.conflict_attempts RESTART`);
      await sql.query(`CREATE OR REPLACE FUNCTION ${schema}.conflict() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('${schema}.conflict_attempts') <= ${times} THEN
            RAISE EXCEPTION 'conflict made by the test' USING ERRCODE = '${code}';
          END IF;
          RETURN NEW;
        END $$`);
      await sql.query(
        `CREATE TRIGGER conflict BEFORE UPDATE ON ${schema}.${table} FOR EACH ROW EXECUTE FUNCTION ${schema}.conflict()`,
      );
    },
    async stop(table) {
      await sql.query(`DROP TRIGGER IF EXISTS conflict ON ${schema}.${table}`);
    },
    async attempts() {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${schema}.conflict_attempts`,
      );
      return Number(rows[0]!.n);
    },
  };
}
