import { SqlChangeStore } from './changeStore.js';
import type { RelayStore } from './types.js';

// The SQL store, for SQLite and PostgreSQL alike, one module per concern, each a class that adds
// its part of the RelayStore interface on top of the one before:
//   sqlStoreBase.ts  the database, change notifications between instances, the status caches
//   portalStore.ts   portals (create, read, update, delete with everything kept for them)
//   inboundStore.ts  kept e-mails and sync-error reports
//   outboxStore.ts   the Salesforce outbox (claims, leases, retries, counts)
//   changeStore.ts   signals, status and the change history (ingestion and GET state)
//   sqlRows.ts       rows to records, cursors and page limits, constraint errors
// One class in the end, with no fields but the base's: the request paths call its methods as
// before, on the same instance, with the same statements.

export { changesChannel } from './sqlStoreBase.js';
export { OLDEST_UNDELIVERED_SQL, OUTBOX_COUNTS_SQL } from './outboxStore.js';
export { InvalidCursorError, decodeCursor, encodeCursor, forPortal, pageLimit } from './sqlRows.js';

export class SqlRelayStore extends SqlChangeStore implements RelayStore {}
