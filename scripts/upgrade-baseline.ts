/**
 * The upgrade gate's baseline: the reference apps' templates as the last release synthesized them
 * (test/upgrade/baseline/<app>.template.json and manifest.json). test/upgrade/ diffs today's
 * templates against them and fails when a deploy would replace, delete or rename a stateful
 * resource, or stop retaining it, unless test/upgrade/UPGRADING.json records the change.
 *
 * Run when releasing: `npx projen upgrade:baseline` rewrites the templates and the manifest from
 * the working tree and empties UPGRADING.json's `changes` (printing them: they belong in the
 * release notes), since the new baseline contains them. `npm test` never rewrites the baseline.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, synthFixtures } from './fixtures';

/** Where the baseline templates and their manifest live. */
export const BASELINE_DIR = path.join(ROOT, 'test', 'upgrade', 'baseline');

/** The manifest naming where the baseline comes from. */
export const MANIFEST_FILE = path.join(BASELINE_DIR, 'manifest.json');

/** The upgrade notes: the recorded unsafe changes since the baseline, each with its migration. */
export const NOTES_FILE = path.join(ROOT, 'test', 'upgrade', 'UPGRADING.json');

/** A CloudFormation template as JSON. */
export type Template = { Resources?: Record<string, { Type: string; [key: string]: unknown }>; [key: string]: unknown };

/** One reference app: its name (the stack id), where it comes from and its template. */
export interface UpgradeApp {
  /** The stack id, unique across the reference apps: `NotesApp`, `UserDirectoryDefaults`, ... */
  readonly app: string;
  /** `example`, `defaults` or `options` (see scripts/fixtures.ts). */
  readonly source: string;
  readonly template: Template;
}

/** Synthesizes the reference apps (scripts/fixtures.ts) once and reads their templates. */
export function synthUpgradeApps(): UpgradeApp[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-'));
  try {
    const apps = synthFixtures(outdir).map(t => ({
      app: t.stack,
      source: t.source,
      template: JSON.parse(fs.readFileSync(t.file, 'utf8')) as Template,
    }));
    const names = apps.map(a => a.app);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) {
      throw new Error(`Two reference apps have the same stack id (${twice.join(', ')}): give each stack its own id.`);
    }
    return apps;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The file of one app's baseline template. */
export function baselineFile(app: string): string {
  return path.join(BASELINE_DIR, `${app}.template.json`);
}

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function main(): void {
  const apps = synthUpgradeApps();
  fs.mkdirSync(BASELINE_DIR, { recursive: true });
  for (const file of fs.readdirSync(BASELINE_DIR).filter(f => f.endsWith('.template.json'))) {
    fs.rmSync(path.join(BASELINE_DIR, file));
  }
  for (const { app, template } of apps) {
    fs.writeFileSync(baselineFile(app), JSON.stringify(template, undefined, 2) + '\n');
  }

  // What the templates were synthesized from: the library (its sources and the locked aws-cdk-lib),
  // the example and the fixture apps.
  const library = ['src', 'package-lock.json'];
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', ...library, 'examples', 'scripts/fixtures.ts');
  const awsCdkLib = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;
  const manifest = {
    about: 'The reference apps\' templates as the last release synthesized them. test/upgrade/upgrade-gate.test.ts diffs '
      + 'today\'s templates against them; `npx projen upgrade:baseline` rewrites them when releasing.',
    release: git('describe', '--tags', '--exact-match', 'HEAD') ?? null,
    commit: git('rev-parse', 'HEAD') ?? null,
    libraryCommit: git('log', '-1', '--format=%H', '--', ...library) ?? null,
    uncommittedChanges: changed === undefined ? null : changed.length > 0,
    awsCdkLib,
    apps: Object.fromEntries(apps.map(({ app, source, template }) => [app, {
      source,
      resources: Object.keys(template.Resources ?? {}).length,
    }])),
  };
  fs.writeFileSync(MANIFEST_FILE, JSON.stringify(manifest, undefined, 2) + '\n');

  // The new baseline contains the recorded changes: their notes go to the release notes.
  const notes = JSON.parse(fs.readFileSync(NOTES_FILE, 'utf8'));
  const released = notes.changes ?? [];
  fs.writeFileSync(NOTES_FILE, JSON.stringify({ ...notes, changes: [] }, undefined, 2) + '\n');

  console.log(`upgrade:baseline: ${apps.length} templates in ${path.relative(ROOT, BASELINE_DIR)} `
    + `(commit ${manifest.commit?.slice(0, 7)}${manifest.uncommittedChanges ? ', with uncommitted changes' : ''})`);
  for (const { app } of apps) {
    console.log(`  ${app.padEnd(32)} ${String(manifest.apps[app].resources).padStart(3)} resources`);
  }
  if (released.length > 0) {
    console.log(`\n${released.length} upgrade note(s) now part of the baseline, removed from ${path.relative(ROOT, NOTES_FILE)}: put them in the release notes.`);
    for (const note of released) {
      console.log(`  ${note.app} ${note.logicalId} (${note.change}): ${note.migration}`);
    }
  }
}

if (require.main === module) {
  main();
}
