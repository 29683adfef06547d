import * as fs from 'fs';
import { explain, gate, parseNotes, STATEFUL_TYPES, UnsafeChange, unsafeChanges } from './gate';
import { baselineFile, MANIFEST_FILE, NOTES_FILE, synthUpgradeApps, Template, UpgradeApp } from '../../scripts/upgrade-baseline';

/*
 * The upgrade gate: deploying today's reference apps (the notes app, each construct's default
 * configuration, the options app) over the last release's (test/upgrade/baseline/) must not
 * replace, delete or rename a stateful resource, change a setting AWS cannot change, or stop
 * retaining one, unless test/upgrade/UPGRADING.json records the change with its migration.
 * The baseline is rewritten only by `npx projen upgrade:baseline` (when releasing), never here.
 */

const manifest = JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8'));
const baselineApps: string[] = Object.keys(manifest.apps);
let current: Map<string, UpgradeApp>;

beforeAll(() => {
  // Each app is synthesized once for the whole file.
  current = new Map(synthUpgradeApps().map(a => [a.app, a]));
});

function baseline(app: string): Template {
  return JSON.parse(fs.readFileSync(baselineFile(app), 'utf8'));
}

describe('upgrade gate: today\'s templates against the baseline', () => {
  test('the baseline holds every reference app with its stateful resources', () => {
    // GIVEN the manifest's apps
    // THEN each has its template, and together they cover the stateful types the apps create
    expect(baselineApps.length).toBeGreaterThanOrEqual(8);
    const types = new Set<string>();
    for (const app of baselineApps) {
      const resources = Object.values(baseline(app).Resources ?? {});
      expect(resources).toHaveLength(manifest.apps[app].resources);
      resources.forEach(r => types.add(r.Type));
    }
    expect([...types].filter(t => STATEFUL_TYPES.includes(t)).sort()).toEqual([
      'AWS::Cognito::IdentityPool', 'AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain',
      'AWS::DynamoDB::GlobalTable', 'AWS::KMS::Key', 'AWS::S3::Bucket',
    ]);
  });

  test('every baseline app is still synthesized', () => {
    // THEN no reference app disappeared (its stack would be deleted with everything in it)
    expect(baselineApps.filter(app => !current.has(app))).toEqual([]);
  });

  test('no unrecorded replacement, deletion, rename, immutable change or lost Retain of a stateful resource', () => {
    // GIVEN the recorded upgrade notes
    const notes = parseNotes(JSON.parse(fs.readFileSync(NOTES_FILE, 'utf8')));

    // WHEN today's templates are diffed against the baseline
    const changes: UnsafeChange[] = baselineApps
      .filter(app => current.has(app))
      .flatMap(app => unsafeChanges(app, baseline(app), current.get(app)!.template));
    const result = gate(changes, notes);

    // THEN every unsafe change is recorded, and every note records one
    if (result.unrecorded.length > 0 || result.stale.length > 0) {
      throw new Error(explain(result));
    }
  });
});
