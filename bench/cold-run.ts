/**
 * The cold benchmark: every build in a fresh `node` process (load + construct + synth, as users
 * meet it), library / plain aws-cdk-lib / AmplifyAuth alternating in rotating order.
 * Used by `bench/run.ts`; run alone (`ts-node bench/cold-run.ts [runs]`) it prints the tables only.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, 'out', 'cold');

/** One cold process. */
interface ColdRun {
  /** Wall time of the whole process, as the parent sees it. */
  wall: number;
  load: number;
  construct: number;
  synth: number;
  /** CPU time (user + system) of the whole process, then of each phase. */
  cpu: number;
  loadCpu: number;
  constructCpu: number;
  synthCpu: number;
  maxRssKb: number;
  resources: number;
}
/** The runs of one build in one scenario. */
export interface ColdRow { name: string; runs: ColdRun[]; error?: string }

/** Transpiles the cold child and the builders to bench/out/cold/, the library build loading lib/. */
export function prepare(): void {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: run `npx projen compile` first (the cold bench loads the compiled library, as users do)');
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  for (const name of ['cold', 'library', 'plain', 'amplify', 'scenario']) {
    const source = fs.readFileSync(path.join(__dirname, `${name}.ts`), 'utf8');
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };
    let js = ts.transpileModule(source, { compilerOptions }).outputText;
    js = js.replace(/require\("\.\.\/src"\)/g, 'require("../../../lib")');
    fs.writeFileSync(path.join(OUT, `${name}.js`), js);
  }
}

function runOne(builder: string, scenario: string): ColdRun | { error: string } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [path.join(OUT, 'cold.js'), builder, scenario], { encoding: 'utf8', cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) return { error: (child.stderr || `exit ${child.status}`).split('\n').find((l) => l.trim()) ?? 'failed' };
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
  // The first sentence: e.g. "Number of resources in stack 'Bench': 614 is greater than allowed maximum of 500".
  return result.error !== undefined ? { error: String(result.error).split(': ').slice(0, 2).join(': ') } : { wall, ...result };
}

/** Runs the builders alternately in fresh processes, `rounds` each after one uncounted round. */
export function coldAlternate(builders: Array<[string, string]>, scenario: string, rounds: number): ColdRow[] {
  const rows: ColdRow[] = builders.map(([name]) => ({ name, runs: [] }));
  for (let r = 0; r < rounds + 1; r++) {
    for (let k = 0; k < builders.length; k++) {
      const i = (k + r) % builders.length;
      if (rows[i].error !== undefined) continue;
      const run = runOne(builders[i][1], scenario);
      if ('error' in run) rows[i].error = run.error;
      else if (r > 0) rows[i].runs.push(run);
    }
  }
  return rows;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The cold tables (S1 and 200 groups) and the ratios of the library against plain and Amplify. */
export interface ColdResult {
  markdown: string;
  s1: ColdRow[];
  ratios: { cpu: number; plainMedian: number; plainMin: number; amplifyMedian: number; amplifyMin: number; rss: number };
}

export function runCold(rounds: number): ColdResult {
  prepare();
  const builders: Array<[string, string]> = [['library', 'library'], ['plain aws-cdk-lib', 'plain'], ['AmplifyAuth + hand-written storage', 'amplify']];
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const sections: string[] = [];
  let s1: ColdRow[] = [];
  const only = (process.env.BENCH_COLD_SCENARIOS ?? 's1,g200').split(',');
  const scenarios = [['s1', 'S1 (3 groups, 1 created bucket)'], ['g200', '200 groups (1 created bucket)']].filter(([s]) => only.includes(s));
  for (const [scenario, label] of scenarios) {
    const loadBefore = load();
    const rows = coldAlternate(builders, scenario, rounds);
    if (scenario === 's1') s1 = rows;
    const [lib, plain, amplify] = rows;
    const of = (r: ColdRow, k: keyof ColdRun) => r.runs.map((x) => x[k]);
    const ratio = (r: ColdRow, base: ColdRow, f: (xs: number[]) => number) =>
      (r.error !== undefined || base.error !== undefined ? '-' : f2(f(of(r, 'wall')) / f(of(base, 'wall'))));
    const cpuRatio = (r: ColdRow) => (r.error !== undefined || plain.error !== undefined ? '-' : f2(median(of(r, 'cpu')) / median(of(plain, 'cpu'))));
    const body = rows.map((r) => (r.error !== undefined
      ? [r.name, '0', `**fails**: ${r.error.replace(/\|/g, '/')}`, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-']
      : [r.name, String(r.runs.length), f0(median(of(r, 'wall'))), f0(Math.min(...of(r, 'wall'))),
        f0(median(of(r, 'load'))), f0(median(of(r, 'construct'))), f0(median(of(r, 'synth'))),
        `${f0(median(of(r, 'cpu')))} (${f0(median(of(r, 'loadCpu')))} / ${f0(median(of(r, 'constructCpu')))} / ${f0(median(of(r, 'synthCpu')))})`,
        cpuRatio(r),
        f0(median(of(r, 'maxRssKb')) / 1024),
        `${ratio(r, plain, median)} / ${ratio(r, plain, (xs) => Math.min(...xs))}`,
        `${ratio(r, amplify, median)} / ${ratio(r, amplify, (xs) => Math.min(...xs))}`,
        plain.error === undefined && r.error === undefined ? f2(median(of(r, 'maxRssKb')) / median(of(plain, 'maxRssKb'))) : '-']));
    const t = table(['build', 'runs', 'process median ms', 'process min ms', 'load median ms', 'construct median ms', 'synth median ms',
      'CPU median ms (load / construct / synth)', 'CPU vs plain (median)', 'peak RSS median MB', 'time vs plain (median / min)', 'time vs Amplify (median / min)', 'peak RSS vs plain'], body);
    const text = `### ${label}\n\nLoad average before ${loadBefore}, after ${load()}.\n\n${t}`;
    console.log(`\nCold, ${label}: ${rounds} alternating fresh processes each\n`);
    console.log(t);
    if (lib.error === undefined && plain.error === undefined) {
      const paired = median(lib.runs.map((x, k) => x.wall / plain.runs[k].wall));
      console.log(`library / plain, median of paired runs: ${f2(paired)}`);
    }
    sections.push(text);
    void amplify;
  }
  const [lib, plain, amplify] = s1;
  const w = (r: ColdRow) => r.runs.map((x) => x.wall);
  const ratios = {
    cpu: median(lib.runs.map((x) => x.cpu)) / median(plain.runs.map((x) => x.cpu)),
    plainMedian: median(w(lib)) / median(w(plain)),
    plainMin: Math.min(...w(lib)) / Math.min(...w(plain)),
    amplifyMedian: median(w(lib)) / median(w(amplify)),
    amplifyMin: Math.min(...w(lib)) / Math.min(...w(amplify)),
    rss: median(lib.runs.map((x) => x.maxRssKb)) / median(plain.runs.map((x) => x.maxRssKb)),
  };
  console.log(`\nCold S1 ratios: library / plain ${f2(ratios.plainMedian)} (median) ${f2(ratios.plainMin)} (min); `
    + `library / Amplify ${f2(ratios.amplifyMedian)} (median) ${f2(ratios.amplifyMin)} (min); peak RSS library / plain ${f2(ratios.rss)}; `
    + `CPU time library / plain ${f2(ratios.cpu)} (median)`);
  return { markdown: sections.join('\n\n'), s1, ratios };
}

if (require.main === module) {
  runCold(Number(process.argv[2] ?? 31));
}
