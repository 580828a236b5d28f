/*
 * A notice's subject however it came: without the forward and reply prefixes mail clients add, in
 * many languages, and without the tags mail gateways put before a subject they let through.
 */

// "Fwd:", "FW:", "VS:" (da, no), "WG:" (de), "TR:" (fr), "RV:" (es), "ENC:" (pt), "Doorst:" (nl),
// "VB:" (sv), "VL:" (fi), "PD:" (pl), "I:" (it), Outlook's "转发:"/"答复:" (zh-CN), "轉寄:"/"回覆:"
// (zh-TW), "전달:"/"회신:" (ko), "Пересл:"/"Отв:" (ru), "TOV:" (hu), and replies ("Re:", "AW:",
// "SV:"), in any number. The spaces before a "[2]" count are read with it: two runs of spaces side
// by side could split a long run every way, and did, for every prefix word a subject began with.
const SUBJECT_PREFIX =
  /^(?:[ \t]*(?:fwd?|fw|vs|wg|tr|rv|enc|doorst|vb|vl|pd|i|re|aw|sv|antw|ref|rif|tov|转发|轉寄|转寄|轉發|答复|答覆|回复|回覆|전달|회신|пересл|отв)[ \t]*(?:\[\d{1,3}\][ \t]*)?[:：])+[ \t]*/i;

// The tags mail gateways put before a subject they let through: "[EXTERNAL]", "[External Sender]"
// (Microsoft), "EXTERNAL:", "[EXT]", "*EXTERNAL*", "[SPAM]", "[Suspected Spam]", "{Spam?}",
// "[CAUTION: External Email]", "[EXTERN]" (de, nl, sv), "[EKSTERN]" (da, no), "[EXTERNE]" (fr)...
// A tag is read only as a whole: bracketed, starred or ending in a colon, made of these words
// alone, and naming an outside sender or spam (a "[Warning]" or "Action required:" of HubSpot's
// own stays).
const TAG_WORDS = new Set([
  'caution',
  'warning',
  'suspicious',
  'suspected',
  'possible',
  'probable',
  'potential',
  'likely',
  'sender',
  'email',
  'mail',
  'message',
]);
const TAG_CORE = new Set([
  'external',
  'extern',
  'externe',
  'externo',
  'externa',
  'ekstern',
  'esterno',
  'esterna',
  'ext',
  'spam',
]);
const GATEWAY_TAG =
  /^[ \t]*(?:\[([^\]\r\n]{1,40})\]|\(([^)\r\n]{1,40})\)|\{([^}\r\n]{1,40})\}|\*{1,5}([^*\r\n]{1,40})\*{1,5}|([a-z][a-z .-]{0,38}?)[ \t]*:)[ \t]*:?[ \t]*/i;

const isGatewayTag = (tag: string): boolean => {
  const words = tag
    .toLowerCase()
    .replace(/e-mail/g, 'email')
    .replace(/\.(?=\s|$)|\?/g, '')
    .split(/[\s:\-–]+/)
    .filter(Boolean);
  return (
    words.length > 0 &&
    words.every((w) => TAG_CORE.has(w) || TAG_WORDS.has(w)) &&
    words.some((w) => TAG_CORE.has(w))
  );
};

/** The subject without the gateway tags (see GATEWAY_TAG) at its start; the subject when none. */
const stripLeadingTags = (subject: string): string => {
  let rest = subject;
  for (let match = GATEWAY_TAG.exec(rest); match; match = GATEWAY_TAG.exec(rest)) {
    const tag = match.slice(1).find((group) => group !== undefined) ?? '';
    if (!isGatewayTag(tag)) break;
    rest = rest.slice(match[0].length);
  }
  return rest;
};

/** A subject without the tags mail gateways put before it ("[EXTERNAL]", "[SPAM]", ...). */
export const stripGatewayTags = (subject: string): string =>
  stripLeadingTags(subject).trim() || subject.trim();

/**
 * A subject without the forward and reply prefixes mail clients add, nor the tags mail gateways
 * add, before or after them ("[EXTERNAL] Fwd: [EXT] ..."): the notice's subject however it came.
 */
export const stripSubjectPrefixes = (subject: string): string => {
  let rest = subject;
  for (;;) {
    const next = stripLeadingTags(rest).replace(SUBJECT_PREFIX, '');
    if (next === rest) break;
    rest = next;
  }
  return rest.trim() || subject.trim();
};
