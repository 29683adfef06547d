import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/*
 * The npm package ships the compiled library and its documentation only: lib/, .jsii, API.md,
 * README.md, LICENSE and package.json. `npm pack --dry-run` lists what `npm publish` would ship;
 * probe files stand in for build output that may or may not exist when the test runs
 * (`npm run example` writes cdk.out/, and .ci/run runs it before packaging).
 */
const ROOT = path.join(__dirname, '..', '..');
const ALLOWED_FILES = ['.jsii', 'API.md', 'README.md', 'LICENSE', 'package.json'];
// `.jsii.tabl.json` is written by jsii-rosetta when `npm test` compiles the README snippets.
const PROBES = ['cdk.out/pack-probe.json', 'rosetta/pack-probe.ts', 'scripts/pack-probe.ts', 'integ/pack-probe.ts'];

function packedFiles(): string[] {
  const created: string[] = [];
  try {
    for (const probe of PROBES) {
      const file = path.join(ROOT, probe);
      if (!fs.existsSync(path.dirname(file))) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        created.push(path.dirname(file));
      }
      fs.writeFileSync(file, '{}\n');
      created.push(file);
    }
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  } finally {
    for (const file of created.reverse()) {
      fs.rmSync(file, { recursive: true, force: true });
    }
  }
}

describe('npm package', () => {
  test('ships lib/, .jsii, API.md, README.md, LICENSE and package.json, nothing else', () => {
    const files = packedFiles();
    const unexpected = files.filter(f => !f.startsWith('lib/') && !ALLOWED_FILES.includes(f));
    expect(unexpected).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', ...ALLOWED_FILES]));
  });
});
