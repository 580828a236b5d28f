/**
 * Inline forwards: the header block a mail client writes above a forwarded message ("----------
 * Forwarded message ---------" then From/Date/Subject/To in Gmail, "From: … Sent: … To: …
 * Subject: …" in Outlook and its translations, "Begin forwarded message:" in Apple Mail), and the
 * date in it, read only where it is unambiguous. Pure functions over text; linear in its length.
 */

export type HeaderKind = 'from' | 'date' | 'to' | 'subject';

/** Header labels as mail clients write them in a forward, folded (lower case, no diacritics). */
const LABELS: Record<string, HeaderKind> = {};
// Folded as the lines they are looked up for (fold: a Hangul label is compared as its jamo).
const label = (kind: HeaderKind, words: string[]) =>
  words.forEach((word) => (LABELS[fold(word).trim()] = kind));
label('from', [
  'from',
  'fra',
  'von',
  'de',
  'van',
  'fran',
  'da',
  'od',
  'lahettaja',
  'remitente',
  'mittente',
  'avsender',
  'afzender',
  'expediteur',
  'sender',
  // ja, zh-CN, zh-TW, ko (Outlook), ru, hu, cs, tr
  '差出人',
  '送信者',
  '发件人',
  '寄件者',
  '寄件人',
  '보낸 사람',
  'от',
  'отправитель',
  'feladó',
  'odesílatel',
  'kimden',
]);
label('date', [
  'date',
  'sent',
  'sendt',
  'gesendet',
  'datum',
  'envoye',
  'verzonden',
  'skickat',
  'enviado',
  'enviada',
  'inviato',
  'data',
  'lahetetty',
  'wyslano',
  'fecha',
  'dato',
  'dato sendt',
  '送信日時',
  '日付',
  '发送时间',
  '發送時間',
  '寄件日期',
  '日期',
  '보낸 날짜',
  '날짜',
  'отправлено',
  'дата',
  'elküldve',
  'dátum',
  'odesláno',
  'tarih',
]);
label('to', [
  'to',
  'til',
  'an',
  'a',
  'aan',
  'till',
  'para',
  'do',
  'vastaanottaja',
  'cc',
  'bcc',
  'kopi',
  'kopie',
  'kopia',
  'reply-to',
  'svar til',
  '宛先',
  '收件人',
  '收件者',
  '抄送',
  '副本',
  '받는 사람',
  '참조',
  'кому',
  'копия',
  'címzett',
  'komu',
  'kime',
]);
label('subject', [
  'subject',
  'emne',
  'betreff',
  'objet',
  'onderwerp',
  'amne',
  'asunto',
  'assunto',
  'oggetto',
  'temat',
  'aihe',
  '件名',
  '主题',
  '主旨',
  '제목',
  'тема',
  'tárgy',
  'předmět',
  'konu',
]);

// A declaration, hoisted: the labels above are folded with it as the module loads.
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** "> > From: x" → "From: x": the quote markers of a reply-style forward go. */
const unquote = (line: string): string => line.replace(/^(?:[ \t]*>)+[ \t]?/, '');

// A label of at most 20 letters (bold markers around it allowed), a colon (full-width too, and
// French typography's space before it), then the value.
const HEADER_LINE =
  /^[ \t]*\*?([\p{L}][\p{L} -]{0,19}?)\*?[ \t\u00a0\u202f]*[:：]\*?[ \t\u00a0]*(.*)$/u;

export interface ForwardedHeader {
  from: string | null;
  date: string | null;
  subject: string | null;
  /** The text after the header block: the forwarded message's body. */
  body: string;
}

/** Lines one header value may be wrapped onto. */
const MAX_WRAPPED_LINES = 3;

/** Longest text scanned for a forward's header block: a forward's header is near its top. */
const MAX_SCAN_CHARS = 256 * 1024;

/**
 * The forwarded message's header block: consecutive header lines (a wrapped value joined)
 * naming at least who sent it and when. When a forward holds several (a forward of a forward), the
 * one from HubSpot, else the last (the innermost). Null when the text holds none.
 */
export function findForwardedHeader(text: string): ForwardedHeader | null {
  const lines = text.slice(0, MAX_SCAN_CHARS).split(/\r?\n/);
  type Block = { fields: Partial<Record<HeaderKind, string>>; end: number };
  const blocks: Block[] = [];
  let current: Block | null = null;
  // The field the previous line set (a wrapped value continues it), and how many lines continued it.
  let last: HeaderKind | null = null;
  let continued = 0;
  const close = () => {
    if (
      current &&
      current.fields.from !== undefined &&
      current.fields.date !== undefined &&
      (current.fields.subject !== undefined || current.fields.to !== undefined)
    )
      blocks.push(current);
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = unquote(lines[i]!);
    const match = HEADER_LINE.exec(line);
    const kind = match ? LABELS[fold(match[1]!).trim()] : undefined;
    if (match && kind) {
      current ??= { fields: {}, end: i + 1 };
      // The first of each kind (a "Cc:" does not replace "To:").
      last = current.fields[kind] === undefined ? kind : null;
      if (last) current.fields[last] = match[2]!.trim();
      current.end = i + 1;
      continued = 0;
    } else if (current && line.trim() !== '' && continued < MAX_WRAPPED_LINES) {
      // A long value wrapped onto the next line (an HTML-only forward's text is wrapped at 80
      // characters); the block ends at its blank line.
      if (last) current.fields[last] = `${current.fields[last]} ${line.trim()}`;
      current.end = i + 1;
      continued += 1;
    } else {
      close();
      last = null;
      continued = 0;
    }
  }
  close();
  if (blocks.length === 0) return null;
  const block =
    [...blocks].reverse().find((b) => /hubspot/i.test(b.fields.from ?? '')) ??
    blocks[blocks.length - 1]!;
  return {
    from: block.fields.from || null,
    date: block.fields.date || null,
    subject: block.fields.subject || null,
    body: lines.slice(block.end).map(unquote).join('\n').trim(),
  };
}

// "Fwd:", "FW:", "VS:" (da, no), "WG:" (de), "TR:" (fr), "RV:" (es), "ENC:" (pt), "Doorst:" (nl),
// "VB:" (sv), "VL:" (fi), "PD:" (pl), "I:" (it), Outlook's "转发:"/"答复:" (zh-CN), "轉寄:"/"回覆:"
// (zh-TW), "전달:"/"회신:" (ko), "Пересл:"/"Отв:" (ru), "TOV:" (hu), and replies ("Re:", "AW:",
// "SV:"), in any number.
const SUBJECT_PREFIX =
  /^(?:[ \t]*(?:fwd?|fw|vs|wg|tr|rv|enc|doorst|vb|vl|pd|i|re|aw|sv|antw|ref|rif|tov|转发|轉寄|转寄|轉發|答复|答覆|回复|回覆|전달|회신|пересл|отв)[ \t]*(?:\[\d{1,3}\])?[ \t]*[:：])+[ \t]*/i;

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

const MONTHS: Record<string, number> = {};
const months = (names: string[]) =>
  names.forEach((name, i) => name.split('|').forEach((n) => (MONTHS[fold(n)] = i + 1)));
// en, da/no, de, fr, nl, sv, es, it, pt, fi-less: full names and the abbreviations clients print.
months([
  'january|jan|januar|janvier|janv|januari|enero|ene|gennaio|gen|janeiro|jän|jaen',
  'february|feb|februar|fevrier|fevr|fev|februari|febrero|febbraio|fevereiro',
  'march|mar|marts|mars|marz|maerz|mrz|maart|marzo|marco',
  'april|apr|avril|avr|abril|abr|aprile',
  'may|maj|mai|mei|mayo|maggio|mag|maio',
  'june|jun|juni|juin|junio|giugno|giu|junho',
  'july|jul|juli|juillet|juil|julio|luglio|lug|julho',
  'august|aug|aout|augustus|augusti|agosto|ago',
  'september|sep|sept|septembre|septiembre|settembre|set|setembro',
  'october|oct|okt|oktober|octobre|octubre|ottobre|ott|outubro|out',
  'november|nov|novembre|noviembre|novembro',
  'december|dec|desember|dezember|dez|decembre|diciembre|dic|dicembre|dezembro',
]);
// Russian (Outlook writes the genitive: "30 ноября 2026 г."), in the same order.
months([
  'января|январь|янв',
  'февраля|февраль|фев',
  'марта|март',
  'апреля|апрель|апр',
  'мая|май',
  'июня|июнь|июн',
  'июля|июль|июл',
  'августа|август|авг',
  'сентября|сентябрь|сен|сент',
  'октября|октябрь|окт',
  'ноября|ноябрь|ноя',
  'декабря|декабрь|дек',
]);

// Zone abbreviations whose offset is not in doubt (CST, IST, BST name several zones: not read).
const ZONES: Record<string, number> = {
  gmt: 0,
  utc: 0,
  ut: 0,
  z: 0,
  wet: 0,
  west: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  est: -300,
  edt: -240,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
};
const AMBIGUOUS_ZONES = new Set(['cst', 'ist', 'bst', 'ast', 'adt', 'sst']);

export interface QuotedDate {
  date: Date;
  /** Whether the quoted line named its time zone ('stated') or the forward's was assumed. */
  zone: 'stated' | 'assumed';
}

/**
 * Reads a quoted "Date:"/"Sent:" value: RFC 5322 ("Tue, 24 Nov 2026 10:15:00 +0000"), Gmail's
 * ("Tue, Nov 24, 2026 at 10:15 AM"), Outlook's ("Tuesday, November 24, 2026 10:15 AM", "tirsdag den
 * 24. november 2026 10:15"), Apple Mail's ("November 24, 2026 at 10:15:00 AM EST"), ISO and
 * day-first dotted dates, month names in English, Danish, Norwegian, Swedish, German, French,
 * Dutch, Spanish, Italian and Portuguese. A slashed date is read only when its day is above 12.
 * Without a zone, `assumedOffsetMinutes` (the forward's own) is used. Null when not unambiguous.
 */
export function parseQuotedDate(value: string, assumedOffsetMinutes: number): QuotedDate | null {
  let s = ` ${fold(cjkDate(value.slice(0, 200))).slice(0, 200)} `;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  const take = (match: RegExpExecArray) => {
    s = s.slice(0, match.index) + ' ' + s.slice(match.index + match[0].length);
  };
  let m: RegExpExecArray | null;
  if ((m = /(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?=t|\D)/.exec(s))) {
    [year, month, day] = [+m[1]!, +m[2]!, +m[3]!];
    take(m);
  } else if ((m = /(?<![\d.])(\d{1,2})\.[ ]?(\d{1,2})\.[ ]?(\d{4})(?!\d)/.exec(s))) {
    [day, month, year] = [+m[1]!, +m[2]!, +m[3]!];
    take(m);
  } else if ((m = /(?<![\d/-])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?!\d)/.exec(s))) {
    const [a, b] = [+m[1]!, +m[2]!];
    if (a > 12 && b <= 12) [day, month] = [a, b];
    else if (b > 12 && a <= 12) [month, day] = [a, b];
    else if (a === b) [day, month] = [a, b];
    else return null; // 11/10/2026: 11 October or 10 November
    year = +m[3]!;
    take(m);
  }
  const time =
    /(?<![\d.:])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d.:]*\d)(?:[ \t]*([ap])\.?[ ]?m\b\.?)?/.exec(
      s,
    );
  if (!time) return null;
  let hour = +time[1]!;
  const minute = +time[2]!;
  const second = time[3] ? +time[3] : 0;
  if (time[4]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (time[4] === 'p' ? 12 : 0);
  }
  const afterTime = s.slice(time.index + time[0].length);
  s = s.slice(0, time.index) + ' ' + afterTime;

  let offset: number | null = null;
  const numeric = /(?:\b(?:gmt|utc|ut))?[ ]?([+-])[ ]?(\d{1,2})(?::?(\d{2}))?(?!\d)/.exec(
    afterTime,
  );
  if (numeric && (numeric[3] !== undefined || /gmt|utc|ut/.test(numeric[0]))) {
    offset = (numeric[1] === '-' ? -1 : 1) * (+numeric[2]! * 60 + (numeric[3] ? +numeric[3] : 0));
  } else {
    for (const token of afterTime.split(/[^a-z]+/)) {
      if (AMBIGUOUS_ZONES.has(token)) return null;
      if (token in ZONES) {
        offset = ZONES[token]!;
        break;
      }
    }
  }

  if (month === undefined) {
    const named = new Set<number>();
    for (const token of s.split(/[^a-z\u0430-\u044f\u0451]+/))
      if (token && MONTHS[token] !== undefined) named.add(MONTHS[token]!);
    // "mar." is also Tuesday in French, Spanish and Italian ("mar. 24 nov. 2026").
    if (named.size > 1) named.delete(3);
    if (named.size !== 1) return null;
    month = [...named][0]!;
    const y = /(?<!\d)(\d{4})(?!\d)/.exec(s);
    if (!y) return null;
    year = +y[1]!;
    take(y);
    const d = /(?<!\d)(\d{1,2})(?!\d)/.exec(s);
    if (!d) return null;
    day = +d[1]!;
  }
  if (
    year === undefined ||
    day === undefined ||
    year < 2000 ||
    year > 2100 ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  )
    return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(utc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null; // 31 November
  return {
    date: new Date(utc - (offset ?? assumedOffsetMinutes) * 60_000),
    zone: offset === null ? 'assumed' : 'stated',
  };
}

/**
 * A Chinese, Japanese or Korean quoted date in the forms read below: "2026年11月24日 10:15" (ja,
 * zh), "2026년 11월 24일 화요일 오후 3:15" (ko, AM/PM before the time), "下午3:15" (zh), "午後3:15" (ja).
 */
function cjkDate(value: string): string {
  return value
    .replace(
      /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/u,
      (_m, y: string, mo: string, d: string) => ` ${y}-${mo}-${d} `,
    )
    .replace(/(오전|午前|上午)\s*(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)/u, ' $2 am ')
    .replace(/(오후|午後|下午)\s*(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)/u, ' $2 pm ');
}

/**
 * A Date header's zone written as a name rather than a number. RFC 5322 knows only UT, GMT and the
 * US zones (EST, EDT, CST, CDT, MST, MDT, PST, PDT: JavaScript reads those), and the military
 * letters, to be read as -0000 (UTC, the sender's own zone unknown: §4.3). Mail clients and
 * gateways in Europe also write CET, CEST, EET, EEST, WET, WEST: a notice so dated was counted
 * from its arrival, and keyed by its Message-ID, so the same notice forwarded by two admins became
 * two changes. Those, whose offset is not in doubt, are read (the quoted dates' table, ZONES, with
 * CST as the RFC defines it); a name that stands for several zones (BST, IST) or none stays
 * unread, and the notice counts from arrival, its record saying which zone was not read: a guess
 * would date a suspension hours off without a trace.
 */
function headerZoneOffset(name: string): number | null {
  const token = name.toLowerCase();
  if (token === 'cst') return -360;
  if (token in ZONES) return ZONES[token]!;
  return /^[a-ik-z]$/.test(token) ? 0 : null;
}

/** The time and zone at the end of a Date header, before a comment ("... 10:15:00 CET (Paris)"). */
const DATE_HEADER_ZONE_NAME =
  /^(.*\d:\d{2}(?::\d{2})?)[ \t]+([a-z]{1,5})[ \t]*(?:\([^()]*\)[ \t]*)?$/i;
/** Longer than any real Date header (about 40 characters, a comment included), so the regular expressions above stay cheap. */
const MAX_DATE_HEADER = 200;
const unfold = (value: string) => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/** The UTC offset, in minutes, a raw Date header was written in ("... 08:03:12 -0800", "... CET"); null when it names none, or a name not read (headerZoneOffset). */
export function offsetOfDateHeader(line: string): number | null {
  const value = unfold(line);
  if (value.length > MAX_DATE_HEADER) return null;
  const m = /([+-])(\d{2})(\d{2})[ \t]*(?:\([^)]*\)[ \t]*)?$/.exec(value);
  if (m) return (m[1] === '-' ? -1 : 1) * (+m[2]! * 60 + +m[3]!);
  const named = DATE_HEADER_ZONE_NAME.exec(value);
  return named ? headerZoneOffset(named[2]!) : null;
}

/**
 * A Date header that names no zone: it ends with its time ("Mon, 30 Nov 2026 10:00:00"), the
 * time's fraction of a second, AM or PM, or asctime's year after the time ("Mon Nov 30 10:00:00
 * 2026", what C's ctime() and the scripts using it write), a comment after it allowed.
 */
// The time stands after a space (or ISO's "T"): "+01:00" is a zone, not a time; a year is four
// digits after a space, so "+0100" (signed) stays a zone.
const ZONELESS_DATE =
  /^(.*[ \tT]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[ \t]*[AaPp][Mm])?(?:[ \t]+\d{4})?)[ \t]*(?:\([^()]*\)[ \t]*)?$/;

/**
 * The value with "+0000" (or "Z", for an ISO form) put where its missing zone would be; any
 * other value as it is. RFC 5322 requires the zone; a header without one (old scripts, the
 * obsolete forms of §4.3 some gateways still write) would be read by JavaScript in the host's own
 * time zone, so the same message gave another instant on each host. It is read as UTC instead,
 * which is what §4.3 prescribes for a zone that is unknown ("-0000": the time is UTC, the
 * sender's zone is not said), the closest the RFC comes to a missing one.
 */
function withoutZoneAsUtc(value: string): string {
  if (value.length > MAX_DATE_HEADER) return value;
  const m = ZONELESS_DATE.exec(value);
  if (!m) return value;
  const rfc = `${m[1]} +0000`;
  return Number.isNaN(new Date(rfc).getTime()) ? `${m[1]}Z` : rfc;
}

/**
 * A raw Date header's value read as an instant (one naming no zone as UTC, see withoutZoneAsUtc): as JavaScript reads it (RFC 5322 and its obsolete
 * zone names), else with a zone name it does not know replaced by its offset (headerZoneOffset).
 * Without a date, `unreadZone` is the zone name that alone kept it from being read.
 */
export function readDateHeader(value: string): { date: Date | null; unreadZone: string | null } {
  const unfolded = unfold(value);
  const date = new Date(withoutZoneAsUtc(unfolded));
  if (!Number.isNaN(date.getTime())) return { date, unreadZone: null };
  const m = unfolded.length <= MAX_DATE_HEADER ? DATE_HEADER_ZONE_NAME.exec(unfolded) : null;
  if (!m) return { date: null, unreadZone: null };
  const at = (offset: number) => new Date(`${m[1]} ${formatOffset(offset).replace(':', '')}`);
  if (Number.isNaN(at(0).getTime())) return { date: null, unreadZone: null };
  const offset = headerZoneOffset(m[2]!);
  return offset === null
    ? { date: null, unreadZone: m[2]!.toUpperCase() }
    : { date: at(offset), unreadZone: null };
}

export const formatOffset = (minutes: number): string =>
  `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
