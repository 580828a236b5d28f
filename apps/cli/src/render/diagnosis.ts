import {
  LOGIN_HISTORY_LIMIT,
  connectedAppsNotReadLine,
  loginsNotReadLine,
  fieldFails,
  findingCode,
  groupFindings,
  isPartlyChecked,
  uncheckedList,
  uncheckedSentence,
  limitLabel,
  minuteLabel,
  planRemediation,
  REMEDIATION_PERMISSION_SET,
  shareLabel,
  subjectLabel,
  type Diagnosis,
  type Finding,
  type ObjectResult,
  type Severity,
  type Snapshot,
  type Verdict,
} from '@sync-doctor/core';
import { renderRelayed, type RelayedView } from './relayed.js';
import { renderTable, wrapText } from './table.js';
import { visibleLength, type Style } from './style.js';

/** What the check knows besides the diagnosis, for the header and footer. */
export interface CheckContext {
  snapshot?: Snapshot;
  apiUsage?: { used: number; max: number } | null;
  requests?: number;
  /** 'demo fixture read-only-contacts', 'org alias prod', 'https://acme.my.salesforce.com'. */
  source?: string;
  absentColumns?: string[];
  /** What HubSpot reported (the relayed status), shown right under the verdict. */
  relayed?: RelayedView;
  /** Whether Login History was read, and why not (the collector's `loginHistory`). */
  loginHistory?: { read: boolean; cause?: string; message?: string };
  /**
   * Whether the integration user's frozen state (UserLogin.IsFrozen) was read, and why not (the
   * collector's `frozen`): unread, the snapshot has no `IsFrozen` and no frozen-user finding can be.
   */
  frozen?: { read: boolean; cause?: string; message?: string };
  /** Whether HubSpot's connected app was read, and why not (the collector's `connectedApps`). */
  connectedApps?: { read: boolean; cause?: string; message?: string };
}

export interface RenderOptions {
  style: Style;
  /**
   * Terminal width: tables wrap their last column to fit, fold long columns under each row when
   * that would leave it too narrow, and at the narrowest cut cells with an ellipsis.
   */
  width: number;
}

const RIGHTS: { key: keyof ObjectResult['effective']; label: string }[] = [
  { key: 'read', label: 'Read' },
  { key: 'create', label: 'Create' },
  { key: 'edit', label: 'Edit' },
  { key: 'delete', label: 'Delete' },
  { key: 'viewAll', label: 'View All' },
  { key: 'modifyAll', label: 'Modify All' },
];

/** Beyond this many failing fields the table stops; the rest are one line (and all are in --json). */
const MAX_FIELD_ROWS = 12;

/**
 * Findings shown per group (a severity and a reason or symptom code): an org missing field-level
 * security on 3,000 mapped fields has 3,000 findings alike but for the field, some 27,000 lines.
 * The rest of a group is one line; --json, --junit and --report keep every finding.
 */
export const MAX_FINDINGS_PER_GROUP = 5;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function verdictLabel(verdict: Verdict, style: Style): string {
  if (verdict === 'healthy') return style.bold(style.green('HEALTHY'));
  if (verdict === 'at-risk') return style.bold(style.yellow('AT RISK'));
  return style.bold(style.red('BLOCKED'));
}

function severityLabel(severity: Severity, style: Style): string {
  if (severity === 'error') return style.bold(style.red('ERROR'));
  if (severity === 'warning') return style.bold(style.yellow('WARNING'));
  return style.cyan('INFO');
}

/**
 * One cell of the access matrix: ✓ granted, ✗ required and missing, · neither (and ? for a
 * required right the core could not judge, see renderObjects). A right granted but
 * not required is dimmed: it is there, but nothing asks for it.
 */
function cell(required: boolean, granted: boolean, style: Style): string {
  if (required) return granted ? style.green('✓') : style.bold(style.red('✗'));
  return granted ? style.dim('✓') : style.dim('·');
}

function count(findings: Finding[], severity: Severity): number {
  return findings.filter((f) => f.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Pieces joined on as few lines of at most `width` as they fit; a piece too long alone wraps. */
function packPieces(pieces: [separator: string, text: string][], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [separator, text] of pieces) {
    if (line && visibleLength(line) + separator.length + visibleLength(text) <= width) {
      line += separator + text;
      continue;
    }
    if (line) lines.push(line);
    const wrapped = wrapText(text, width);
    lines.push(...wrapped.slice(0, -1));
    line = wrapped[wrapped.length - 1]!;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderHeader(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const user = context.snapshot?.user;
  const org = context.snapshot?.organization;
  const lines: string[] = [];
  const where = org
    ? `${org.Name ?? org.Id}${org.InstanceName ? `, ${org.InstanceName}` : ''}${org.IsSandbox ? ', sandbox' : ''}`
    : undefined;
  // The title in pieces, each with what separates it from the one before: at narrow widths a line
  // breaks between pieces (before the user's name, before the org), not inside a name.
  const pieces: [string, string][] = [
    ['', style.bold('Sync Doctor')],
    ['  ', `integration user ${style.bold(user?.Username ?? 'unknown user')}`],
  ];
  if (user?.Name) pieces.push([' ', style.bold(`(${user.Name})`)]);
  if (where) pieces.push(['  ', `in ${where}`]);
  lines.push(...packPieces(pieces, width));
  if (context.source)
    lines.push(...wrapText(`Read from ${context.source}`, width).map((line) => style.dim(line)));
  // Notes too, as the app's verdict counts them ('1 blocks the sync, 0 risks, 0 notes'): the
  // Findings below number them all, and a count that left them out did not add up to it.
  const counted = [
    plural(count(diagnosis.findings, 'error'), 'error'),
    plural(count(diagnosis.findings, 'warning'), 'warning'),
    plural(count(diagnosis.findings, 'info'), 'note'),
  ].join(', ');
  lines.push('');
  // Checks the reader could not make (frozen state, Login History, connected app) are no pass: a
  // healthy or at-risk verdict says so, or a frozen, IP-blocked user would read as all clear. A
  // blocked verdict is no all-clear already; its not-read sections below say the rest.
  const partly = isPartlyChecked(diagnosis) && diagnosis.verdict !== 'blocked';
  const label = `Verdict: ${verdictLabel(diagnosis.verdict, style)}`;
  const qualifier = partly
    ? `(partly checked: ${uncheckedList(diagnosis.unchecked)} not read)`
    : '';
  // Wrapped as plain text, each line coloured: a colour must not run on past a line's end.
  const verdictLines =
    !qualifier || visibleLength(label) + 1 + qualifier.length <= width
      ? [qualifier ? `${label} ${style.yellow(qualifier)}` : label]
      : [label, ...wrapText(qualifier, Math.max(30, width - 2)).map((l) => `  ${style.yellow(l)}`)];
  const verdict = verdictLines[verdictLines.length - 1]!;
  // Narrow (40 columns), the counts go under the verdict.
  if (visibleLength(verdict) + 2 + counted.length <= width)
    lines.push(...verdictLines.slice(0, -1), `${verdict}  ${style.dim(counted)}`);
  else lines.push(...verdictLines, `  ${style.dim(counted)}`);
  if (partly)
    lines.push(
      ...wrapText(uncheckedSentence(diagnosis.unchecked), Math.max(30, width - 2)).map(
        (line) => `  ${style.yellow(line)}`,
      ),
    );
  lines.push(...whatIsWrong(diagnosis, { style, width }));
  return lines.join('\n');
}

/** Kinds of finding named under the verdict; the rest are one line. */
const MAX_SUMMARY_GROUPS = 5;

/**
 * Under the verdict, what is wrong before the tables that show it: a line per kind of finding
 * (errors first, as under Findings), naming the first subjects, then where the remedies are. An
 * admin who scrolled back, or a CI log read from the top, meets the answer first; the remedies
 * stay at the end, where a terminal leaves them on screen. Notes (info) are not named here.
 */
export function whatIsWrong(diagnosis: Diagnosis, { style, width }: RenderOptions): string[] {
  // The core's grouping, the app's Findings card's and verdict's too.
  const groups = groupFindings(diagnosis.findings, { severities: ['error', 'warning'] });
  if (groups.length === 0) return [];
  const lines: string[] = [];
  for (const group of groups.slice(0, MAX_SUMMARY_GROUPS)) {
    const subjects = [...new Set(group.findings.map((f) => subjectLabel(f.subject)))];
    const named =
      subjects.slice(0, 3).join(', ') +
      (subjects.length > 3 ? ` and ${formatNumber(subjects.length - 3)} more` : '');
    const mark = group.severity === 'error' ? style.red('✗') : style.yellow('!');
    wrapText(`${group.title}: ${named}`, Math.max(30, width - 4)).forEach((line, i) =>
      lines.push(`${i === 0 ? `  ${mark} ` : '    '}${line}`),
    );
  }
  const moreKinds = groups.length - MAX_SUMMARY_GROUPS;
  const tail =
    (moreKinds > 0 ? `… and ${plural(moreKinds, 'other kind')} of finding. ` : '') +
    'What to do: the remedies are under Findings, at the end.';
  for (const line of wrapText(tail, Math.max(30, width - 4))) lines.push(`    ${style.dim(line)}`);
  return lines;
}

export function renderObjects(diagnosis: Diagnosis, { style, width }: RenderOptions): string {
  if (diagnosis.objects.length === 0)
    return `${style.bold('Objects')}\n  ${style.dim('No object access was judged.')}`;
  // Show the rights columns anything requires, plus Read/Create/Edit which HubSpot always concerns.
  const shown = RIGHTS.filter(
    (r) =>
      ['read', 'create', 'edit'].includes(r.key) ||
      diagnosis.objects.some((o) => o.required.includes(r.key)),
  );
  // Who grants the rights, said once for the rows it is the same for: the same profile and
  // permission set folded under every object made the table three times as long at 80 columns.
  const shared = sharedSources(diagnosis.objects);
  let notNeededShown = false;
  const rows = diagnosis.objects.map((o) => {
    // Objects only reached through a lookup are marked; the full "reached by" list is in --json.
    const name = o.reachedBy?.some((r) => r.startsWith('lookup'))
      ? `${o.name}${style.dim('*')}`
      : o.name;
    const missing = o.required.filter((r) => !o.effective[r as keyof ObjectResult['effective']]);
    // The core could not judge some rights (no `missing`, a 'Not judged' note: the org's API does
    // not expose the permission, or the snapshot lacks the rows): those are unknown, not missing.
    const unjudged = o.missing === undefined && (o.note?.startsWith('Not judged') ?? false);
    // An object the org does not have: no right can be missing on it, the object itself is.
    const status =
      o.exists === false
        ? style.red('not in the org')
        : o.required.length === 0
          ? style.dim('not required')
          : missing.length === 0
            ? style.green('ok')
            : unjudged
              ? style.yellow(`check ${missing.join(', ')} by hand`)
              : style.red(`missing ${missing.join(', ')}`);
    const notes =
      o.exists === false || (shared !== undefined && sourcesOf(o) === shared)
        ? []
        : [o.grantedBy.length ? o.grantedBy.join('; ') : style.dim('nothing grants it')];
    if (o.note) notes.push(style.dim(o.note));
    const cells = shown.map((r) => {
      if (unjudged && o.required.includes(r.key) && !o.effective[r.key]) return style.yellow('?');
      if (!o.required.includes(r.key) && !o.effective[r.key]) notNeededShown = true;
      return cell(o.required.includes(r.key), o.effective[r.key], style);
    });
    return [name, ...cells, status, notes.join('  ')];
  });
  // Narrow: "Granted by" folds under its row first, then the status; the ✓/✗ matrix stays. When
  // every row's sources are the shared ones, the column has nothing left to say and goes.
  const statusColumn = shown.length + 1;
  const ownSources = rows.some((row) => row[statusColumn + 1] !== '');
  const table = renderTable(
    ['Object', ...shown.map((r) => r.label), 'Status', ...(ownSources ? ['Granted by'] : [])],
    ownSources ? rows : rows.map((row) => row.slice(0, statusColumn + 1)),
    {
      width,
      header: style.dim,
      fold: ownSources ? [statusColumn + 1, statusColumn] : [statusColumn],
    },
  );
  const shareLines =
    shared === undefined
      ? []
      : wrapText(
          `${ownSources ? 'Granted by, unless a row says otherwise:' : 'Granted by:'} ${shared}`,
          width - 4,
        ).map((line, i) => (i === 0 ? `  ${line.replace(/^[^:]*:/, style.dim)}` : `    ${line}`));
  const notes: [marker: string, text: string][] = [];
  if (diagnosis.objects.some((o) => o.reachedBy?.some((r) => r.startsWith('lookup'))))
    notes.push([
      '*',
      'also reached through a lookup of a mapped field, so HubSpot needs at least Read on it',
    ]);
  // A right HubSpot does not ask for and the user lacks: nothing to fix, but a bare dot among
  // the ✓ and ✗ did not say so (Campaign Create, User Create and Edit).
  if (notNeededShown) notes.push(['·', 'not granted, and HubSpot does not need it']);
  return [style.bold('Objects'), table, ...shareLines, ...legendLines(notes, style, width)].join(
    '\n',
  );
}

/** A row's sources as shown: the core's, in its order. */
function sourcesOf(o: ObjectResult): string | undefined {
  return o.note || o.grantedBy.length === 0 ? undefined : o.grantedBy.join('; ');
}

/**
 * The sources ("Profile: HubSpot Integration User; Permission set: HubSpot Integration
 * Permissions") most rows share, when at least two do: said once under the table, and only the
 * rows whose sources differ name theirs, all of them, so every source stays in sight. A row with
 * a note keeps its sources beside it (a folded "Granted by:" must not head the note alone).
 */
function sharedSources(objects: readonly ObjectResult[]): string | undefined {
  const tally = new Map<string, number>();
  for (const o of objects) {
    const sources = o.exists === false ? undefined : sourcesOf(o);
    if (sources !== undefined) tally.set(sources, (tally.get(sources) ?? 0) + 1);
  }
  let shared: string | undefined;
  let most = 1;
  // The first of the most shared, in the rows' order.
  for (const [sources, rows] of tally)
    if (rows > most) {
      shared = sources;
      most = rows;
    }
  return shared;
}

/** The table's legend: `  * text`, wrapped under its text (the indent of the lines after the first is deeper). */
function legendLines(
  notes: [marker: string, text: string][],
  style: Style,
  width: number,
): string[] {
  return notes.flatMap(([marker, text]) =>
    wrapText(`${marker} ${text}`, width - 4).map(
      (line, i) => `${i === 0 ? '  ' : '    '}${style.dim(line)}`,
    ),
  );
}

export function renderFailingFields(diagnosis: Diagnosis, { style, width }: RenderOptions): string {
  const failing = diagnosis.fields.filter(fieldFails);
  const title = style.bold(`Fields that fail (${failing.length} of ${diagnosis.fields.length})`);
  if (failing.length === 0) {
    if (diagnosis.fields.length === 0)
      return `${title}\n  ${style.dim('No field access was judged.')}`;
    const allFine = wrapText(
      `All ${plural(diagnosis.fields.length, 'required field')} are readable and editable as needed.`,
      width - 2,
    );
    return `${title}\n${allFine.map((line) => `  ${style.green(line)}`).join('\n')}`;
  }
  const rows = failing
    .slice(0, MAX_FIELD_ROWS)
    .map((f) => [
      f.name,
      f.hubspotProperty ?? '',
      f.required.join(', '),
      cell(f.required.includes('read'), f.effective.read, style),
      cell(f.required.includes('edit'), f.effective.edit, style),
      [
        f.exists === false ? style.red('not in the org') : undefined,
        f.note ??
          (f.grantedBy.length
            ? `granted by ${f.grantedBy.join('; ')}`
            : style.dim('nothing grants it')),
      ]
        .filter(Boolean)
        .join('  '),
    ]);
  const more =
    failing.length > MAX_FIELD_ROWS
      ? `\n${wrapText(
          `… and ${formatNumber(failing.length - MAX_FIELD_ROWS)} more failing ${failing.length - MAX_FIELD_ROWS === 1 ? 'field' : 'fields'} (all of them with --json)`,
          width - 2,
        )
          .map((line) => `  ${style.dim(line)}`)
          .join('\n')}`
      : '';
  const headers = ['Field', 'HubSpot property', 'Needs', 'Read', 'Edit', 'Note'];
  const { rows: marked, footnotes } = footnoteRepeats(rows, 5, 0);
  // Narrow: the note folds under its row first, then the HubSpot property, then what it needs.
  // Footnoted, the notes have left the table and their markers follow the field's name.
  const table = renderTable(footnotes.length ? headers.slice(0, 5) : headers, marked, {
    width,
    header: style.dim,
    fold: footnotes.length ? [1, 2] : [5, 1, 2],
    ...(footnotes.length ? { wrap: [] } : {}),
  });
  const notes = footnotes.length ? `\n${footnoteLines(footnotes, width).join('\n')}` : '';
  return `${title}\n${table}${notes}${more}`;
}

/**
 * A column's text repeated on several rows (twelve fields 'Blocked by the object access on
 * Contact.') given once under the table, with a marker ('[1]') after the row's `at` cell: at 80
 * columns each repeat took a line of its own under its row. Once one text repeats, every row's
 * text goes under the table and the column leaves it (a text left in it would fold the column under
 * every row again). Nothing repeated: the rows stay as they are.
 */
function footnoteRepeats(
  rows: string[][],
  column: number,
  at: number,
): { rows: string[][]; footnotes: [marker: string, text: string][] } {
  const texts = rows.map((row) => row[column] ?? '').filter(Boolean);
  if (new Set(texts).size === texts.length) return { rows, footnotes: [] };
  const markers = new Map<string, string>();
  const marked = rows.map((row) => {
    const text = row[column];
    const marker = text ? (markers.get(text) ?? `[${markers.size + 1}]`) : undefined;
    if (text && marker) markers.set(text, marker);
    return row
      .map((cell, i) => (i === at && marker ? `${cell} ${marker}` : cell))
      .filter((_cell, i) => i !== column);
  });
  return { rows: marked, footnotes: [...markers].map(([text, marker]) => [marker, text]) };
}

/** Footnotes as `  [1] text`, wrapped to the width under their text. */
function footnoteLines(footnotes: [marker: string, text: string][], width: number): string[] {
  return footnotes.flatMap(([marker, text]) =>
    wrapText(text, Math.max(20, width - 3 - marker.length)).map(
      (line, i) => `  ${i === 0 ? marker : ' '.repeat(marker.length)} ${line}`,
    ),
  );
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function renderLimits(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  // The core judges what a limit's use means (API and storage warn at different shares); the
  // colour follows its finding about the limit, so the table never looks worse than the verdict.
  const severityOf = new Map<string, Severity>();
  for (const f of diagnosis.findings) {
    const known = severityOf.get(f.subject);
    if (known === undefined || SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[known])
      severityOf.set(f.subject, f.severity);
  }
  const rows = diagnosis.limits.map((l) => {
    const share = shareLabel(l.ratio);
    const severity = severityOf.get(l.name);
    const colour =
      severity === 'error' ? style.red : severity === 'warning' ? style.yellow : (t: string) => t;
    const { label, unit } = limitLabel(l.name);
    return [
      label,
      `${formatNumber(l.used)}${unit}`,
      `${formatNumber(l.max)}${unit}`,
      colour(share),
    ];
  });
  const lines = [style.bold('Limits')];
  if (rows.length === 0) lines.push(`  ${style.dim('No limits were read.')}`);
  else
    lines.push(
      renderTable(['Limit', 'Used', 'Max', 'Used %'], rows, { width, header: style.dim, wrap: [] }),
    );
  return lines.join('\n');
}

/**
 * HubSpot's logins as the integration user: when it last got in, since when Salesforce refuses it,
 * and with which statuses from where. Nothing when Login History was not asked for; one line when
 * it could not be read.
 */
export function renderLogins(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const logins = diagnosis.logins;
  if (!logins) {
    const read = context.loginHistory;
    if (!read || read.read) return '';
    // The core words it, as in the report the app copies.
    const why = loginsNotReadLine(read) ?? 'Not read.';
    return [
      style.bold('Logins'),
      ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
    ].join('\n');
  }
  const lines = [style.bold(`Logins (last ${logins.days} days)`)];
  const others = logins.otherApplications
    ? ` (${plural(logins.otherApplications, 'attempt')} of other applications left out)`
    : '';
  if (logins.attempts === 0) {
    lines.push(`  ${style.yellow(`No login by HubSpot${others}.`)}`);
    return lines.join('\n');
  }
  const facts = [
    `Last success ${logins.lastSuccessAt ? minuteLabel(logins.lastSuccessAt) : style.red('none')}`,
  ];
  if (logins.failingSince)
    facts.push(style.red(`refused since ${minuteLabel(logins.failingSince)}`));
  facts.push(`${loginAttempts(logins)}${others}`);
  for (const line of packPieces(
    facts.map((fact, i): [string, string] => [i === 0 ? '' : ' · ', fact]),
    width - 2,
  ))
    lines.push(`  ${line}`);
  if (logins.failures.length) {
    const rows = logins.failures.map((group) => [
      logins.failingSince && group.lastAt === logins.lastAttemptAt
        ? style.red(group.status)
        : style.yellow(group.status),
      formatNumber(group.count),
      minuteLabel(group.lastAt),
      group.sourceIps.join(', ') || '-',
    ]);
    lines.push(
      // The login card's and the report's headers, so the three read alike.
      renderTable(['Refused with', 'Times', 'Last at', 'From'], rows, {
        width,
        header: style.dim,
        wrap: [3],
      }),
    );
  }
  return lines.join('\n');
}

/**
 * How many login attempts, and how many Salesforce refused: '168 attempts' alone said neither what
 * was attempted nor how it went, beside a table of refusals. At the core's row cap
 * (LOGIN_HISTORY_LIMIT, newest first) they are the latest ones, not all of the window's. The
 * login card says the same.
 */
function loginAttempts(logins: NonNullable<Diagnosis['logins']>): string {
  const total = logins.attempts;
  const refused = logins.failures.reduce((sum, group) => sum + group.count, 0);
  const noun = total === 1 ? 'login attempt' : 'login attempts';
  const counted =
    total >= LOGIN_HISTORY_LIMIT
      ? `the latest ${formatNumber(total)} ${noun} (Sync Doctor reads no more)`
      : `${formatNumber(total)} ${noun}`;
  if (refused === 0) return `${counted}, ${total === 1 ? 'let in' : 'all let in'}`;
  return `${counted}: ${formatNumber(refused)} refused, ${formatNumber(total - refused)} let in`;
}

/**
 * One line when whether the integration user is frozen could not be read (UserLogin needs Manage
 * Users): no frozen-user finding then means "not checked", not "not frozen". Nothing when it was
 * read (a frozen user is a finding) or not asked for.
 */
export function renderFrozenNotRead(
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const read = context.frozen;
  if (!read || read.read) return '';
  const why =
    read.cause === 'needs-manage-users'
      ? 'Not read (needs Manage Users): whether the user is frozen was not checked.'
      : `Not read${read.message ? `: ${read.message.replace(/^Whether the user is frozen was not read: /, '')}` : '.'}`;
  return [
    style.bold('Frozen state'),
    ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
  ].join('\n');
}

/**
 * One line when HubSpot's connected app could not be read: its policies were then not judged, which
 * the findings alone would not tell. Nothing when it was read (its findings say the rest) or not
 * asked for.
 */
export function renderConnectedAppNotRead(
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const read = context.connectedApps;
  if (!read || read.read) return '';
  // The core words it, as in the report the app copies.
  const why = connectedAppsNotReadLine(read) ?? 'Not read.';
  return [
    style.bold("HubSpot's connected app"),
    ...wrapText(why, Math.max(30, width - 2)).map((l) => `  ${style.dim(l)}`),
  ].join('\n');
}

export function renderFindings(diagnosis: Diagnosis, { style, width }: RenderOptions): string {
  const lines = [style.bold(`Findings (${diagnosis.findings.length})`)];
  if (diagnosis.findings.length === 0) {
    lines.push(`  ${style.green('Nothing stands in the way of the HubSpot sync.')}`);
    return lines.join('\n');
  }
  const textWidth = Math.max(30, width - 7);
  let shown = 0;
  let fixPointed = false;
  for (const { severity, code, findings: group } of groupFindings(diagnosis.findings)) {
    // A group one over the cap is shown whole: one more finding is hardly longer than the line
    // that would stand for it.
    const visible =
      group.length > MAX_FINDINGS_PER_GROUP + 1 ? group.slice(0, MAX_FINDINGS_PER_GROUP) : group;
    for (const finding of visible) {
      lines.push(...findingLines(finding, ++shown, style, width));
      if (!fixPointed && namesTheAppsFix(finding)) {
        fixPointed = true;
        for (const line of wrapText(appsFixPointer(diagnosis), textWidth))
          lines.push(`      ${style.dim(line)}`);
      }
    }
    const hidden = group.length - visible.length;
    if (hidden > 0) {
      lines.push('');
      for (const line of wrapText(
        `… and ${formatNumber(hidden)} more ${code} ${severity === 'info' ? 'notes' : `${severity}s`} like these: run with --json or --report for all ${formatNumber(group.length)}.`,
        textWidth,
      ))
        lines.push(`      ${style.dim(line)}`);
    }
  }
  return lines.join('\n');
}

/**
 * A remedy that offers Sync Doctor's own fix, which creates and assigns the core's permission set
 * ('Sync_Doctor_Remediation'): that fix is the app's, in Salesforce; this command only reads.
 */
function namesTheAppsFix(finding: Finding): boolean {
  return finding.remedy.includes(`'${REMEDIATION_PERMISSION_SET}'`);
}

/**
 * Where "Sync Doctor's fix" is, said once under the first remedy that offers it: the Sync Doctor
 * app (its Lightning app and tab are both labelled 'Sync Doctor') shows the core's plan on a card
 * headed by the plan's title ('Fix it in Salesforce'), whose "Grant the missing rights" button
 * applies the grants (force-app/main/default/lwc/remediationActions). The CLI cannot apply it.
 */
export function appsFixPointer(diagnosis: Diagnosis): string {
  const plan = planRemediation(diagnosis);
  const grants =
    plan.objectPermissions.length +
      plan.fieldPermissions.length +
      plan.systemPermissions.length +
      plan.connectedApps.length >
    0;
  return `Sync Doctor's fix is in Salesforce, not this command: App Launcher > Sync Doctor > the '${plan.title}' card${grants ? ' > "Grant the missing rights"' : ''}.`;
}

/** One numbered finding: a blank line, its title and code, message and remedy. */
function findingLines(finding: Finding, number: number, style: Style, width: number): string[] {
  const textWidth = Math.max(30, width - 7);
  const lines = [''];
  const head = `  ${String(number).padStart(2)}. ${severityLabel(finding.severity, style)}`;
  const subject = subjectLabel(finding.subject);
  const title = `${head}  ${style.bold(subject)}`;
  // The reason code, or the symptom's (SYNC_STOPPED) when the finding names no reason: the
  // same grouping as the Findings card and the report. Narrow: a line of its own.
  const code = findingCode(finding);
  if (visibleLength(title) + 2 + code.length <= width) lines.push(`${title}  ${style.dim(code)}`);
  else if (visibleLength(title) <= width) lines.push(title, `      ${style.dim(code)}`);
  else {
    // A subject wider than what the number and severity leave: under them, wrapped.
    lines.push(head);
    for (const line of wrapText(subject, textWidth)) lines.push(`      ${style.bold(line)}`);
    lines.push(`      ${style.dim(code)}`);
  }
  for (const line of wrapText(finding.message, textWidth)) lines.push(`      ${line}`);
  const remedy = wrapText(`Remedy: ${finding.remedy}`, textWidth);
  remedy.forEach((line, i) =>
    lines.push(`      ${i === 0 ? line.replace(/^Remedy:/, style.cyan('Remedy:')) : line}`),
  );
  // No line for finding.rule: a rule id ('object-permissions') tells an admin nothing the title,
  // the code and the message have not, and the core has no human label for it. --json keeps it.
  return lines;
}

export function renderFooter(context: CheckContext, { style, width }: RenderOptions): string {
  const parts: string[] = [];
  if (context.requests !== undefined)
    parts.push(`${plural(context.requests, 'API request')} to read the org`);
  if (context.apiUsage)
    parts.push(
      `org API usage ${formatNumber(context.apiUsage.used)} / ${formatNumber(context.apiUsage.max)} in the last 24 h`,
    );
  if (context.absentColumns?.length)
    parts.push(`absent in this org: ${context.absentColumns.join(', ')}`);
  if (parts.length === 0) return '';
  // One line when it fits; otherwise a line per part, each wrapped.
  const joined = parts.join(' · ');
  const lines =
    visibleLength(joined) <= width ? [joined] : parts.flatMap((part) => wrapText(part, width));
  return lines.map((line) => style.dim(line)).join('\n');
}

/** The whole human report of `sync-doctor check`. */
export function renderDiagnosis(
  diagnosis: Diagnosis,
  context: CheckContext,
  options: RenderOptions,
): string {
  return [
    renderHeader(diagnosis, context, options),
    context.relayed ? renderRelayed(context.relayed, options.style, options.width) : '',
    renderObjects(diagnosis, options),
    renderFailingFields(diagnosis, options),
    renderLimits(diagnosis, context, options),
    renderLogins(diagnosis, context, options),
    renderFrozenNotRead(context, options),
    renderConnectedAppNotRead(context, options),
    renderFindings(diagnosis, options),
    renderFooter(context, options),
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}
