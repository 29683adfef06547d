/**
 * README's generated parts, rewritten from code so they cannot go stale:
 *
 * - `<!-- generated:toc -->`: the table of contents, from README's own `##` and `###` headings;
 * - `<!-- generated:access-picture -->`: the notes app's access diagram and table, exactly what
 *   `npm run example` writes to cdk.out/ACCESS.md.
 *
 * Each part sits between `<!-- generated:NAME -->` and `<!-- /generated -->`.
 * `npx projen readme` rewrites README.md; `--check` only compares (exit 1 when stale), and
 * test/readme.test.ts fails on a stale README with the command to fix it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accessSections, buildNotesApp } from '../examples/notes-app';
import { accessPicture, Template } from '../examples/summary';

export const README = path.join(__dirname, '..', 'README.md');
export const FIX_COMMAND = 'npx projen readme';

/** A heading of README, outside fenced code blocks. */
export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly slug: string;
}

/**
 * GitHub's heading anchor (github-slugger): lower case, punctuation other than `-` and `_`
 * removed, each space a `-`; a repeated slug gets `-1`, `-2`, ...
 */
export function slugOf(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading keeps its text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The headings (levels 1 to 6) of a markdown text, skipping fenced code blocks. */
export function headingsOf(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const headings: Heading[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (fence === undefined) {
        fence = f[1];
      } else if (f[1].startsWith(fence)) {
        fence = undefined;
      }
      continue;
    }
    const m = fence === undefined ? /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (m) {
      const base = slugOf(m[2]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      headings.push({ level: m[1].length, text: m[2], slug: n === 0 ? base : `${base}-${n}` });
    }
  }
  return headings;
}

/** The table of contents: every `##` heading and, indented, every `###` under it. */
export function tableOfContents(markdown: string): string[] {
  return headingsOf(markdown)
    .filter((h) => (h.level === 2 || h.level === 3) && h.text !== 'Table of contents')
    .map((h) => `${h.level === 3 ? '  ' : ''}- [${h.text.replace(/`/g, '')}](#${h.slug})`);
}

/** The notes app's access picture: diagram and table, as cdk.out/ACCESS.md has them. */
export function notesAppAccessPicture(): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-parts-'));
  try {
    const { app, stack } = buildNotesApp(outdir);
    const template = app.synth().getStackByName(stack.stackName).template as Template;
    return accessPicture(template, accessSections(stack));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Replaces the body of `<!-- generated:NAME -->` ... `<!-- /generated -->`; throws when the markers are missing. */
export function replaceRegion(markdown: string, name: string, body: readonly string[]): string {
  const start = `<!-- generated:${name} -->`;
  const end = '<!-- /generated -->';
  const from = markdown.indexOf(start);
  const to = from < 0 ? -1 : markdown.indexOf(end, from);
  if (from < 0 || to < 0) {
    throw new Error(`README.md has no region ${start} ... ${end}`);
  }
  return `${markdown.slice(0, from + start.length)}\n${body.join('\n')}\n${markdown.slice(to)}`;
}

/** README with every generated part rewritten from the current code. */
export function renderReadme(markdown: string, accessPictureLines: readonly string[] = notesAppAccessPicture()): string {
  let out = replaceRegion(markdown, 'access-picture', accessPictureLines);
  // Last: the table of contents reads the headings of the text around it.
  out = replaceRegion(out, 'toc', tableOfContents(out));
  return out;
}

if (require.main === module) {
  const current = fs.readFileSync(README, 'utf8');
  const wanted = renderReadme(current);
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`README.md's generated parts are stale: run \`${FIX_COMMAND}\` and commit README.md.`);
      process.exit(1);
    }
    console.log('README.md generated parts are up to date');
  } else if (current !== wanted) {
    fs.writeFileSync(README, wanted);
    console.log('README.md: generated parts rewritten');
  } else {
    console.log('README.md: generated parts already up to date');
  }
}
