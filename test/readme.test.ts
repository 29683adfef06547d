import * as fs from 'fs';
import * as path from 'path';
import { FIX_COMMAND, headingsOf, README, renderReadme, slugOf, tableOfContents } from '../scripts/readme-parts';

/*
 * README is the package's page on npm and Construct Hub: it must render there (links only to what
 * the package ships or to absolute URLs, anchors that resolve, no Mermaid), its generated parts
 * must match the code, and the contributor commands stay where `.ci/run` and newcomers find them.
 */
const readme = fs.readFileSync(README, 'utf8');
// What `npm pack` ships besides lib/ (test/deployable/package.test.ts checks the package itself).
const SHIPPED = ['README.md', 'API.md', 'LICENSE', 'package.json', '.jsii'];

/** The markdown outside fenced code blocks (links in code are not links). */
function prose(markdown: string): string {
  return markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
}

describe('README on npm and Construct Hub', () => {
  test('its generated parts (table of contents, access picture) are what the code produces', () => {
    // GIVEN README as committed WHEN its generated parts are rendered again from the code
    const wanted = renderReadme(readme);

    // THEN nothing changes; otherwise the message says how to fix it
    if (wanted !== readme) {
      throw new Error(`README.md's generated parts are stale: run \`${FIX_COMMAND}\` and commit README.md.`);
    }
  });

  test('every in-page link resolves to a heading, by a slug every renderer agrees on', () => {
    // GIVEN the heading slugs (GitHub's rules; Construct Hub's agree on plain ASCII slugs without `--`)
    const slugs = new Set(headingsOf(readme).map((h) => h.slug));
    const anchors = [...prose(readme).matchAll(/\]\(#([^)]*)\)/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(20);

    // THEN each anchor names a heading, and only with characters that survive any slugger
    expect(anchors.filter((a) => !slugs.has(a))).toEqual([]);
    expect(anchors.filter((a) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(a))).toEqual([]);
  });

  test('links point to what the package ships, or to absolute URLs', () => {
    const targets = [...prose(readme).matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]);
    const relative = targets.filter((t) => !/^https?:\/\//.test(t));
    expect(relative.filter((t) => !SHIPPED.includes(t) && !t.startsWith('lib/'))).toEqual([]);
    for (const t of relative) {
      expect(fs.existsSync(path.join(path.dirname(README), t)) || t === '.jsii').toBe(true);
    }
  });

  test('has no diagram only GitHub renders', () => {
    expect(readme).not.toMatch(/^\s*```\s*mermaid/m);
  });

  test('opens for consumers: no contributor command before the table of contents, install and a complete example', () => {
    const top = readme.slice(0, readme.indexOf('\n## '));
    expect(top).not.toMatch(/npm (ci|test)|npm run/);
    const order = ['## Table of contents', '## Install', '## Quick start', '## Develop'].map((h) => readme.indexOf(`\n${h}\n`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const example = /<!-- consumer-check:app -->\n```ts[^\n]*\n([\s\S]*?)```\n<!-- \/consumer-check -->/.exec(readme);
    expect(example?.[1]).toMatch(/^import \{ App, [^}]*Stack[^}]*\} from 'aws-cdk-lib';$/m);
    expect(example?.[1]).toMatch(/from 'cdk-federated-access';$/m);
    expect(example?.[1]).toMatch(/^app\.synth\(\);$/m);
  });

  test('## Develop starts with the two commands a fresh clone runs, verbatim', () => {
    const develop = readme.slice(readme.indexOf('\n## Develop\n'));
    const block = /```sh\n([\s\S]*?)```/.exec(develop);
    expect(block?.[1]).toBe('npm ci && npm run example\nnpm test\n');
    // .ci/run runs the same two commands
    const ci = fs.readFileSync(path.join(path.dirname(README), '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm run example$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});

describe('the README tooling', () => {
  test('slugs follow GitHub: punctuation dropped, spaces to hyphens, repeats numbered', () => {
    expect(slugOf('Choice-based sign-in: passkeys and one-time codes')).toBe('choice-based-sign-in-passkeys-and-one-time-codes');
    expect(slugOf('ScopedBucketAccess (S3)')).toBe('scopedbucketaccess-s3');
    expect(slugOf('`npm test` & friends')).toBe('npm-test--friends');
    expect(headingsOf('## A\n```\n## not a heading\n```\n## A\n').map((h) => h.slug)).toEqual(['a', 'a-1']);
  });

  test('the table of contents lists ## and ### headings, not itself', () => {
    expect(tableOfContents('# T\n## Table of contents\n## One\n### Two\n#### Three\n')).toEqual(['- [One](#one)', '  - [Two](#two)']);
  });
});
