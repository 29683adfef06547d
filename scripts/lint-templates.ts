/**
 * The template gate: runs AWS's CloudFormation linter (cfn-lint) over every template the project
 * synthesizes (the notes app, every construct's default configuration, the options app) and over
 * every committed integ snapshot, as CloudFormation will read them.
 *
 * Fails when cfn-lint is missing, on any error, on any warning that no entry of
 * scripts/cfn-lint-suppressions.json covers, and on an entry that covers nothing (stale).
 *
 * Run: `npx projen lint:templates` (CI runs it in .ci/run; `npm test` does not need Python).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { integSnapshotTemplates, ROOT, synthFixtures, TemplateFile } from './fixtures';
import { coversPlace, globMatch, loadSuppressions, Suppression } from './suppressions';

interface Finding {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path?: Array<string | number>; readonly Start: { readonly LineNumber: number } };
}

function fail(message: string): never {
  console.error(`lint:templates: ${message}`);
  process.exit(1);
}

function cfnLintVersion(): string {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    fail('cfn-lint is not installed (AWS\'s CloudFormation linter, Python): `pip install cfn-lint`, then run again.');
  }
  return probe.stdout.trim();
}

function lint(files: string[]): Finding[] {
  // --format json prints every finding; exit codes 2/4/8 only say that there are findings.
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined || ![0, 2, 4, 6, 8, 10, 12, 14].includes(run.status ?? -1)) {
    fail(`cfn-lint failed to run (exit ${run.status}): ${run.error?.message ?? run.stderr}`);
  }
  return JSON.parse(run.stdout || '[]');
}

/** The suppression that covers a warning, if any. */
function suppressionFor(finding: Finding, template: TemplateFile, entries: Suppression[]): Suppression | undefined {
  const where = finding.Location.Path ?? [];
  const resource = where[0] === 'Resources' ? String(where[1]) : '';
  return entries.find(entry => entry.rule === finding.Rule.Id
    && coversPlace(entry, { source: template.source, stack: template.stack, resource })
    && (entry.message === undefined || globMatch(entry.message, finding.Message))
    && (entry.action === undefined || finding.Message.startsWith(`'${entry.action.split(':')[1].toLowerCase()}' is not one of`)));
}

function main(): void {
  const version = cfnLintVersion();
  const entries = loadSuppressions();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-templates-'));
  try {
    const templates = [...synthFixtures(outdir), ...integSnapshotTemplates()];
    const byFile = new Map(templates.map(t => [path.resolve(t.file), t]));
    const findings = lint(templates.map(t => t.file));

    const failures: string[] = [];
    const used = new Set<Suppression>();
    let suppressed = 0;
    for (const finding of findings) {
      const template = byFile.get(path.resolve(finding.Filename));
      if (template === undefined) {
        fail(`cfn-lint reported a file it was not given: ${finding.Filename}`);
      }
      const where = `${template.source} ${template.stack} ${(finding.Location.Path ?? []).join('/')} (line ${finding.Location.Start.LineNumber})`;
      const entry = finding.Level === 'Error' ? undefined : suppressionFor(finding, template, entries);
      if (entry !== undefined) {
        used.add(entry);
        suppressed++;
        continue;
      }
      failures.push(`${finding.Rule.Id} [${finding.Level}] ${where}: ${finding.Message.slice(0, 300)}`);
    }
    for (const entry of entries.filter(e => !used.has(e))) {
      failures.push(`stale suppression (covers no finding, remove it): ${JSON.stringify(entry)}`);
    }

    console.log(`${version}: ${templates.length} templates`);
    for (const t of templates) {
      const resources = Object.keys(JSON.parse(fs.readFileSync(t.file, 'utf8')).Resources ?? {}).length;
      console.log(`  ${t.source.padEnd(26)} ${t.stack.padEnd(52)} ${String(resources).padStart(3)} resources  ${path.relative(ROOT, t.file).startsWith('..') ? '(synthesized)' : path.relative(ROOT, t.file)}`);
    }
    console.log(`findings: ${findings.length}, suppressed as boilerplate: ${suppressed} (${used.size} of ${entries.length} suppression entries used)`);
    if (failures.length > 0) {
      console.error(`\n${failures.length} problem(s):`);
      failures.forEach(f => console.error(`  ${f}`));
      process.exit(1);
    }
    console.log('0 errors, 0 unsuppressed warnings');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
