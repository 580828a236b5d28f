import { createTransport } from 'nodemailer';
import { DestinationRefusedError, resolveAllowed, type OutboundPolicy } from './destination.js';
import { guardedPost, PostFailedError, type PostAnswer } from './guardedPost.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.js';
import {
  AlertDeliveryError,
  type AlertMessage,
  type AlertTarget,
  type EmailTarget,
  type SlackTarget,
  type WebhookTarget,
} from './types.js';
import { validateAlertTarget } from './validate.js';

export interface SendOptions extends OutboundPolicy {
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

/** The first bytes of an answer, for the error text; the rest is read and dropped. */
const ANSWER_EXCERPT_BYTES = 200;

/** Retry-After in milliseconds: delay-seconds, or an HTTP date measured from `now` (RFC 9110). */
function retryAfter(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * What an admin does about Slack's final answers to an incoming webhook (Slack changelog 2016-05-17
 * "Improving error conditions for Incoming Webhooks"; `no_service` for a webhook that was removed or
 * whose app was uninstalled). Slack answers a short string in the body; the status alone does not say.
 */
const SLACK_REMEDIES: Record<string, string> = {
  channel_is_archived:
    'the channel was archived; unarchive it, or create a new incoming webhook for another channel and replace this target',
  channel_not_found:
    'the channel was deleted; create a new incoming webhook for another channel and replace this target',
  no_service:
    'the incoming webhook was removed or disabled (or its Slack app uninstalled); create a new incoming webhook and replace this target',
  invalid_token:
    'Slack no longer accepts this webhook URL; create a new incoming webhook and replace this target',
  team_disabled: 'the Slack workspace was disabled; replace this target',
  action_prohibited:
    "a Slack workspace setting forbids this webhook posting there; ask the workspace's admin, or use another channel",
  posting_to_general_channel_denied:
    'only admins may post to this channel; create the incoming webhook for another channel',
  invalid_payload: 'Slack refused the message format (please report this to Sync Doctor)',
};

/**
 * One POST, following no redirect (a 3xx is a failure naming its status), with the address
 * checked where it is resolved (destination.ts), and a deadline for the whole exchange.
 */
async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions,
  what: string,
  remedies: Record<string, string> = {},
): Promise<void> {
  const target = new URL(url);
  let answer: PostAnswer;
  try {
    answer = await guardedPost(target, body, {
      headers: { 'content-type': 'application/json', ...headers },
      policy: options,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxAnswerBytes: ANSWER_EXCERPT_BYTES,
      refuseLongerAnswer: false,
    });
  } catch (error) {
    if (!(error instanceof PostFailedError)) throw error;
    throw new AlertDeliveryError(`${what}: ${error.message}`, !error.refused);
  }
  if (answer.status >= 200 && answer.status < 300) return;
  // 408, 425, 429 and 5xx are worth another try; any other answer will not change by retrying.
  const retryable =
    answer.status === 408 || answer.status === 425 || answer.status === 429 || answer.status >= 500;
  const remedy = Object.hasOwn(remedies, answer.text.trim())
    ? remedies[answer.text.trim()]
    : undefined;
  throw new AlertDeliveryError(
    `${what}: HTTP ${answer.status}${answer.text ? ` ${answer.text}` : ''}${remedy ? `: ${remedy}` : ''}`,
    retryable,
    answer.status,
    retryAfter(answer.headers['retry-after'] ?? null, (options.now ?? Date.now)()),
  );
}

async function sendWebhook(
  target: WebhookTarget,
  alert: AlertMessage,
  o: SendOptions,
): Promise<void> {
  const body = JSON.stringify(alert.webhookBody);
  // A fresh timestamp per attempt keeps retries inside the receiver's window; the body is identical.
  const timestamp = String(Math.floor((o.now ?? Date.now)() / 1000));
  await postJson(
    target.url,
    body,
    {
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signBody(target.secret, timestamp, body),
      [EVENT_ID_HEADER]: alert.key,
    },
    o,
    'webhook',
  );
}

async function sendSlack(target: SlackTarget, alert: AlertMessage, o: SendOptions): Promise<void> {
  await postJson(
    target.webhookUrl,
    JSON.stringify({ text: alert.slack.text, blocks: alert.slack.blocks }),
    {},
    o,
    'Slack',
    SLACK_REMEDIES,
  );
}

async function sendEmail(target: EmailTarget, alert: AlertMessage, o: SendOptions): Promise<void> {
  const tls = target.smtp.tls ?? 'starttls';
  // nodemailer resolves names itself and takes no lookup: connect to an address checked here, and
  // keep the name for TLS (SNI and the certificate check).
  let address: string;
  try {
    address = await resolveAllowed(target.smtp.host, o);
  } catch (error) {
    if (error instanceof DestinationRefusedError)
      throw new AlertDeliveryError(`email: ${error.message}`, false);
    throw new AlertDeliveryError(`email: ${(error as Error).message}`, true);
  }
  const transport = createTransport({
    host: address,
    ...(address !== target.smtp.host ? { servername: target.smtp.host } : {}),
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
  let info: { accepted?: unknown[]; rejected?: unknown[]; rejectedErrors?: unknown[] };
  try {
    info = await transport.sendMail({
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
    const retryable =
      e.responseCode === undefined
        ? e.code !== 'EAUTH' && e.code !== 'EENVELOPE'
        : e.responseCode < 500;
    throw new AlertDeliveryError(`email: ${e.message}`, retryable, e.responseCode ?? null);
  } finally {
    transport.close();
  }
  // The server took the message for some recipients and refused others (a typo, a mailbox gone):
  // nodemailer resolves all the same. Reported, not retried: a retry would mail the others again.
  const refused = (info.rejectedErrors ?? []) as { recipient?: string; response?: string }[];
  if (refused.length > 0) {
    const accepted = (info.accepted ?? []).map(String);
    throw new AlertDeliveryError(
      `email: the mail server refused ${refused
        .map((e) => `${e.recipient ?? '?'} (${e.response ?? 'refused'})`)
        .join(', ')}; delivered to ${accepted.join(', ')}; correct the target's addresses`,
      false,
    );
  }
}

/** One attempt to one target. Resolves when the peer accepted; throws AlertDeliveryError otherwise. */
export async function sendAlert(
  target: AlertTarget,
  alert: AlertMessage,
  options: SendOptions = {},
): Promise<void> {
  validateAlertTarget(target, options);
  if (target.kind === 'webhook') return sendWebhook(target, alert, options);
  if (target.kind === 'slack') return sendSlack(target, alert, options);
  return sendEmail(target, alert, options);
}
