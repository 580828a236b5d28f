// The relay's README is a front page and its reference lives in docs/, one topic a page, so
// sections link to each other across files. A renamed heading or a moved section breaks such a
// link silently (GitHub shows the page's top); this reads every relative link and image of the
// README and the pages, and every link from the repository's other Markdown into apps/relay,
// and checks the file exists and the #anchor is a heading there (GitHub's slugs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const relay = path.join(repo, 'apps/relay');

/** The Markdown outside fenced code blocks, inline code spans emptied. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, '``');
  });
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs, repeated ones suffixed -1, -2… */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative links and images of a Markdown file: [line, target]. */
function links(markdown: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  prose(markdown).forEach((line, i) => {
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      out.push([i + 1, target]);
    }
  });
  return out;
}

/** What is wrong with each relative link of `file`: missing files and anchors. */
function brokenLinks(
  file: string,
  markdown: string,
  only: (target: string) => boolean = () => true,
): string[] {
  const problems: string[] = [];
  for (const [line, target] of links(markdown)) {
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = pathPart ? path.resolve(path.dirname(file), decodeURI(pathPart)) : file;
    if (!only(resolved)) continue;
    const where = `${path.relative(repo, file)}:${line} (${target})`;
    if (!existsSync(resolved)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !resolved.endsWith('.md')) continue;
    if (statSync(resolved).isDirectory()) continue;
    const targetText = resolved === file ? markdown : readFileSync(resolved, 'utf8');
    if (!anchors(targetText).has(decodeURIComponent(anchor))) {
      problems.push(`${where}: no heading #${anchor} in ${path.relative(repo, resolved)}`);
    }
  }
  return problems;
}

const relayPages = (): string[] => [
  path.join(relay, 'README.md'),
  ...readdirSync(path.join(relay, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(relay, 'docs', name)),
  // The relay's numbers and their history, kept beside the other benches' pictures in the
  // repository's docs/: its links and images are the relay's too, so all of them are checked.
  path.join(repo, 'docs', 'relay-performance.md'),
];

/** The repository's other hand-written Markdown that may link into the relay's. */
function otherMarkdown(): string[] {
  const files = [path.join(repo, 'README.md')];
  for (const dir of ['docs', 'apps', 'packages']) {
    const base = path.join(repo, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const full = path.join(base, name);
      if (name.endsWith('.md')) files.push(full);
      else if (
        dir !== 'docs' &&
        statSync(full).isDirectory() &&
        existsSync(path.join(full, 'README.md'))
      ) {
        files.push(path.join(full, 'README.md'));
      }
    }
  }
  return files.filter((f) => !f.startsWith(relay + path.sep));
}

describe("the relay's documentation links", () => {
  test('the checker finds a missing page, a missing anchor and ignores code and web links', () => {
    const readme = path.join(relay, 'README.md');
    const md = [
      '# Title',
      '## Same',
      '## Same',
      'See [ok](#title), [twice](#same-1), [web](https://example.com/x#y), `[code](nowhere.md)`.',
      'Broken: [gone](docs/no-such-page.md) and [anchor](#no-such-heading).',
      '```',
      '[in a fence](nowhere.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(readme, md)).toEqual([
      'apps/relay/README.md:5 (docs/no-such-page.md): no such file',
      'apps/relay/README.md:5 (#no-such-heading): no heading #no-such-heading in apps/relay/README.md',
    ]);
  });

  test("GitHub's slugs for the headings the README has", () => {
    expect(slug('The Salesforce connected app (OAuth 2.0 JWT bearer flow)')).toBe(
      'the-salesforce-connected-app-oauth-20-jwt-bearer-flow',
    );
    expect(slug('Run it in production: the short path')).toBe(
      'run-it-in-production-the-short-path',
    );
    expect(slug('One notice, one change')).toBe('one-notice-one-change');
  });

  test('every relative link and image of the README, docs/ pages and the performance page resolves, anchors included', () => {
    const pages = relayPages();
    expect(pages.length).toBeGreaterThan(1);
    const problems = pages.flatMap((file) => brokenLinks(file, readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  test("links from the repository's other Markdown into apps/relay resolve", () => {
    const problems = otherMarkdown().flatMap((file) =>
      brokenLinks(file, readFileSync(file, 'utf8'), (target) => target.startsWith(relay)),
    );
    expect(problems).toEqual([]);
  });
});
