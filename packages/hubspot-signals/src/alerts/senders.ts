import { createTransport } from 'nodemailer';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.js';
import { AlertDeliveryError, type AlertMessage, type AlertTarget, type EmailTarget, type SlackTarget, type WebhookTarget } from './types.js';
import { validateAlertTarget } from './validate.js';

export interface SendOptions {
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

const USER_AGENT = 'SyncDoctor-Relay/0.1';

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, what: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers }, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (error) {
    throw new AlertDeliveryError(`${what}: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return;
  // 408, 425, 429 and 5xx are worth another try; any other answer will not change by retrying.
  const retryable = response.status === 408 || response.status === 425 || response.status === 429 || response.status >= 500;
  throw new AlertDeliveryError(`${what}: HTTP ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`, retryable, response.status, retryAfter(response.headers.get('retry-after')));
}

async function sendWebhook(target: WebhookTarget, alert: AlertMessage, o: SendOptions): Promise<void> {
  const body = JSON.stringify(alert.webhookBody);
  // A fresh timestamp per attempt keeps retries inside the receiver's window; the body is identical.
  const timestamp = String(Math.floor((o.now ?? Date.now)() / 1000));
  await postJson(target.url, body, { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signBody(target.secret, timestamp, body), [EVENT_ID_HEADER]: alert.key }, o.timeoutMs ?? 10_000, 'webhook');
}

async function sendSlack(target: SlackTarget, alert: AlertMessage, o: SendOptions): Promise<void> {
  await postJson(target.webhookUrl, JSON.stringify({ text: alert.slack.text, blocks: alert.slack.blocks }), {}, o.timeoutMs ?? 10_000, 'Slack');
}

async function sendEmail(target: EmailTarget, alert: AlertMessage, o: SendOptions): Promise<void> {
  const tls = target.smtp.tls ?? 'starttls';
  const transport = createTransport({
    host: target.smtp.host,
    port: target.smtp.port ?? (tls === 'implicit' ? 465 : 587),
    secure: tls === 'implicit',
    requireTLS: tls === 'starttls',
    ignoreTLS: tls === 'none',
    ...(target.smtp.auth ? { auth: target.smtp.auth } : {}),
    ...(target.smtp.tlsOptions ? { tls: target.smtp.tlsOptions } : {}),
    connectionTimeout: o.timeoutMs ?? 10_000,
    greetingTimeout: o.timeoutMs ?? 10_000,
    socketTimeout: o.timeoutMs ?? 10_000,
  });
  try {
    await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: alert.email.subject,
      text: alert.email.text,
      html: alert.email.html,
      // The same Message-ID on every attempt: a mail that got through before a lost reply is one mail.
      messageId: `<${alert.key}.${target.id.replace(/[^A-Za-z0-9.-]/g, '')}@sync-doctor>`,
      headers: { [EVENT_ID_HEADER]: alert.key },
    });
  } catch (error) {
    const e = error as { responseCode?: number; code?: string; message: string };
    // SMTP 4xx is temporary by definition (RFC 5321); 5xx is permanent; no answer at all is worth a retry.
    const retryable = e.responseCode === undefined ? e.code !== 'EAUTH' && e.code !== 'EENVELOPE' : e.responseCode < 500;
    throw new AlertDeliveryError(`email: ${e.message}`, retryable, e.responseCode ?? null);
  } finally {
    transport.close();
  }
}

/** One attempt to one target. Resolves when the peer accepted; throws AlertDeliveryError otherwise. */
export async function sendAlert(target: AlertTarget, alert: AlertMessage, options: SendOptions = {}): Promise<void> {
  validateAlertTarget(target);
  if (target.kind === 'webhook') return sendWebhook(target, alert, options);
  if (target.kind === 'slack') return sendSlack(target, alert, options);
  return sendEmail(target, alert, options);
}
