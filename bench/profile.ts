/**
 * Profiling helper for the benchmark's gap analysis (not run by `npm run bench`):
 *
 *   cd bench && node --cpu-prof --cpu-prof-dir=out/prof/library-b50 \
 *     -r ts-node/register/transpile-only profile.ts library b50
 *
 * Builds one scenario 30 times (or argv[4] times) in new Apps and prints the median and minimum.
 */
import { App, Stack } from 'aws-cdk-lib';
import { buildWithLibrary } from './library';
import { buildWithPlainCdk } from './plain';
import { S1, ScenarioSize } from './scenario';

const build = process.argv[2] === 'plain' ? buildWithPlainCdk : buildWithLibrary;
const size: ScenarioSize = process.argv[3] === 'b50' ? { groups: 3, buckets: 50, importBuckets: true } : S1;
const times: number[] = [];
const count = Number(process.argv[4] ?? 30);
for (let i = 0; i < count; i++) {
  const started = process.hrtime.bigint();
  const app = new App({ outdir: `${__dirname}/out/profile`, context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  build(new Stack(app, 'Bench'), size);
  app.synth();
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`${process.argv[2] ?? 'library'} ${process.argv[3] ?? 's1'}: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, min ${times[0].toFixed(1)} ms`);
