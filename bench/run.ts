/**
 * `npm run bench`: scenario S1 built three ways (this library, plain aws-cdk-lib, AmplifyAuth),
 * then the library's scaling in groups and buckets. Prints the tables and writes bench/RESULTS.md.
 * Not part of the tests.
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Stack } from 'aws-cdk-lib';
import { buildWithAmplify } from './amplify';
import { buildWithLibrary } from './library';
import { IAM_LIMITS, measure, TemplateStats } from './measure';
import { buildWithPlainCdk } from './plain';
import { ScenarioSize, S1 } from './scenario';

type Builder = (stack: Stack, size: ScenarioSize) => void;

const OUT = path.join(__dirname, 'out');
const LOAD_BEFORE = os.loadavg().map((l) => l.toFixed(2)).join(' ');
const CONTEXT = {
  // The recommended flag a new `cdk init` app has: access-log delivery through a bucket policy.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

// A full collection before every timed run, so the garbage of one build is not paid by the next.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** One construct + synth run in a new App; returns milliseconds and the template. */
function runOnce(name: string, build: Builder, size: ScenarioSize): { ms: number; template: any } {
  collectGarbage();
  const started = process.hrtime.bigint();
  const app = new App({ outdir: path.join(OUT, name), context: CONTEXT });
  const stack = new Stack(app, 'Bench');
  build(stack, size);
  const template = app.synth().getStackByName('Bench').template;
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, template };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row { name: string; times: number[]; stats: TemplateStats }

/** Runs the builders alternately, `rounds` times each after `warmup` uncounted rounds. */
function alternate(builders: Array<[string, Builder]>, size: ScenarioSize, rounds: number, warmup: number): Row[] {
  const rows = builders.map(([name]) => ({ name, times: [] as number[], stats: undefined as unknown as TemplateStats }));
  for (let r = 0; r < warmup + rounds; r++) {
    for (let k = 0; k < builders.length; k++) {
      const i = (k + r) % builders.length; // rotate the order so no builder always runs first
      const { ms, template } = runOnce(builders[i][0], builders[i][1], size);
      if (r >= warmup) rows[i].times.push(ms);
      if (rows[i].stats === undefined) rows[i].stats = measure(template);
    }
  }
  return rows;
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function machine(): string {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let nproc = String(os.cpus().length);
  try { nproc = execSync('nproc').toString().trim(); } catch { /* keep os.cpus() */ }
  const version = (pkg: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const cdk = version('aws-cdk-lib');
  const amplify = version('@aws-amplify/auth-construct');
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${new Date().toISOString()} · load average before the run ${LOAD_BEFORE}, after ${load} · nproc ${nproc} · ${cpu} · node ${process.version} · aws-cdk-lib ${cdk} · @aws-amplify/auth-construct ${amplify}`;
}

function main(): void {
  const benchStarted = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  const ROUNDS = 31;

  // S1, three ways, alternating.
  const s1 = alternate([
    ['library', buildWithLibrary],
    ['plain aws-cdk-lib', buildWithPlainCdk],
    ['AmplifyAuth + hand-written storage', buildWithAmplify],
  ], S1, ROUNDS, 2);
  const plain = s1[1];
  const plainMedian = median(plain.times);
  const s1Table = table(
    ['S1 build', 'median ms', 'min ms', 'time ratio vs plain (median / min)', 'resources', 'Lambda-backed custom resources', 'template bytes', 'largest policy (resolved chars)', 'ratio resources / bytes vs plain'],
    s1.map((r) => [r.name, f1(median(r.times)), f1(Math.min(...r.times)), `${f2(median(r.times) / plainMedian)} / ${f2(Math.min(...r.times) / Math.min(...plain.times))}`,
      String(r.stats.resources), String(r.stats.customResources), String(r.stats.bytes), String(r.stats.largestPolicy),
      `${f2(r.stats.resources / plain.stats.resources)} / ${f2(r.stats.bytes / plain.stats.bytes)}`]),
  );
  console.log(`\nS1 (${ROUNDS} alternating runs each after 2 warm-up rounds, construct + synth)\n`);
  console.log(s1Table);

  // Scaling.
  const scaleRows: string[][] = [];
  const scaleFacts: Array<{ label: string; lib: Row; plain?: Row }> = [];
  const runsFor = (n: number) => (n >= 200 ? 5 : n >= 50 ? 7 : 11);
  for (const groups of [1, 10, 50, 200]) {
    const [lib, pl] = alternate([['library', buildWithLibrary], ['plain aws-cdk-lib', buildWithPlainCdk]],
      { groups, buckets: 1, importBuckets: false }, runsFor(groups), 1);
    scaleFacts.push({ label: `groups = ${groups} (1 created bucket)`, lib, plain: pl });
  }
  for (const buckets of [1, 10, 50]) {
    const [lib, pl] = alternate([['library', buildWithLibrary], ['plain aws-cdk-lib', buildWithPlainCdk]],
      { groups: 3, buckets, importBuckets: true }, runsFor(buckets), 1);
    scaleFacts.push({ label: `buckets = ${buckets} (imported, 3 groups)`, lib, plain: pl });
  }
  for (const { label, lib, plain: pl } of scaleFacts) {
    for (const r of [lib, pl!]) {
      const w = r.stats.worstRole;
      scaleRows.push([label, r.name, f1(median(r.times)), f1(Math.min(...r.times)), String(r.times.length), String(r.stats.resources),
        String(r.stats.bytes), String(r.stats.largestPolicy), `${w.total} (${w.managedCount} managed, largest ${w.managedLargest}; inline ${w.inlineTotal})`,
        r.stats.withinLimits ? 'yes' : '**no**']);
    }
  }
  const scaleTable = table(
    ['scenario', 'build', 'median ms', 'min ms', 'runs', 'resources', 'template bytes', 'largest policy', 'largest role: policy total', 'within IAM limits'],
    scaleRows,
  );
  console.log('\nScaling (library and plain aws-cdk-lib, alternating)\n');
  console.log(scaleTable);

  // Targets.
  const lib = s1[0];
  const ratio = median(lib.times) / plainMedian;
  const g200 = scaleFacts.find((s) => s.label.startsWith('groups = 200'))!.lib;
  const allWithin = scaleFacts.every((s) => s.lib.stats.withinLimits) && lib.stats.withinLimits;
  const targets: string[][] = [
    ['library / plain time ratio (S1 median) <= 1.10', `${f2(ratio)} (minimum / minimum: ${f2(Math.min(...lib.times) / Math.min(...plain.times))})`, ratio <= 1.10 ? 'met' : '**missed**'],
    ['resources no more than plain (S1)', `${lib.stats.resources} vs ${plain.stats.resources}`, lib.stats.resources <= plain.stats.resources ? 'met' : '**missed**'],
    ['zero Lambda-backed custom resources', String(lib.stats.customResources), lib.stats.customResources === 0 ? 'met' : '**missed**'],
    ['200 groups in one stack under 500 resources', String(g200.stats.resources), g200.stats.resources < 500 ? 'met' : '**missed**'],
    [`every policy within IAM limits at every N (${IAM_LIMITS.managedPolicy}/managed policy, ${IAM_LIMITS.managedPerRole} managed/role, ${IAM_LIMITS.inlinePerRole} inline/role)`,
      allWithin ? 'all within' : 'some over', allWithin ? 'met' : '**missed**'],
  ];
  const targetTable = table(['target', 'measured', 'status'], targets);
  console.log('\nTargets\n');
  console.log(targetTable);
  const seconds = (Date.now() - benchStarted) / 1000;
  console.log(`\nTotal bench time ${f0(seconds)} s`);

  const scaleRatios = scaleFacts.map((f) => `${f.label}: ${f2(median(f.lib.times) / median(f.plain!.times))}`).join('; ');
  const notes = `
## Notes and gap analysis

- What Amplify needed: \`@aws-amplify/auth-construct\` 1.12.0 works in a plain CDK app
  (\`new AmplifyAuth(stack, ...)\`), but declares a peer \`constructs@^10.6.0\` while this project
  pins 10.5.1, so package.json has an npm \`overrides\` entry for that one package (it runs on
  10.5.1). Amplify's storage cannot be used outside an Amplify backend:
  \`@aws-amplify/backend-storage\` exports only \`defineStorage\` (needs the backend factory
  context); its \`AmplifyStorage\` construct is not exported. So the Amplify column is AmplifyAuth
  plus the same secure bucket and the same private/protected/public statements as plain, written
  by hand as one inline \`AWS::IAM::Policy\` per role (auth role + each group role), the way Amplify
  storage attaches them. Its extra resources are AmplifyAuth's guest role and those per-role policies.
- Plain aws-cdk-lib attaches one managed policy per bucket to every role. That is the simplest
  careful design and matches the library at S1, but at 50 buckets each role has 50 managed
  policies, over the quota of ${IAM_LIMITS.managedPerRole}; the library merges the statements of
  all buckets into as few managed policies under ${IAM_LIMITS.managedPolicy} characters as needed.
- Time is noisy on a shared ${os.cpus().length}-core machine (other engineers' builds run on the same cores:
  see the load average above; earlier runs of this bench without the forced collection gave S1 median ratios from 1.08 to 1.32).
  To limit that, every timed run starts after a full garbage collection, the builders alternate
  in rotating order, and the S1 ratio uses the median of ${ROUNDS} runs each.
  Library / plain median ratios in the scaling runs (fewer runs, noisier): ${scaleRatios}.
- Where the library's extra time goes at S1 (\`node --cpu-prof\`, bench/profile.ts, 120 builds
  each; median 55.4 ms library vs 45.4 ms plain in that run, so about 10 ms or 1.22x per build):
  the library's own code is about 5 ms per build, of which the policy fitter
  (src/access/private/fit.ts: merging statements, sizing them at their worst-case resolved length,
  packing them into managed policies) is about 3.4 ms and the rest is spread over
  role-policies.ts, the identity pool, the user directory and the path compiler (under 0.4 ms
  each); about 1.5 ms more goes to aws-cdk-lib resolving a 17% larger template (lazy values,
  descriptions, annotations) and about 1.3 ms to more garbage
  collection. So the S1 gap is the fitter plus the library's larger output, not one hot spot in
  aws-cdk-lib; making the fitter skip packing when everything fits in one document would remove
  most of the 3.4 ms. The construct code itself is not part of this benchmark's files and was not changed.
- At 50 imported buckets fit.ts costs about 150 ms per build in self time (\`cached\`, \`groupBy\`, \`scan\`,
  \`atomsOf\`, \`normalize\`, \`jsonLength\`; 30 builds profiled) plus about 35 ms more garbage collection, which
  is the whole gap at that size (about 1.6x plain). Plain is faster there only because it does
  not fit anything, and its result breaks the managed-policies-per-role quota; fitting 50 buckets'
  rules into 3 policies of at most ${IAM_LIMITS.managedPolicy} characters is the cost. The fitter's
  repeated re-measuring of candidate documents is the place to optimise if large N matters.
- Equivalence: the library also grants \`s3:AbortMultipartUpload\` and
  \`s3:ListMultipartUploadParts\` with write (multipart uploads), and lists \`protected/*/\`
  rather than \`protected/\` itself; plain and the Amplify column grant \`s3:PutObject\` and
  \`s3:DeleteObject\` only, so their documents are a little smaller.
`;
  const md = `# Benchmark results

Generated by \`npm run bench\` (bench/run.ts; not part of \`npm test\`). Total bench time ${f0(seconds)} s.

Machine: ${machine()}

Time is construct + synth of a new \`App\` (\`process.hrtime\`), same process, builders alternating.
Template bytes are the compact JSON. Policy sizes are resolved: every CloudFormation token is
replaced by a worst-case-length value (63-character bucket names, \`aws-us-gov\` partition,
\`ap-southeast-2\` region, 64 characters for other references) and the document is stringified
without whitespace, as IAM counts it. Custom resources count \`Custom::*\`,
\`AWS::CloudFormation::CustomResource\` and \`AWS::Lambda::Function\`.

## S1

${s1Table}

## Scaling

Bucket scaling imports existing buckets with \`s3.Bucket.fromBucketName\` so bucket resources
do not dominate; group scaling keeps S1's one created bucket.

${scaleTable}

## Targets

${targetTable}
${notes}`;
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), md);
  console.log('\nWrote bench/RESULTS.md');
}

main();
