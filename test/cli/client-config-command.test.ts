import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { buildNotesApp } from '../../examples/notes-app';
import { CliIo, MAX_DEPTH, NODE_IO, run } from '../../src/cli/client-config-command';
import { deployedConfig, fakeValues } from '../client-config/outputs';
import { resolveIntrinsics } from '../security/harness';

/*
 * `cdk-federated-access client-config` on a committed `cdk deploy --outputs-file` fixture: the
 * notes app's outputs as one Output (stack NotesApp) and cut into three (stack NotesAppSplit).
 * WRITE_FIXTURES=1 npx jest test/cli rewrites the fixture from the current notes app.
 */

const FIXTURES = path.join(__dirname, 'fixtures');
const OUTPUTS = path.join(FIXTURES, 'cdk-outputs.json');
const EXPECTED = path.join(FIXTURES, 'amplify_outputs.json');
const ROOT = path.join(__dirname, '..', '..');

/** Runs the command in-process with captured stdout, stderr and written files. */
function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: CliIo = {
    readFile: (file) => fs.readFileSync(file, 'utf8'),
    writeFile: (file, text) => written.set(file, text),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  };
  const code = run(argv, io);
  return { code, stdout: out.join(''), stderr: err.join(''), written };
}

/** Runs the command in-process against the real file system (for --out). */
function cliOnDisk(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(argv, { ...NODE_IO, stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Characters a terminal acts on, except the line break that ends a message. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** An outputs file (in a fresh folder) holding this ClientConfig value in stack NotesApp. */
function outputsFileWith(amplifyOutputs: string, extraStacks: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
  const file = path.join(dir, 'cdk-outputs.json');
  fs.writeFileSync(file, JSON.stringify({ NotesApp: { AmplifyOutputs: amplifyOutputs }, ...extraStacks }));
  return file;
}

/** The notes app's stack outputs as `cdk deploy --outputs-file` writes them, with fake deployed values. */
function notesAppOutputsFile(): Record<string, Record<string, string>> {
  const template = Template.fromStack(buildNotesApp().stack).toJSON();
  const values = fakeValues(template);
  const notesApp: Record<string, string> = {};
  for (const [name, output] of Object.entries<any>(template.Outputs)) {
    notesApp[name] = resolveIntrinsics(output.Value, values);
  }
  const json = notesApp.AmplifyOutputs;
  const third = Math.ceil(json.length / 3);
  return {
    NotesApp: notesApp,
    NotesAppSplit: { AmplifyOutputs: json.slice(0, third), AmplifyOutputs2: json.slice(third, 2 * third), AmplifyOutputs3: json.slice(2 * third) },
    Other: { Endpoint: 'https://example.com/' },
  };
}

if (process.env.WRITE_FIXTURES === '1') {
  const file = notesAppOutputsFile();
  fs.writeFileSync(OUTPUTS, `${JSON.stringify(file, null, 2)}\n`);
  fs.writeFileSync(EXPECTED, `${JSON.stringify(JSON.parse(file.NotesApp.AmplifyOutputs), null, 2)}\n`);
}

describe('client-config', () => {
  test('the committed fixture holds the notes app\'s current configuration', () => {
    // If this fails after a change to the notes app or the translation: WRITE_FIXTURES=1 npx jest test/cli
    const fixture = JSON.parse(fs.readFileSync(OUTPUTS, 'utf8'));
    const expected = deployedConfig(Template.fromStack(buildNotesApp().stack).toJSON());
    expect(JSON.parse(fixture.NotesApp.AmplifyOutputs)).toEqual(expected);
    expect(JSON.parse(fs.readFileSync(EXPECTED, 'utf8'))).toEqual(expected);
  });

  test('writes amplify_outputs.json for a stack', () => {
    const { code, stdout, stderr } = cli('client-config', '--outputs', OUTPUTS, '--stack', 'NotesApp');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(fs.readFileSync(EXPECTED, 'utf8'));
  });

  test('joins a configuration split over several Outputs', () => {
    const { code, stdout } = cli('client-config', '--outputs', OUTPUTS, '--stack=NotesAppSplit');
    expect(code).toBe(0);
    expect(stdout).toBe(fs.readFileSync(EXPECTED, 'utf8'));
  });

  test('finds the stack when only one has the output, and writes to --out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
    const single = path.join(dir, 'cdk-outputs.json');
    const fixture = JSON.parse(fs.readFileSync(OUTPUTS, 'utf8'));
    fs.writeFileSync(single, JSON.stringify({ NotesApp: fixture.NotesApp, Other: fixture.Other }));
    const ok = cli('client-config', '--outputs', single, '--out', 'amplify_outputs.json');
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(ok.written.get('amplify_outputs.json')).toBe(fs.readFileSync(EXPECTED, 'utf8'));
  });

  test('fails for a missing stack', () => {
    const { code, stdout, stderr } = cli('client-config', '--outputs', OUTPUTS, '--stack', 'Nope');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`cdk-federated-access: ${OUTPUTS} has no stack Nope (stacks: NotesApp, NotesAppSplit, Other). `
      + `Deploy it with \`cdk deploy Nope --outputs-file ${OUTPUTS}\`, or pass one of the stacks listed with --stack.\n`);
  });

  test('fails for a stack without the output', () => {
    const { code, stderr } = cli('client-config', '--outputs', OUTPUTS, '--stack', 'Other');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cdk-federated-access: stack Other in .* has no output AmplifyOutputs \(outputs: Endpoint\)\. Add a ClientConfig/);
  });

  test('fails when several stacks have the output and none is named', () => {
    const { code, stderr } = cli('client-config', '--outputs', OUTPUTS);
    expect(code).toBe(1);
    expect(stderr).toContain('several stacks in');
    expect(stderr).toContain('(NotesApp, NotesAppSplit). Pick one with --stack.');
  });

  test('fails for a missing file, invalid JSON and a missing part', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
    const missing = cli('client-config', '--outputs', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json (no such file). Deploy with `cdk deploy --outputs-file');

    const invalidJson = path.join(dir, 'invalid.json');
    fs.writeFileSync(invalidJson, '{ "NotesApp": ');
    expect(cli('client-config', '--outputs', invalidJson).stderr).toMatch(/invalid\.json is not valid JSON \(/);

    const fixture = JSON.parse(fs.readFileSync(OUTPUTS, 'utf8'));
    delete fixture.NotesAppSplit.AmplifyOutputs3;
    const partial = path.join(dir, 'partial.json');
    fs.writeFileSync(partial, JSON.stringify(fixture));
    const result = cli('client-config', '--outputs', partial, '--stack', 'NotesAppSplit');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the value of AmplifyOutputs, AmplifyOutputs2 in stack NotesAppSplit is not valid JSON once joined .*a part may be missing/);

    const notStacks = path.join(dir, 'array.json');
    fs.writeFileSync(notStacks, '[]');
    expect(cli('client-config', '--outputs', notStacks).stderr).toContain('is not a `cdk deploy --outputs-file` file');
  });

  test('fails for bad command lines with usage and exit code 2', () => {
    for (const argv of [[], ['deploy'], ['client-config'], ['client-config', '--outputs'], ['client-config', '--outputs', OUTPUTS, '--bogus', 'x']]) {
      const { code, stderr } = cli(...argv);
      expect(code).toBe(2);
      expect(stderr).toContain('Usage: cdk-federated-access client-config --outputs <file>');
    }
    expect(cli('--help')).toMatchObject({ code: 0, stderr: '' });
  });

  test('never prints a control character from its input: file, stack and option names are escaped', () => {
    // GIVEN names that carry terminal escape sequences (ESC, BEL, a C1 CSI, a bidi override)
    const evilFile = path.join(os.tmpdir(), 'no-such-dir', '\u001b[31mred\u0007.json');
    const outputs = outputsFileWith(JSON.stringify({ version: '1.4' }), { 'Evil\u001b]0;pwned\u0007': { X: 'y' }, 'Csi\u009b2J': { X: 'y' } });

    // WHEN / THEN each error is one line, escaped
    const results = [
      cli('client-config', '--outputs', evilFile),
      cli('client-config', '--outputs', outputs, '--stack', 'Nope\u001b[2J'),
      cli('client-config', '--outputs', outputs, '--stack', 'Evil\u001b]0;pwned\u0007'),
      cli('client-config', '--outputs', outputs, '--output-name', 'Out\u202eput'),
      cli('client-config\u001b[1m'),
    ];
    for (const { code, stderr } of results) {
      expect(code).not.toBe(0);
      expect([stderr, RAW_CONTROL.test(stderr)]).toEqual([stderr, false]);
    }
    expect(results[0].stderr).toContain('\\u001b[31mred\\u0007.json (no such file)');
    expect(results[1].stderr).toContain('(stacks: NotesApp, Evil\\u001b]0;pwned\\u0007, Csi\\u009b2J)');
    expect(results[2].stderr).toContain('stack Evil\\u001b]0;pwned\\u0007 in');
    expect(results[3].stderr).toContain('Out\\u202eput');
    expect(results[4].stderr.split('\n')[0]).toBe('cdk-federated-access: unknown command "client-config\\u001b[1m".');
  });

  test('never prints a control character from the configuration: the JSON escapes them and keeps its value', () => {
    // GIVEN a configuration whose strings hold C1 controls, DEL and line separators (C0 ones JSON escapes itself)
    const config = { version: '1.4', auth: { user_pool_id: 'us-east-1_a\u009b31m\u007f\u2028\u2029\u202e\u001b' } };
    const outputs = outputsFileWith(JSON.stringify(config));

    // WHEN
    const { code, stdout } = cli('client-config', '--outputs', outputs);

    // THEN
    expect(code).toBe(0);
    expect(RAW_CONTROL.test(stdout)).toBe(false);
    expect(stdout).toContain('us-east-1_a\\u009b31m\\u007f\\u2028\\u2029\\u202e\\u001b');
    expect(JSON.parse(stdout)).toEqual(config);
  });

  test('invalid JSON that quotes a control character is reported escaped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ "NotesApp": \u001b[31m }');
    const { code, stderr } = cli('client-config', '--outputs', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.json is not valid JSON/);
    expect(RAW_CONTROL.test(stderr)).toBe(false);
  });

  test('fails in one line, without a stack trace, on deeply nested JSON', () => {
    // GIVEN a configuration nested 100,000 levels deep (JSON.stringify would run out of stack) and an outputs file as deep
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const outputs = outputsFileWith(`{"version":"1.4","x":${deep(100_000)}}`);
    const deepStack = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-')), 'cdk-outputs.json');
    fs.writeFileSync(deepStack, `{"Deep":{"x":${deep(100_000)}}}`);

    // WHEN
    const nested = cli('client-config', '--outputs', outputs, '--stack', 'NotesApp');
    const nestedStack = cli('client-config', '--outputs', deepStack, '--stack', 'Deep');

    // THEN
    expect(nested).toMatchObject({ code: 1, stdout: '' });
    expect(nested.stderr).toBe(`cdk-federated-access: output AmplifyOutputs of stack NotesApp is nested more than ${MAX_DEPTH} levels deep, `
      + 'which no Amplify outputs file is. Pass the file that `cdk deploy --outputs-file` wrote.\n');
    expect(nestedStack.code).toBe(1);
    expect(nestedStack.stderr).toContain('stack Deep in');
    expect(nestedStack.stderr.split('\n').length).toBe(2);
  });

  test('the notes app\'s configuration is far from the depth limit', () => {
    const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    expect(depth(JSON.parse(fs.readFileSync(EXPECTED, 'utf8')))).toBeLessThan(MAX_DEPTH / 4);
  });

  test('a stack overflow anywhere is one line, exit code 1', () => {
    const err: string[] = [];
    const code = run(['client-config', '--outputs', OUTPUTS, '--stack', 'NotesApp'], {
      ...NODE_IO,
      stdout: () => { throw new RangeError('Maximum call stack size exceeded'); },
      stderr: (text) => err.push(text),
    });
    expect(code).toBe(1);
    expect(err.join('')).toBe('cdk-federated-access: the input is too deeply nested to process (Maximum call stack size exceeded).\n');
  });

  test('fails in one line on an --out in a missing folder, on a folder, or where writing is denied', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-out-'));
    const args = ['client-config', '--outputs', OUTPUTS, '--stack', 'NotesApp'];

    // WHEN / THEN a missing folder
    const missing = cliOnDisk(...args, '--out', path.join(dir, 'nope', 'amplify_outputs.json'));
    expect(missing).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^cdk-federated-access: cannot write .*nope\/amplify_outputs\.json \(its folder does not exist\)\. [^\n]*\n$/) });
    // a folder
    const folder = cliOnDisk(...args, '--out', dir);
    expect(folder).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^cdk-federated-access: cannot write .* \(it is a folder\)\. [^\n]*\n$/) });
    // permission denied (simulated: the tests may run as root, which chmod does not stop)
    const err: string[] = [];
    const denied = run([...args, '--out', '/read-only/amplify_outputs.json'], {
      ...NODE_IO,
      writeFile: () => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }); },
      stderr: (text) => err.push(text),
    });
    expect(denied).toBe(1);
    expect(err.join('')).toBe('cdk-federated-access: cannot write /read-only/amplify_outputs.json (permission denied). '
      + 'Pass --out a file path in an existing, writable folder, or leave --out out to print the file.\n');
    // and the safe configuration still writes
    const ok = cliOnDisk(...args, '--out', path.join(dir, 'amplify_outputs.json'));
    expect(ok).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'amplify_outputs.json'), 'utf8')).toBe(fs.readFileSync(EXPECTED, 'utf8'));
  });

  test('--version prints the package version', () => {
    const version = `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`;
    expect(cli('--version')).toMatchObject({ code: 0, stdout: version, stderr: '' });
    expect(cli('client-config', '--version')).toMatchObject({ code: 0, stdout: version, stderr: '' });
    expect(cli('--help').stdout).toContain('--version');
  });

  test('the shipped command runs on plain Node: stdout, stderr and exit codes', () => {
    // GIVEN the command compiled alone into an empty folder: no node_modules, so it can only use Node
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-bin-'));
    for (const file of ['cli/main.ts', 'cli/client-config-command.ts', 'client-config/private/output-names.ts']) {
      const source = fs.readFileSync(path.join(ROOT, 'src', file), 'utf8');
      const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), outputText);
    }
    const exec = (...args: string[]) => spawnSync(process.execPath, [path.join(dir, 'cli', 'main.js'), ...args], { cwd: dir, encoding: 'utf8' });
    // WHEN / THEN
    const ok = exec('client-config', '--outputs', OUTPUTS, '--stack', 'NotesApp');
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ok.stdout).toBe(fs.readFileSync(EXPECTED, 'utf8'));
    const bad = exec('client-config', '--outputs', OUTPUTS, '--stack', 'Nope');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('has no stack Nope');
    expect(exec().status).toBe(2);
    const deep = exec('client-config', '--outputs', outputsFileWith(`{"version":"1.4","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
    expect({ status: deep.status, lines: deep.stderr.split('\n').length }).toEqual({ status: 1, lines: 2 });
    expect(exec('--version')).toMatchObject({ status: 1, stderr: 'cdk-federated-access: cannot find the package.json of cdk-federated-access next to the command.\n' });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cdk-federated-access', version: '1.2.3' }));
    expect(exec('--version')).toMatchObject({ status: 0, stdout: '1.2.3\n', stderr: '' });
    expect(fs.readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
