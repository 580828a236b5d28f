/**
 * Inline forwards: the header block a mail client writes above a forwarded message ("----------
 * Forwarded message ---------" then From/Date/Subject/To in Gmail, "From: … Sent: … To: …
 * Subject: …" in Outlook and its translations, "Begin forwarded message:" in Apple Mail). Its
 * date is read by mailDates.ts, its subject cleaned by subjectPrefixes.ts. Pure functions over
 * text; linear in its length.
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
// French typography's space before it), then the value, trimmed where it is read. Not `[ \t]*(.*)`
// for the value: the two would split a long run of spaces every way before a line separator (which
// `.` does not match) failed the line, minutes for a 256 KB line.
const HEADER_LINE = /^[ \t]*\*?([\p{L}][\p{L} -]{0,19}?)\*?[ \t\u00a0\u202f]*[:：]\*?(.*)$/u;

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
  // The field the previous line set (a wrapped value continues it), and how many lines it ran on.
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
