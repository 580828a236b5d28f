/**
 * The little SQL both stores share. Queries are written once with PostgreSQL's `$1` placeholders;
 * the SQLite adapter rewrites them to SQLite's numbered `?1` form.
 */
export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  transaction<T>(work: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PostgreSQL only: LISTEN on a channel with a dedicated connection; resolves to an unlisten. */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}
