/**
 * One cold build, run by `bench/run.ts` in a fresh `node` process for every build (the way users
 * meet synth: one `cdk synth` process). Transpiled to plain JavaScript under bench/out/cold/ first,
 * so no TypeScript compiler runs in the timed process; the library build loads the compiled
 * `lib/` (what users install), not src/.
 *
 *   node bench/out/cold/cold.js <library|plain|amplify> <s1|g200>
 *
 * Prints one JSON line: the phase times in ms (load, construct, synth), the process's CPU time in
 * ms and its peak RSS in KB.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Stack } from 'aws-cdk-lib';
import type { ScenarioSize } from './scenario';

const started = process.hrtime.bigint();
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
// CPU time (user + system, ms) since `from`: each phase's share of the process's CPU.
const cpuMs = (from: NodeJS.CpuUsage) => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };
const cpuStarted = process.cpuUsage();
const [builder, scenario] = process.argv.slice(2);

// load: aws-cdk-lib, the modules the build's file imports at its top, and the library.
const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
const file = builder === 'library' ? './library' : builder === 'plain' ? './plain' : './amplify';
const mod = require(file);
const build = (mod.buildWithLibrary ?? mod.buildWithPlainCdk ?? mod.buildWithAmplify) as (stack: Stack, size: ScenarioSize) => void;
const { S1 } = require('./scenario') as typeof import('./scenario');
const size: ScenarioSize = scenario === 'g200' ? { groups: 200, buckets: 1, importBuckets: false } : S1;
const load = ms(started);
const loadCpu = cpuMs(cpuStarted);

const constructStarted = process.hrtime.bigint();
const constructCpuStarted = process.cpuUsage();
const app = new cdk.App({
  outdir: `${__dirname}/cdk.out/${builder}-${scenario}`,
  context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
});
let result: Record<string, unknown>;
try {
  build(new cdk.Stack(app, 'Bench'), size);
  const construct = ms(constructStarted);
  const constructCpu = cpuMs(constructCpuStarted);
  const synthStarted = process.hrtime.bigint();
  const synthCpuStarted = process.cpuUsage();
  const resources = Object.keys(app.synth().getStackByName('Bench').template.Resources ?? {}).length;
  const synth = ms(synthStarted);
  const synthCpu = cpuMs(synthCpuStarted);
  const usage = process.resourceUsage();
  // CPU time of the whole process (user + system, ms, from node's start): less moved by other
  // processes on a shared machine than wall time.
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  result = { load, construct, synth, cpu, loadCpu, constructCpu, synthCpu, resources, maxRssKb: usage.maxRSS };
} catch (e) {
  result = { error: String((e as Error).message ?? e).split('\n')[0] };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
