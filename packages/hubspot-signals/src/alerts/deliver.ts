import { buildAlert } from './content.js';
import { sendAlert, type SendOptions } from './senders.js';
import { AlertDeliveryError, type AlertMessage, type AlertTarget } from './types.js';

/**
 * Retries and deduplication. In the relay the durable outbox does the waiting (one row per target
 * and dedup key, unique; `alertRetryDelay` gives the next attempt time); `deliverAlert` does the
 * same in process, for a relay without an outbox table yet and for tests.
 */
export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/** Delay before attempt `attempt + 1` after a failed attempt `attempt` (1-based), or null to give up. */
export function alertRetryDelay(
  attempt: number,
  error: unknown,
  options: RetryOptions = {},
): number | null {
  const maxAttempts = options.maxAttempts ?? 14;
  if (!(error instanceof AlertDeliveryError) || !error.retryable || attempt >= maxAttempts)
    return null;
  const base = options.baseDelayMs ?? 2000;
  const cap = options.maxDelayMs ?? 15 * 60_000;
  // Full jitter over an exponential window; never sooner than the peer's Retry-After.
  const exponential = Math.min(cap, base * 2 ** (attempt - 1));
  const delay = Math.round(exponential * (0.5 + (options.random ?? Math.random)() / 2));
  return Math.min(cap, Math.max(delay, error.retryAfterMs ?? 0));
}

/** Remembers which (target, change) pairs went out, so a change enqueued twice alerts once. */
export interface AlertLedger {
  /** True when this key may be sent now (not sent before, not being sent); marks it in progress. */
  claim(key: string): Promise<boolean>;
  markSent(key: string): Promise<void>;
  /** After a final failure: allows a later retry of the same key. */
  release(key: string): Promise<void>;
}

export class MemoryAlertLedger implements AlertLedger {
  private readonly state = new Map<string, 'sending' | 'sent'>();
  async claim(key: string): Promise<boolean> {
    if (this.state.has(key)) return false;
    this.state.set(key, 'sending');
    return true;
  }
  async markSent(key: string): Promise<void> {
    this.state.set(key, 'sent');
  }
  async release(key: string): Promise<void> {
    if (this.state.get(key) === 'sending') this.state.delete(key);
  }
  sent(): string[] {
    return [...this.state].filter(([, s]) => s === 'sent').map(([k]) => k);
  }
}

export interface DeliveryResult {
  status: 'sent' | 'duplicate' | 'failed';
  attempts: number;
  error?: string;
}

export const ledgerKey = (target: AlertTarget, alert: AlertMessage): string =>
  `${target.kind}:${target.id}:${alert.key}`;

export async function deliverAlert(
  target: AlertTarget,
  alert: AlertMessage,
  options: RetryOptions &
    SendOptions & { ledger?: AlertLedger; sleep?: (ms: number) => Promise<void> } = {},
): Promise<DeliveryResult> {
  const key = ledgerKey(target, alert);
  if (options.ledger && !(await options.ledger.claim(key)))
    return { status: 'duplicate', attempts: 0 };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await sendAlert(target, alert, options);
      await options.ledger?.markSent(key);
      return { status: 'sent', attempts: attempt };
    } catch (error) {
      const delay = alertRetryDelay(attempt, error, options);
      if (delay === null) {
        await options.ledger?.release(key);
        return {
          status: 'failed',
          attempts: attempt,
          error: error instanceof Error ? error.message : String(error),
        };
      }
      await sleep(delay);
    }
  }
}

/**
 * A test alert to one target (the relay's test-send endpoint): a clearly marked [TEST] message,
 * one attempt, the error as text when it fails, so an admin sees at once what is wrong.
 */
export async function sendTest(
  target: AlertTarget,
  options: SendOptions & { portalId?: string; appUrl?: string | null } = {},
): Promise<{ ok: true; key: string } | { ok: false; error: string; retryable: boolean }> {
  const at = new Date((options.now ?? Date.now)()).toISOString();
  const alert = buildAlert({
    portalId: options.portalId ?? 'test',
    state: 'suspended',
    previousState: 'cleared',
    reason: 'FIELD_PERMISSIONS_MISSING',
    title: null,
    source: 'manual',
    at,
    since: at,
    excerpt: 'This is a test alert from Sync Doctor. No suspension happened.',
    appUrl: options.appUrl ?? null,
    test: true,
  });
  try {
    await sendAlert(target, alert, options);
    return { ok: true, key: alert.key };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      retryable: error instanceof AlertDeliveryError && error.retryable,
    };
  }
}
