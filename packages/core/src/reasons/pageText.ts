/** The most of a page read for its text: what is worth quoting is near its start. */
export const PAGE_TEXT_MAX_CHARS = 64 * 1024;

/**
 * A page without its scripts and style sheets, in one pass: a <script> or <style> never closed
 * drops the rest. The patterns this replaced (`<(script|style)[^]*?<\/\1>`, then `<[^>]*>`)
 * scanned to the end of the page from every unclosed one, and from every '<' without a '>': a
 * page of 100,000 of them blocked the event loop for most of a minute.
 */
function withoutScripts(html: string): string {
  const lower = html.toLowerCase();
  const opening = /<(script|style)\b/g;
  let text = '';
  let from = 0;
  for (let match = opening.exec(lower); match; match = opening.exec(lower)) {
    text += `${html.slice(from, match.index)} `;
    const closing = lower.indexOf(`</${match[1]}`, opening.lastIndex);
    if (closing === -1) return text;
    const end = lower.indexOf('>', closing);
    if (end === -1) return text;
    from = end + 1;
    opening.lastIndex = from;
  }
  return text + html.slice(from);
}

/**
 * The text of an HTML page that came where an API answer was expected (an edge's or a proxy's
 * error page), for quoting in an error: its first 64 KB, scripts, style sheets and every tag
 * dropped, spacing collapsed; the <title> stays ("502 Bad Gateway" is often all a page says).
 * Unlike `stripHtml`, which reads a notice's words for classifying (head dropped, entities
 * decoded). Linear whatever the page holds: a tag is matched up to the next '<' at most. The
 * caller cuts it to the length it quotes.
 */
export function pageText(html: string): string {
  return withoutScripts(html.slice(0, PAGE_TEXT_MAX_CHARS))
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
