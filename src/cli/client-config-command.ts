import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_OUTPUT_NAME, MAX_PARTS, partName } from '../client-config/private/output-names';

/*
 * `cdk-federated-access client-config`: reads the JSON that `cdk deploy --outputs-file` writes
 * (`{ "<stack>": { "<OutputName>": "<value>" } }`), joins the ClientConfig's Output parts and
 * prints amplify_outputs.json. Plain Node, no dependency: it runs wherever `npx` does.
 */

export const USAGE = `Usage: cdk-federated-access client-config --outputs <file> [--stack <name>] [--output-name <name>] [--out <file>]
       cdk-federated-access --version

Writes amplify_outputs.json from the file that \`cdk deploy --outputs-file <file>\` wrote.

  --outputs <file>       the outputs file of \`cdk deploy --outputs-file\` (required)
  --stack <name>         the stack that holds the ClientConfig (default: the only stack that has one)
  --output-name <name>   the ClientConfig's \`outputName\` (default: ${DEFAULT_OUTPUT_NAME})
  --out <file>           write the file there instead of printing it
  --version              print the version of cdk-federated-access

Example:
  npx cdk deploy NotesApp --outputs-file cdk-outputs.json
  npx cdk-federated-access client-config --outputs cdk-outputs.json --stack NotesApp > amplify_outputs.json
`;

/** A problem with the input: printed on stderr, exit code 1 (2 for usage errors). */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** What the command reads and writes (injected by tests). */
export interface CliIo {
  readonly readFile: (file: string) => string;
  readonly writeFile: (file: string, text: string) => void;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const NODE_IO: CliIo = {
  readFile: (file) => fs.readFileSync(file, 'utf8'),
  writeFile: (file, text) => fs.writeFileSync(file, text),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Deeper than any Amplify outputs file (about 6 levels); a deeper value is refused before it is printed. */
export const MAX_DEPTH = 64;

/**
 * Characters a terminal may act on (C0 and C1 controls, DEL, line and paragraph separators,
 * bidirectional overrides): never printed raw from the input.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The same characters less C0 controls, which JSON.stringify escapes itself (its own line breaks stay). */
const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every unprintable character escaped as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

interface Options {
  readonly outputs: string;
  readonly stack?: string;
  readonly outputName: string;
  readonly out?: string;
}

/**
 * Runs the command line (without `node` and the script name) and returns the exit code.
 */
export function run(argv: readonly string[], io: CliIo = NODE_IO): number {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command === '--version' || (command === 'client-config' && rest.includes('--version'))) {
      io.stdout(`${packageVersion()}\n`);
      return 0;
    }
    if (command !== 'client-config') {
      throw new CliError(command === undefined ? 'no command given.' : `unknown command "${command}".`, 2);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(USAGE);
      return 0;
    }
    const options = parseOptions(rest);
    const text = readOutputsFile(options.outputs, io);
    const config = assembleClientConfig(text, options.outputs, options.stack, options.outputName);
    if (options.out !== undefined) {
      writeOut(options.out, config, io);
    } else {
      io.stdout(config);
    }
    return 0;
  } catch (e) {
    const error = e instanceof RangeError
      // The call stack ran out on some input: one line, never a stack trace.
      ? new CliError(`the input is too deeply nested to process (${e.message}).`)
      : e;
    if (error instanceof CliError) {
      // Messages quote file names, stack and output names from the input: escaped, so the
      // terminal never receives a control character from it.
      io.stderr(`cdk-federated-access: ${printable(error.message)}\n`);
      if (error.exitCode === 2) {
        io.stderr(`\n${USAGE}`);
      }
      return error.exitCode;
    }
    throw error;
  }
}

function writeOut(file: string, text: string, io: CliIo): void {
  try {
    io.writeFile(file, text);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'its folder does not exist'
      : code === 'EISDIR' ? 'it is a folder'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : code ?? 'write failed';
    throw new CliError(`cannot write ${file} (${why}). Pass --out a file path in an existing, writable folder, or leave --out out to print the file.`);
  }
}

/** The version of the package the command ships in: the nearest package.json named cdk-federated-access above this file. */
function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 5; dir = path.dirname(dir), i++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (manifest.name === 'cdk-federated-access' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    } catch {
      // no package.json here: look one folder up
    }
  }
  throw new CliError('cannot find the package.json of cdk-federated-access next to the command.');
}

function parseOptions(args: readonly string[]): Options {
  const values = new Map<string, string>();
  const known = ['--outputs', '--stack', '--output-name', '--out'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(name)) {
      throw new CliError(`unknown option "${arg}".`, 2);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new CliError(`option ${name} needs a value.`, 2);
    }
    values.set(name, value);
  }
  const outputs = values.get('--outputs');
  if (outputs === undefined) {
    throw new CliError('--outputs <file> is required: the file that `cdk deploy --outputs-file <file>` wrote.', 2);
  }
  return { outputs, stack: values.get('--stack'), outputName: values.get('--output-name') ?? DEFAULT_OUTPUT_NAME, out: values.get('--out') };
}

function readOutputsFile(file: string, io: CliIo): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new CliError(`cannot read ${file} (${why}). Deploy with \`cdk deploy --outputs-file ${file}\` first, or pass the file it wrote.`);
  }
}

/**
 * amplify_outputs.json (pretty-printed, with a final newline) from the text of a
 * `cdk deploy --outputs-file` file.
 *
 * @param file the file name, for messages
 * @param stackName the stack holding the configuration; default: the only stack that has one
 */
export function assembleClientConfig(text: string, file: string, stackName: string | undefined, outputName: string): string {
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON (${(e as Error).message}). Pass the file that \`cdk deploy --outputs-file\` wrote.`);
  }
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs)) {
    throw new CliError(`${file} is not a \`cdk deploy --outputs-file\` file: expected an object of stacks, each an object of outputs.`);
  }
  const stacks = outputs as Record<string, unknown>;
  const stack = pickStack(stacks, file, stackName, outputName);
  const values = stacks[stack] as Record<string, unknown>;
  const parts: string[] = [];
  for (let i = 0; i < MAX_PARTS && typeof values[partName(outputName, i)] === 'string'; i++) {
    parts.push(values[partName(outputName, i)] as string);
  }
  if (parts.length === 0) {
    const found = Object.keys(values);
    throw new CliError(`stack ${stack} in ${file} has no output ${outputName} (outputs: ${found.length > 0 ? found.join(', ') : 'none'}). `
      + 'Add a ClientConfig to the stack and deploy it with `--outputs-file`, or pass its name with --output-name.');
  }
  let config: unknown;
  try {
    config = JSON.parse(parts.join(''));
  } catch (e) {
    const names = parts.map((_, i) => partName(outputName, i)).join(', ');
    throw new CliError(`the value of ${names} in stack ${stack} is not valid JSON once joined (${(e as Error).message}); a part may be missing from ${file}. Deploy again with \`--outputs-file\`.`);
  }
  if (config === null || typeof config !== 'object' || typeof (config as { version?: unknown }).version !== 'string') {
    throw new CliError(`output ${outputName} of stack ${stack} is not an Amplify outputs file (no \`version\`). Pass the name of the ClientConfig's output with --output-name.`);
  }
  if (depthOf(config) > MAX_DEPTH) {
    throw new CliError(`output ${outputName} of stack ${stack} is nested more than ${MAX_DEPTH} levels deep, which no Amplify outputs file is. Pass the file that \`cdk deploy --outputs-file\` wrote.`);
  }
  // JSON.stringify escapes C0 controls only; the others can only be inside strings, where
  // \uXXXX is the same JSON value.
  return `${JSON.stringify(config, null, 2).replace(UNPRINTABLE_IN_JSON, escapeChar)}\n`;
}

/** How deeply objects and arrays nest in `value`, counted without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (next !== null && typeof next === 'object') {
      deepest = Math.max(deepest, depth);
      if (deepest > MAX_DEPTH) {
        return deepest;
      }
      for (const child of Object.values(next)) {
        pending.push([child, depth + 1]);
      }
    }
  }
  return deepest;
}

function pickStack(stacks: Record<string, unknown>, file: string, stackName: string | undefined, outputName: string): string {
  const names = Object.keys(stacks).filter(n => stacks[n] !== null && typeof stacks[n] === 'object');
  if (stackName !== undefined) {
    if (!names.includes(stackName)) {
      throw new CliError(`${file} has no stack ${stackName} (stacks: ${names.length > 0 ? names.join(', ') : 'none'}). `
        + `Deploy it with \`cdk deploy ${stackName} --outputs-file ${file}\`, or pass one of the stacks listed with --stack.`);
    }
    return stackName;
  }
  const holding = names.filter(n => typeof (stacks[n] as Record<string, unknown>)[outputName] === 'string');
  if (holding.length === 1) {
    return holding[0];
  }
  if (holding.length === 0) {
    throw new CliError(`no stack in ${file} has an output ${outputName} (stacks: ${names.length > 0 ? names.join(', ') : 'none'}). `
      + 'Add a ClientConfig to a stack and deploy it with `--outputs-file`, or pass its name with --output-name.');
  }
  throw new CliError(`several stacks in ${file} have an output ${outputName} (${holding.join(', ')}). Pick one with --stack.`);
}
