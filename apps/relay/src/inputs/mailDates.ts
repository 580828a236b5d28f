/*
 * Dates in mail as the relay meets them: the date quoted in a forward's header block, read only
 * where it is unambiguous (the forward's own zone assumed when it names none), and a raw Date
 * header, whose zone names beyond RFC 5322's are read only where their offset is not in doubt.
 */
import { fold } from './forwarded.js';

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
/**
 * Longer than any real Date header (about 40 characters, a comment included), so the regular
 * expressions above stay cheap.
 */
const MAX_DATE_HEADER = 200;
const unfold = (value: string) => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/**
 * The UTC offset, in minutes, a raw Date header was written in ("... 08:03:12 -0800", "... CET");
 * null when it names none, or a name not read (headerZoneOffset).
 */
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
 * A raw Date header's value read as an instant (one naming no zone as UTC, see
 * withoutZoneAsUtc): as JavaScript reads it (RFC 5322 and its obsolete zone names), else with a
 * zone name it does not know replaced by its offset (headerZoneOffset). Without a date,
 * `unreadZone` is the zone name that alone kept it from being read.
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
