// What of an alert target's URL the relay keeps in the clear (alert_targets.summary) and shows in
// the admin API: the same masking for both, so a summary stored before masking (migration 8) and
// one read back hold the same text.

/** A path segment safe to show: a short lowercase word ("services", "hooks"), never a token or id. */
const WORD_SEGMENT = /^[a-z][a-z_-]{0,15}$/;

/**
 * A webhook URL as the admin API shows it: scheme, host and port, and at most the first two path
 * segments when they are plain words (`https://hooks.slack.com/services/…`). A webhook URL often
 * carries its credential in the path (Slack's `/services/T…/B…/<token>`) or the query
 * (`?token=…`), so the rest is never shown, nor any query, fragment or user info. Masking a masked
 * URL changes nothing.
 */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '…';
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const shown: string[] = [];
  for (const segment of segments) {
    if (shown.length === 2 || !WORD_SEGMENT.test(segment)) break;
    shown.push(segment);
  }
  const hidden = segments.length > shown.length || url.search !== '';
  return `${url.protocol}//${url.host}/${shown.join('/')}${hidden ? `${shown.length ? '/' : ''}…` : ''}`;
}

/** A target summary with its URL fields (`url` of a webhook, `webhookUrl` of Slack) masked. */
export function maskSummary(summary: Record<string, unknown>): Record<string, unknown> {
  const shown = { ...summary };
  for (const field of ['url', 'webhookUrl'])
    if (typeof shown[field] === 'string') shown[field] = maskUrl(shown[field]);
  return shown;
}
