import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Org } from '../org/org.js';
import { FaultInjector } from './faults.js';
import type { PublishedEvent, RequestLogEntry } from './types.js';

interface Session {
  userId: string;
  expired: boolean;
}

interface Cursor {
  records: Record<string, unknown>[];
  totalSize: number;
  /** The session user who ran the query: a locator is that user's. */
  userId: string;
}

/**
 * "A user can have up to 10 query cursors open at a time. If 10 QueryLocator cursors are open when
 * a client application, logged in as the same user, attempts to open a new one, then the oldest of
 * the 10 cursors is released", and reading it then fails (Salesforce Developer Limits and
 * Allocations Quick Reference, "API Query Cursor Limits").
 */
const MAX_OPEN_CURSORS_PER_USER = 10;

interface StateOptions {
  queryBatchSize: number;
  jwtPublicKey?: KeyObject | string;
  clientId?: string;
  logBodies: boolean;
  /** Oldest entries are dropped beyond this many, so a long-running demo does not grow forever. */
  maxLoggedRequests: number;
}

/** Everything the simulator holds between requests. */
export class SimState {
  readonly faults = new FaultInjector();
  readonly requests: RequestLogEntry[] = [];
  readonly publishedEvents: PublishedEvent[] = [];
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, string>();
  readonly cursors = new Map<string, Cursor>();
  url = '';
  /**
   * The instance_url the token endpoint answers when not `url`: where the org's API is after a My
   * Domain change (or behind a proxy a test puts in front of it).
   */
  instanceUrl: string | null = null;
  private cursorCounter = 0;

  constructor(
    public org: Org,
    readonly options: StateOptions,
  ) {}

  log(entry: RequestLogEntry): void {
    this.requests.push(entry);
    const excess = this.requests.length - this.options.maxLoggedRequests;
    if (excess > 0) this.requests.splice(0, excess);
  }

  newSession(userId: string): string {
    // Salesforce session ids start with the org id, then '!' and an opaque part.
    const token = `${this.org.organizationId.slice(0, 15)}!AQ${randomBytes(36).toString('base64url')}`;
    this.sessions.set(token, { userId, expired: false });
    return token;
  }

  newRefreshToken(userId: string): string {
    const token = `5Aep86${randomBytes(30).toString('base64url')}`;
    this.refreshTokens.set(token, userId);
    return token;
  }

  /**
   * Query cursors live until read to the end; a user's eleventh open cursor releases that user's
   * oldest (MAX_OPEN_CURSORS_PER_USER), and only the most recent 200 are kept in all.
   */
  saveCursor(cursor: Cursor): string {
    this.cursorCounter++;
    const locator = `01g5g000${this.cursorCounter.toString(36).toUpperCase().padStart(7, '0')}`;
    const own = [...this.cursors].filter(([, open]) => open.userId === cursor.userId);
    if (own.length >= MAX_OPEN_CURSORS_PER_USER) this.cursors.delete(own[0]![0]);
    this.cursors.set(locator, cursor);
    if (this.cursors.size > 200) this.cursors.delete(this.cursors.keys().next().value!);
    return locator;
  }
}
