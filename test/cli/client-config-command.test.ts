import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { buildNotesApp } from '../../examples/notes-app';
import { CliIo, run } from '../../src/cli/client-config-command';
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
    expect(fs.readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
