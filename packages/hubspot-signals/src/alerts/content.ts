import { createHash } from 'node:crypto';
import { SUSPENSION_REASONS, type RelayedStatus } from '@sync-doctor/core';
import type { AlertEvent, AlertMessage } from './types.js';

/**
 * Dedup key of a state change: the same change (portal, state, reason, moment) always gives the
 * same key, so a change enqueued twice (a redelivered signal, two relay instances) alerts once.
 */
export function alertDedupKey(
  event: Pick<AlertEvent, 'portalId' | 'state' | 'reason' | 'at' | 'test' | 'afterClearanceAt'>,
): string {
  const material = [
    event.portalId,
    event.state,
    event.reason ?? '-',
    event.at,
    event.test ? 'test' : 'change',
    // Only for a change dated before the clearance it ends (every other key stays as it was).
    ...(event.afterClearanceAt ? [`after-clear:${event.afterClearanceAt}`] : []),
  ].join('|');
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

/** The alert event for a status change, from the status before and after (null before the first). */
export function alertEventFromStatus(
  after: RelayedStatus,
  before: RelayedStatus | null,
  appUrl?: string | null,
): AlertEvent {
  const change = after.history[0];
  const at = change?.at ?? after.lastSeenAt ?? after.clearedAt ?? new Date().toISOString();
  const clearance =
    after.state !== 'cleared' && before?.state === 'cleared' ? before.clearedAt : null;
  const afterClearance = clearance !== null && Date.parse(clearance) > Date.parse(at);
  return {
    portalId: after.portalId,
    state: after.state,
    previousState: before?.state ?? null,
    reason: after.reason,
    title: after.title,
    source: after.source,
    at,
    since: after.since,
    ...(after.lastSeenAt && after.lastSeenAt !== at ? { seenAt: after.lastSeenAt } : {}),
    excerpt: after.excerpt,
    ...(afterClearance ? { afterClearanceAt: clearance } : {}),
    ...(appUrl ? { appUrl } : {}),
  };
}

const HEADLINES = {
  suspended: 'HubSpot suspended its Salesforce sync',
  suspected: 'HubSpot–Salesforce sync appears stalled (suspected suspension)',
  cleared: 'HubSpot–Salesforce sync cleared',
} as const;

/** Text for an HTML e-mail body. (Shared with the relay's access alerts.) */
export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
/** Slack mrkdwn treats &, < and > as control characters. */
export const escapeSlack = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** At most `max` characters, an ellipsis marking the cut (Slack's block limits). */
export const clip = (s: string, max: number): string =>
  s.length <= max ? s : `${s.slice(0, max - 1)}…`;

/** A part of an alert e-mail's body: its plain-text lines and its HTML. */
export interface AlertEmailBlock {
  text: string[];
  html: string;
}

/**
 * Every alert e-mail's layout, text and HTML alike (the relay's access alerts use it too): the
 * headline, a table of facts, the blocks before the remedy, "What to do", the blocks after it, the
 * link to the app and the event id. A null block is left out.
 */
export function alertEmailBodies(o: {
  headline: string;
  facts: [string, string][];
  before: (AlertEmailBlock | null)[];
  remedy: string[];
  after: (AlertEmailBlock | null)[];
  appUrl: string | null;
  key: string;
}): { text: string; html: string } {
  const textOf = (blocks: (AlertEmailBlock | null)[]) =>
    blocks.flatMap((block) => (block ? ['', ...block.text] : []));
  const text = [
    o.headline,
    '',
    ...o.facts.map(([k, v]) => `${k}: ${v}`),
    ...textOf(o.before),
    ...(o.remedy.length ? ['', 'What to do:', ...o.remedy.map((s, i) => `  ${i + 1}. ${s}`)] : []),
    ...textOf(o.after),
    ...(o.appUrl ? ['', `Open Sync Doctor: ${o.appUrl}`] : []),
    '',
    `Event id: ${o.key}`,
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(o.headline)}</h2>`,
    `<table>${o.facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    ...o.before.map((block) => block?.html ?? ''),
    o.remedy.length
      ? `<h3>What to do</h3><ol>${o.remedy.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`
      : '',
    ...o.after.map((block) => block?.html ?? ''),
    o.appUrl ? `<p><a href="${escapeHtml(o.appUrl)}">Open Sync Doctor</a></p>` : '',
    `<p style="color:#888">Event id: ${o.key}</p>`,
  ].join('\n');
  return { text, html };
}

/** A Slack Block Kit block, as posted (Slack checks the shape; nothing here reads it back). */
export type SlackBlock = Record<string, unknown>;

/** A mrkdwn section of at most Slack's 3,000 characters; `markdown` is already escaped. */
export const slackSection = (markdown: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(markdown, 3000) },
});

/**
 * Every alert's Slack layout, as `alertEmailBodies` is its e-mail's (the relay's access alerts
 * use both): the headline, the facts, the blocks before the remedy, "What to do", the blocks
 * after it, and a button to the app when there is an app URL, red while something is wrong. A
 * null block is left out.
 */
export function alertSlackBlocks(o: {
  headline: string;
  facts: [string, string][];
  before: (SlackBlock | null)[];
  remedy: string[];
  after: (SlackBlock | null)[];
  appUrl: string | null;
  resolved: boolean;
}): SlackBlock[] {
  const present = (blocks: (SlackBlock | null)[]) =>
    blocks.filter((block): block is SlackBlock => block !== null);
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(o.headline, 150), emoji: true } },
    {
      type: 'section',
      fields: o.facts.map(([k, v]) => ({
        type: 'mrkdwn',
        text: clip(`*${k}*\n${escapeSlack(v)}`, 2000),
      })),
    },
    ...present(o.before),
    ...(o.remedy.length
      ? [
          slackSection(
            `*What to do*\n${o.remedy.map((s, i) => `${i + 1}. ${escapeSlack(s)}`).join('\n')}`,
          ),
        ]
      : []),
    ...present(o.after),
    ...(o.appUrl
      ? [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Open Sync Doctor' },
                url: o.appUrl,
                style: o.resolved ? 'primary' : 'danger',
              },
            ],
          },
        ]
      : []),
  ];
}

export function buildAlert(event: AlertEvent): AlertMessage {
  const catalog = event.reason ? SUSPENSION_REASONS[event.reason] : null;
  const reasonTitle = catalog?.titles.en ?? null;
  const headline = `${event.test ? '[TEST] ' : ''}${HEADLINES[event.state]}`;
  const remedy =
    event.state === 'cleared'
      ? []
      : (catalog?.remedy ??
        (event.state === 'suspected'
          ? [
              'Open HubSpot: Settings > Integrations > Connected Apps > Salesforce and look for a suspension banner.',
              "Open Sync Doctor in Salesforce to check the integration user's access.",
            ]
          : []));
  const meaning = event.state === 'cleared' ? null : (catalog?.meaning ?? null);
  const key = alertDedupKey(event);
  const what =
    reasonTitle ??
    event.title ??
    (event.state === 'suspected'
      ? 'No reason known yet: records stopped syncing'
      : 'Reason not known');
  const facts: [string, string][] = [
    ['Portal', event.portalId],
    ['State', event.previousState ? `${event.previousState} → ${event.state}` : event.state],
    ['Reason', event.state === 'cleared' ? (reasonTitle ?? '-') : what],
    ['Source', event.source ?? '-'],
    ['Since', event.since ?? '-'],
    ['At', event.at],
    ...(event.seenAt && event.seenAt !== event.at
      ? [['Last seen', event.seenAt] as [string, string]]
      : []),
  ];

  const webhookBody: Record<string, unknown> = {
    type: event.test ? 'sync-doctor.test' : 'sync-doctor.status.changed',
    id: key,
    portalId: event.portalId,
    state: event.state,
    previousState: event.previousState,
    reason: event.reason,
    reasonTitle,
    title: event.title,
    source: event.source,
    at: event.at,
    since: event.since,
    seenAt: event.seenAt ?? null,
    excerpt: event.excerpt,
    remedy,
    appUrl: event.appUrl ?? null,
    test: Boolean(event.test),
  };

  // Block Kit: header, facts, meaning, the remedy steps from the core's catalog, evidence, a button to the app.
  const blocks = alertSlackBlocks({
    headline,
    facts,
    before: [meaning ? slackSection(escapeSlack(meaning)) : null],
    remedy,
    after: [
      event.excerpt
        ? {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: clip(`> ${escapeSlack(event.excerpt)}`, 3000) }],
          }
        : null,
    ],
    appUrl: event.appUrl ?? null,
    resolved: event.state === 'cleared',
  });
  const slackText = `${headline}: portal ${event.portalId}${event.state === 'cleared' ? '' : ` — ${what}`}`;

  const subject = `[Sync Doctor] ${headline} — portal ${event.portalId}${event.state === 'cleared' ? '' : `: ${what}`}`;
  const { text, html } = alertEmailBodies({
    headline,
    facts,
    before: [meaning ? { text: [meaning], html: `<p>${escapeHtml(meaning)}</p>` } : null],
    remedy,
    after: [
      event.excerpt
        ? {
            text: ['What HubSpot showed:', event.excerpt],
            html: `<blockquote>${escapeHtml(event.excerpt)}</blockquote>`,
          }
        : null,
    ],
    appUrl: event.appUrl ?? null,
    key,
  });

  return {
    key,
    event,
    headline,
    reasonTitle,
    meaning,
    remedy,
    webhookBody,
    slack: { text: slackText, blocks },
    email: { subject: clip(subject, 250), text, html },
  };
}
